import { sftpgo as adapter, type SftpgoTokenClient, type SftpgoTokenClientOptions } from "./adapters/sftpgo.js";
import { buildClient } from "./core/client.js";

export * from "./shared.js";
export type { SftpgoClaims, SftpgoCredentials, SftpgoTokenClient, SftpgoTokenClientOptions } from "./adapters/sftpgo.js";

/** The sftpgo token client type (same name as the root export, narrowed to this vendor). */
export type TokenClient<_V extends "sftpgo" = "sftpgo"> = SftpgoTokenClient;

/**
 * Creates the sftpgo token client; this entry point bundles only the sftpgo vendor package.
 * @example const client = createTokenClient("sftpgo", { baseUrl, credentials });
 */
export function createTokenClient(vendor: "sftpgo", options: SftpgoTokenClientOptions): SftpgoTokenClient {
  return buildClient(adapter, vendor, options) as SftpgoTokenClient;
}
