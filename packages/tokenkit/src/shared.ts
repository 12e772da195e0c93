// What every entry point (tokenkit and tokenkit/<vendor>) exports besides createTokenClient.
export { TOKEN_ERROR_CODES, TokenError, type TokenErrorCode, type TokenErrorDetails } from "./core/errors.js";
export { authMiddleware } from "./core/middleware.js";
export { createTokenSource, type TokenSource, type TokenSourceOptions } from "./core/source.js";
export type { SecretSource } from "./core/secret.js";
export type {
  AnyTokenClient,
  CallOptions,
  Capabilities,
  CommonClientOptions,
  Introspectable,
  Renewable,
  RetryOptions,
  Revocable,
  Token,
  TokenClientBase,
  TokenEvent,
  TokenEventBase,
  TokenEventListener,
  TokenOperation,
  VendorId,
} from "./core/types.js";
export { createMemoryTokenStore, type MemoryTokenStoreOptions, type TokenLease, type TokenStore, type TokenStoreSetOptions } from "./core/store.js";
export { deserializeToken, serializeToken, TOKEN_FORMAT_VERSION } from "./core/serialize.js";
