import { vidispine as adapter, type VidispineTokenClient, type VidispineTokenClientOptions } from "./adapters/vidispine.js";
import { buildClient } from "./core/client.js";

export * from "./shared.js";
export type { VidispineCredentials, VidispineTokenClient, VidispineTokenClientOptions } from "./adapters/vidispine.js";

/** The vidispine token client type (same name as the root export, narrowed to this vendor). */
export type TokenClient<_V extends "vidispine" = "vidispine"> = VidispineTokenClient;

/**
 * Creates the vidispine token client; this entry point bundles only the vidispine vendor package.
 * @example const client = createTokenClient("vidispine", { baseUrl, credentials });
 */
export function createTokenClient(vendor: "vidispine", options: VidispineTokenClientOptions): VidispineTokenClient {
  return buildClient(adapter, vendor, options) as VidispineTokenClient;
}
