export { startSandbox } from "./sandbox.js";
export type { Sandbox, SandboxClientOptions, SandboxOptions, SandboxStats } from "./sandbox.js";
export type { CorsOption } from "./cors.js";
export type { RateLimit } from "./rate-limit.js";
export { computeTotp } from "./totp.js";
export { VENDOR_IDS } from "./types.js";
export type { SandboxAccounts, SandboxCredentials, UserPassword, VendorId } from "./types.js";
