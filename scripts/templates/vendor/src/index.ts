import type { Client } from "openapi-fetch";
import { clientSpec } from "./generated/metadata.js";
import { createRuntimeClient, type BaseClientOptions, type SecretSource } from "@tokenkit/runtime";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "@tokenkit/runtime";

const PACKAGE_NAME = "@tokenkit/__ID__";

/** __ID__ credentials, one option per secret; `createClient` maps them to the spec's security schemes. */
export interface ClientAuth {
  /** With `password`, sent as HTTP Basic (the spec's `BasicAuth` scheme). */
  readonly username?: SecretSource;
  readonly password?: SecretSource;
}

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  readonly auth?: ClientAuth;
}

/** Creates a typed client for __ID__'s token endpoints. */
export function createClient(options: ClientOptions = {}): Client<paths> {
  return createRuntimeClient<paths>(options, clientSpec, {
    packageName: PACKAGE_NAME,
    // Each security scheme of the spec → the `auth` option holding its credential ([username, password] for Basic).
    auth: { BasicAuth: ["username", "password"] },
  });
}
