import { authapi as adapter, type AuthapiTokenClient, type AuthapiTokenClientOptions } from "./adapters/authapi.js";
import { buildClient } from "./core/client.js";

export * from "./shared.js";
export type { AuthapiCredentials, AuthapiTokenClient, AuthapiTokenClientOptions } from "./adapters/authapi.js";

/** The authapi token client type (same name as the root export, narrowed to this vendor). */
export type TokenClient<_V extends "authapi" = "authapi"> = AuthapiTokenClient;

/**
 * Creates the authapi token client; this entry point bundles only the authapi vendor package.
 * @example const client = createTokenClient("authapi", { baseUrl, credentials });
 */
export function createTokenClient(vendor: "authapi", options: AuthapiTokenClientOptions): AuthapiTokenClient {
  return buildClient(adapter, vendor, options) as AuthapiTokenClient;
}
