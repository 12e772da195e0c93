import type { Client } from "openapi-fetch";
import { clientSpec } from "./generated/metadata.js";
import { createRuntimeClient, type BaseClientOptions, type SecretSource } from "@tokenkit/runtime";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "@tokenkit/runtime";

const PACKAGE_NAME = "@tokenkit/mindbody";

/** Mindbody credentials: the integration's API key, the site, and a staff user token for renew and revoke. */
export interface MindbodyAuth {
  /** Sent as the `API-Key` header on every call. */
  readonly apiKey?: SecretSource;
  /** Sent as the `siteId` header unless the call passes one (`-99` is Mindbody's sandbox site). */
  readonly siteId?: string;
  /** The staff user token from issue (`AccessToken`), sent as `Authorization: Bearer …` on renew and revoke. */
  readonly staffToken?: SecretSource;
}

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  readonly auth?: MindbodyAuth;
}

// With `auth.siteId` configured the spec's required `siteId` header parameter becomes optional per call.
type OptionalSiteId<Operation> = Operation extends { parameters: { header: { siteId: string } } }
  ? Omit<Operation, "parameters"> & {
      parameters: Omit<Operation["parameters"], "header"> & { header?: { siteId?: string } };
    }
  : Operation;
type SiteScopedPaths = { [Path in keyof paths]: { [Method in keyof paths[Path]]: OptionalSiteId<paths[Path][Method]> } };

/** Creates a typed client for Mindbody's user token endpoints; with `auth.siteId`, calls may omit the `siteId` header. */
export function createClient(options: ClientOptions & { readonly auth: { readonly siteId: string } }): Client<SiteScopedPaths>;
export function createClient(options?: ClientOptions): Client<paths>;
export function createClient(options: ClientOptions = {}): Client<paths> {
  return createRuntimeClient<paths>(options, clientSpec, {
    packageName: PACKAGE_NAME,
    auth: { ApiKey: "apiKey", StaffUserToken: "staffToken" },
    authHeaders: [{ header: "siteId", option: "siteId" }],
  });
}
