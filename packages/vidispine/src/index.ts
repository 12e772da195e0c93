import type { Client } from "openapi-fetch";
import { operationIndex, securitySchemes, servers } from "./generated/metadata.js";
import { basicSecret, createRuntimeClient, readAuth, resolveServerUrl, type BaseClientOptions, type SecretSource } from "./generated/runtime.js";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "./generated/runtime.js";

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
  const auth = readAuth(PACKAGE_NAME, options, ["username", "password", "token"]);
  return createRuntimeClient<paths>(options, {
    packageName: PACKAGE_NAME,
    defaultBaseUrl: resolveServerUrl(servers[0]),
    bindings: {
      BasicAuth: { option: "auth.username + auth.password", value: basicSecret(auth.username, auth.password) },
      TokenAuth: { option: "auth.token", value: auth.token },
    },
    operations: operationIndex,
    securitySchemes,
  });
}
