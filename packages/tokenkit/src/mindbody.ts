import { mindbody as adapter, type MindbodyTokenClient, type MindbodyTokenClientOptions } from "./adapters/mindbody.js";
import { buildClient } from "./core/client.js";

export * from "./shared.js";
export type { MindbodyCredentials, MindbodyTokenClient, MindbodyTokenClientOptions } from "./adapters/mindbody.js";

/** The mindbody token client type (same name as the root export, narrowed to this vendor). */
export type TokenClient<_V extends "mindbody" = "mindbody"> = MindbodyTokenClient;

/**
 * Creates the mindbody token client; this entry point bundles only the mindbody vendor package.
 * @example const client = createTokenClient("mindbody", { baseUrl, credentials });
 */
export function createTokenClient(vendor: "mindbody", options: MindbodyTokenClientOptions): MindbodyTokenClient {
  return buildClient(adapter, vendor, options) as MindbodyTokenClient;
}
