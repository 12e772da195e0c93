import type { Client } from "openapi-fetch";
import { clientSpec } from "./generated/metadata.js";
import { createRuntimeClient, type BaseClientOptions, type SecretSource } from "@tokenkit/runtime";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "@tokenkit/runtime";

const PACKAGE_NAME = "@tokenkit/vidispine";

/** Vidispine credentials: HTTP Basic when `username` and `password` are both set, else `token`. */
export interface VidispineAuth {
  readonly username?: SecretSource;
  readonly password?: SecretSource;
  /** An existing user token, sent as `Authorization: token <token>`. */
  readonly token?: SecretSource;
}

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  readonly auth?: VidispineAuth;
}

/** Creates a typed client for Vidispine's (VidiCore's) user token endpoints. */
export function createClient(options: ClientOptions = {}): Client<paths> {
  return createRuntimeClient<paths>(options, clientSpec, {
    packageName: PACKAGE_NAME,
    auth: { BasicAuth: ["username", "password"], TokenAuth: "token" },
  });
}
