import type { Client } from "openapi-fetch";
import { clientSpec } from "./generated/metadata.js";
import { createRuntimeClient, type BaseClientOptions, type SecretSource } from "@tokenkit/runtime";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "@tokenkit/runtime";

const PACKAGE_NAME = "@tokenkit/authapi";

/** AuthAPI credentials: the client id header, and the long- and short-term bearer tokens. */
export interface AuthapiAuth {
  /** Sent as `X-Client-Id` where the spec allows the client key (issuing a long-term token). */
  readonly clientId?: SecretSource;
  /** Sent as `Authorization: Bearer …` to issue short-term tokens (and to revoke). */
  readonly longToken?: SecretSource;
  /** Sent as `Authorization: Bearer …` to issue a long-term token or to revoke; preferred over the long token. */
  readonly shortToken?: SecretSource;
}

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  readonly auth?: AuthapiAuth;
}

/** Creates a typed client for AuthAPI's long- and short-term token endpoints. */
export function createClient(options: ClientOptions = {}): Client<paths> {
  return createRuntimeClient<paths>(options, clientSpec, {
    packageName: PACKAGE_NAME,
    auth: { ClientKey: "clientId", LongTokenAuth: "longToken", ShortTokenAuth: "shortToken" },
  });
}
