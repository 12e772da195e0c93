// The pieces of the `tokenkit` command that other tools reuse (the repo's `npm start` renders its
// table with them); the command itself is the `tokenkit` bin.
export { computeTtl, NO_EXPIRY_TTL_MS, storeToken } from "./cached-token.js";
export { computeCacheKey, resolveSettings, UsageError, type CredentialFlags, type Io, type ResolvedSettings } from "./config.js";
export { bindStoreKey, CacheRefusedError, createDiskTokenStore, defaultCacheDir, type DiskTokenStore, type DiskTokenStoreOptions, type TokenCodec } from "./disk-store.js";
export { formatEvent } from "./events.js";
export { main, tokenJson, VENDORS } from "./main.js";
export { describeFailure, EXIT_CODES, exitCodeFor, NoCachedTokenError } from "./report.js";
export { sandboxEnvironment } from "./sandbox-command.js";
export { startSpinner, type Spinner, type SpinnerStream } from "./spinner.js";
export { renderTable, wrapText, type TableOptions } from "./table.js";
