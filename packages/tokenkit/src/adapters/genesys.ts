import { createClient, type components, type paths } from "@tokenkit/genesys";
import type { Client } from "openapi-fetch";
import { expectOption } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { bearer, exchange, readObject } from "../core/http.js";
import { bindCredentials, type SecretSource } from "../core/secret.js";
import { readToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Introspectable, Revocable, TokenClientBase } from "../core/types.js";

/** Genesys Cloud credentials: an OAuth client with the client-credentials grant. */
export interface GenesysCredentials {
  readonly clientId: SecretSource;
  readonly clientSecret: SecretSource;
}

/** Options of `createTokenClient("genesys", …)`. */
export interface GenesysTokenClientOptions extends CommonClientOptions {
  readonly credentials: GenesysCredentials;
  /** Region host, e.g. "mypurecloud.ie"; default "mypurecloud.com" (API https://api.{region}, login https://login.{region}). */
  readonly region?: string;
  /** OAuth host; defaults to https://login.{region}, or to baseUrl with "api." replaced by "login.". */
  readonly loginUrl?: string;
  /**
   * How the OAuth client authenticates (RFC 6749 §2.3.1): `client_secret_basic` (default) sends HTTP
   * Basic of the form-urlencoded id and secret; `client_secret_post` sends them in the form body.
   */
  readonly clientAuthentication?: "client_secret_basic" | "client_secret_post";
}

/** What Genesys says about a token (`GET /api/v2/tokens/me`). */
export type GenesysTokenInfo = components["schemas"]["TokenInfo"];

/** Genesys token client: issue (client credentials), revoke (`DELETE /api/v2/tokens/me`), introspect (`GET /api/v2/tokens/me`). */
export interface GenesysTokenClient
  extends TokenClientBase<"genesys", Client<paths>, Capabilities<false, true, true>>,
    Revocable<"genesys">,
    Introspectable<"genesys", GenesysTokenInfo> {}

/**
 * The Genesys adapter: OAuth on the login host and `expires_in`. The default error reader covers
 * both ErrorBody (API host) and OAuth `{error, error_description}` (login host) bodies, and core
 * reads `inin-correlation-id` as the request id.
 */
export const genesys: Adapter<"genesys", GenesysTokenClientOptions> = {
  vendor: "genesys",
  credentials: ["clientId", "clientSecret"],
  identity: ["clientId"],
  setup(options, env) {
    const { credentials, clientAuthentication } = options;
    expectOption(
      env.reject,
      clientAuthentication === undefined || clientAuthentication === "client_secret_basic" || clientAuthentication === "client_secret_post",
      "clientAuthentication",
      '"client_secret_basic" or "client_secret_post"',
      clientAuthentication,
    );
    // region, baseUrl and loginUrl are checked by @tokenkit/genesys.
    const genesysOptions = { region: options.region, loginUrl: options.loginUrl, clientAuthentication };
    const fields = ["clientId", "clientSecret"] as const;
    const wire = createClient({ ...env.wire, ...genesysOptions, auth: bindCredentials({ vendor: "genesys", operation: "issue" }, credentials, fields) });
    return {
      api: createClient({ ...env.base, ...genesysOptions, auth: { ...bindCredentials({ vendor: "genesys", operation: "createTokenClient" }, credentials, fields), accessToken: env.token } }),
      operations: {
        async issue(call) {
          const received = await exchange(call, "200 with an access_token body", (init) =>
            wire.POST("/oauth/token", { body: { grant_type: "client_credentials" }, ...init }),
          );
          return readToken(received, "access_token");
        },
        async revoke(call, token) {
          await exchange(call, "204 (token deleted)", (init) => wire.DELETE("/api/v2/tokens/me", { headers: bearer(token.accessToken), ...init }));
        },
        async introspect(call, token) {
          // preserveIdleTTL: looking at a token must not keep it alive.
          const received = await exchange(call, "200 with a TokenInfo body", (init) =>
            wire.GET("/api/v2/tokens/me", { params: { query: { preserveIdleTTL: true } }, headers: bearer(token.accessToken), ...init }),
          );
          return readObject(received) as GenesysTokenInfo;
        },
      },
    };
  },
};
