import type { Client } from "openapi-fetch";
import { operationIndex, securitySchemes, servers } from "./generated/metadata.js";
import { basicSecret, createRuntimeClient, readAuth, resolveServerUrl, type BaseClientOptions, type SecretSource } from "./generated/runtime.js";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "./generated/runtime.js";

const PACKAGE_NAME = "@tokenkit/sftpgo";

/** SFTPGo credentials: Basic (plus an optional TOTP code) to get a token, the token (Bearer) to log out. */
export interface SftpgoAuth {
  readonly username?: SecretSource;
  readonly password?: SecretSource;
  /** A TOTP code (or a function producing the current one), sent as `X-SFTPGO-OTP` on the token calls. */
  readonly otp?: SecretSource;
  /** An access token from a token call, sent as `Authorization: Bearer …` on logout. */
  readonly token?: SecretSource;
}

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  readonly auth?: SftpgoAuth;
}

/** Creates a typed client for SFTPGo's REST API token endpoints (admin and user). */
export function createClient(options: ClientOptions = {}): Client<paths> {
  const auth = readAuth(PACKAGE_NAME, options, ["username", "password", "otp", "token"]);
  return createRuntimeClient<paths>(options, {
    packageName: PACKAGE_NAME,
    defaultBaseUrl: resolveServerUrl(servers[0]),
    bindings: {
      BasicAuth: { option: "auth.username + auth.password", value: basicSecret(auth.username, auth.password) },
      BearerAuth: { option: "auth.token", value: auth.token },
    },
    headerBindings: [{ header: "X-SFTPGO-OTP", option: "auth.otp", value: auth.otp, operationIds: ["getToken", "getUserToken"] }],
    operations: operationIndex,
    securitySchemes,
  });
}
