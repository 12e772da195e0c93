import { authapi, type AuthapiTokenClient, type AuthapiTokenClientOptions } from "./adapters/authapi.js";
import { genesys, type GenesysTokenClient, type GenesysTokenClientOptions } from "./adapters/genesys.js";
import { mindbody, type MindbodyTokenClient, type MindbodyTokenClientOptions } from "./adapters/mindbody.js";
import { sftpgo, type SftpgoTokenClient, type SftpgoTokenClientOptions } from "./adapters/sftpgo.js";
import { vidispine, type VidispineTokenClient, type VidispineTokenClientOptions } from "./adapters/vidispine.js";
import { describe } from "./core/check.js";
import { buildClient } from "./core/client.js";
import { fail } from "./core/errors.js";
import type { VendorId } from "./core/types.js";

export * from "./shared.js";
export type { AuthapiCredentials, AuthapiTokenClient, AuthapiTokenClientOptions } from "./adapters/authapi.js";
export type { GenesysCredentials, GenesysTokenClient, GenesysTokenClientOptions, GenesysTokenInfo } from "./adapters/genesys.js";
export type { MindbodyCredentials, MindbodyTokenClient, MindbodyTokenClientOptions } from "./adapters/mindbody.js";
export type { SftpgoClaims, SftpgoCredentials, SftpgoTokenClient, SftpgoTokenClientOptions } from "./adapters/sftpgo.js";
export type { VidispineCredentials, VidispineTokenClient, VidispineTokenClientOptions } from "./adapters/vidispine.js";

/** Each vendor's token client type. */
export interface TokenClients {
  mindbody: MindbodyTokenClient;
  vidispine: VidispineTokenClient;
  sftpgo: SftpgoTokenClient;
  genesys: GenesysTokenClient;
  authapi: AuthapiTokenClient;
}

/** Each vendor's options for {@link createTokenClient}. */
export interface TokenClientOptionsByVendor {
  mindbody: MindbodyTokenClientOptions;
  vidispine: VidispineTokenClientOptions;
  sftpgo: SftpgoTokenClientOptions;
  genesys: GenesysTokenClientOptions;
  authapi: AuthapiTokenClientOptions;
}

/** The token client of vendor V: only the operations V supports exist on the type. */
export type TokenClient<V extends VendorId = VendorId> = TokenClients[V];

/** The options of vendor V's token client. */
export type TokenClientOptions<V extends VendorId> = TokenClientOptionsByVendor[V];

const ADAPTERS = { mindbody, vidispine, sftpgo, genesys, authapi } as const;

/**
 * Creates a token client for one vendor. Options are checked before any I/O (`invalid_argument`).
 * @example
 * const sftpgo = createTokenClient("sftpgo", { baseUrl, credentials: { username, password } });
 * const token = await sftpgo.issue();
 */
export function createTokenClient<V extends VendorId>(vendor: V, options: TokenClientOptions<V>): TokenClient<V> {
  const adapter = typeof vendor === "string" && Object.hasOwn(ADAPTERS, vendor) ? ADAPTERS[vendor] : undefined;
  if (!adapter) fail({ vendor: undefined, operation: "createTokenClient" }, `unknown vendor ${describe(vendor)}; expected one of ${Object.keys(ADAPTERS).join(", ")}`);
  return buildClient(adapter as never, vendor, options as never) as TokenClient<V>;
}
