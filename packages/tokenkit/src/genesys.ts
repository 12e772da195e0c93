import { genesys as adapter, type GenesysTokenClient, type GenesysTokenClientOptions } from "./adapters/genesys.js";
import { buildClient } from "./core/client.js";

export * from "./shared.js";
export type { GenesysCredentials, GenesysTokenInfo, GenesysTokenClient, GenesysTokenClientOptions } from "./adapters/genesys.js";

/** The genesys token client type (same name as the root export, narrowed to this vendor). */
export type TokenClient<_V extends "genesys" = "genesys"> = GenesysTokenClient;

/**
 * Creates the genesys token client; this entry point bundles only the genesys vendor package.
 * @example const client = createTokenClient("genesys", { baseUrl, credentials });
 */
export function createTokenClient(vendor: "genesys", options: GenesysTokenClientOptions): GenesysTokenClient {
  return buildClient(adapter, vendor, options) as GenesysTokenClient;
}
