import type { Client } from "openapi-fetch";
import { operationIndex, securitySchemes, servers } from "./generated/metadata.js";
import { assertBaseUrl, createRuntimeClient, type BasicSecret, type SecretSource } from "./generated/runtime.js";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { BasicSecret, SecretSource } from "./generated/runtime.js";

const PACKAGE_NAME = "@tokenkit/mindbody";

/** Options for {@link createClient}. */
export interface ClientOptions {
  /** Root URL of the API; defaults to the spec's first server. */
  readonly baseUrl?: string;
  /** Credentials keyed by the spec's security scheme names. */
  readonly auth?: Readonly<Record<string, SecretSource | BasicSecret>>;
  /** A fetch implementation to use instead of `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** Headers sent with every request. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Allow `http://` to a non-loopback host (credentials then travel in clear text). */
  readonly allowInsecureHttp?: boolean;
}

/** Creates a typed client for mindbody's token endpoints. */
export function createClient(options: ClientOptions = {}): Client<paths> {
  const baseUrl = assertBaseUrl(PACKAGE_NAME, "baseUrl", options.baseUrl ?? servers[0]?.url, options.allowInsecureHttp);
  const bindings = Object.fromEntries(
    Object.keys(securitySchemes).map((scheme) => [scheme, { option: `auth.${scheme}`, value: options.auth?.[scheme] }]),
  );
  return createRuntimeClient<paths>({
    packageName: PACKAGE_NAME,
    baseUrl,
    fetch: options.fetch,
    headers: options.headers,
    allowInsecureHttp: options.allowInsecureHttp,
    bindings,
    operations: operationIndex,
    securitySchemes,
  });
}
