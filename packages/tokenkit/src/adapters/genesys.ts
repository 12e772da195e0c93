import { createClient, type components, type paths } from "@tokenkit/genesys";
import type { Client } from "openapi-fetch";
import { isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { exchange, readObject, readString } from "../core/http.js";
import { createToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Introspectable, Revocable, TokenClientBase } from "../core/types.js";

/** Genesys Cloud credentials: an OAuth client with the client-credentials grant. */
export interface GenesysCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Options of `createTokenClient("genesys", …)`. */
export interface GenesysTokenClientOptions extends CommonClientOptions {
  readonly credentials: GenesysCredentials;
  /** Region host, e.g. "mypurecloud.ie"; default "mypurecloud.com" (API https://api.{region}, login https://login.{region}). */
  readonly region?: string;
  /** OAuth host; defaults to https://login.{region}, or to baseUrl with "api." replaced by "login.". */
  readonly loginUrl?: string;
}

/** What Genesys says about a token (`GET /api/v2/tokens/me`). */
export type GenesysTokenInfo = components["schemas"]["TokenInfo"];

/** Genesys token client: issue (client credentials), revoke (`DELETE /api/v2/tokens/me`), introspect (`GET /api/v2/tokens/me`). */
export interface GenesysTokenClient
  extends TokenClientBase<"genesys", Client<paths>, Capabilities<false, true, true>>,
    Revocable<"genesys">,
    Introspectable<"genesys", GenesysTokenInfo> {}

const ISSUED = "200 with an access_token body";

/** The Genesys adapter: OAuth on the login host, `expires_in`, ErrorBody and OAuth error bodies. */
export const genesys: Adapter<"genesys", GenesysTokenClientOptions> = {
  vendor: "genesys",
  capabilities: { issue: true, renew: false, revoke: true, introspect: true },
  credentials: ["clientId", "clientSecret"],
  authorize: (accessToken) => `Bearer ${accessToken}`,
  readError(body, headers) {
    // ErrorBody {message, code, status} from the API host; {error, error_description} from the login host.
    const fields = isObject(body) ? body : {};
    const code = fields.error ?? fields.code;
    const message = fields.error_description ?? fields.message;
    return { code, detail: isObject(body) ? [code, message].filter(Boolean).join(": ") : body, requestId: headers.get("inin-correlation-id") };
  },
  setup(options, env) {
    const { credentials } = options;
    // region, baseUrl and loginUrl are checked by @tokenkit/genesys.
    const shared = { region: options.region, baseUrl: options.baseUrl, loginUrl: options.loginUrl, fetch: env.fetch, allowInsecureHttp: options.allowInsecureHttp };
    const auth = { clientId: credentials.clientId, clientSecret: credentials.clientSecret };
    const wire = createClient({ ...shared, auth });
    const bearerHeader = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });
    return {
      api: createClient({ ...shared, auth: { ...auth, accessToken: env.token } }),
      operations: {
        async issue(call) {
          // expires_in counts from when the login host answered; starting the clock earlier errs safe.
          const started = Date.now();
          const received = await exchange(call, ISSUED, (signal) =>
            wire.POST("/oauth/token", { body: { grant_type: "client_credentials" }, signal, parseAs: "stream" }),
          );
          const body = readObject(call, ISSUED, received);
          const accessToken = readString(call, ISSUED, received, body, "access_token");
          const { expires_in: seconds, token_type: type } = body;
          return createToken({
            vendor: "genesys",
            accessToken,
            tokenType: typeof type === "string" ? type.toLowerCase() : "bearer",
            expiresAt: typeof seconds === "number" && seconds >= 0 ? new Date(started + seconds * 1000) : undefined,
            raw: body,
          });
        },
        async revoke(token, call) {
          await exchange(call, "204 (token deleted)", (signal) =>
            wire.DELETE("/api/v2/tokens/me", { headers: bearerHeader(token.accessToken), signal, parseAs: "stream" }),
          );
        },
        async introspect(token, call) {
          const expected = "200 with a TokenInfo body";
          // preserveIdleTTL: looking at a token must not keep it alive.
          const received = await exchange(call, expected, (signal) =>
            wire.GET("/api/v2/tokens/me", { params: { query: { preserveIdleTTL: true } }, headers: bearerHeader(token.accessToken), signal, parseAs: "stream" }),
          );
          return readObject(call, expected, received) as GenesysTokenInfo;
        },
      },
    };
  },
};
