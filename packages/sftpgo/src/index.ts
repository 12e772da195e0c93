import type { Client } from "openapi-fetch";
import { clientSpec } from "./generated/metadata.js";
import { createRuntimeClient, type BaseClientOptions, type SecretSource } from "@tokenkit/runtime";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "@tokenkit/runtime";

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
  return createRuntimeClient<paths>(options, clientSpec, {
    packageName: PACKAGE_NAME,
    auth: { BasicAuth: ["username", "password"], BearerAuth: "token" },
    authHeaders: [{ header: "X-SFTPGO-OTP", option: "otp", operations: ["GET /api/v2/token", "GET /api/v2/user/token"] }],
  });
}
