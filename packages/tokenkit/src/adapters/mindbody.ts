import { createClient, type paths } from "@tokenkit/mindbody";
import type { Client } from "openapi-fetch";
import { describe, isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { exchange, readObject, readString, type Call, type Received } from "../core/http.js";
import { createToken, parseDate } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Renewable, Revocable, Token, TokenClientBase } from "../core/types.js";

/** Mindbody credentials: the integration's API key, the site, and a staff member's login. */
export interface MindbodyCredentials {
  readonly apiKey: string;
  readonly siteId: string;
  readonly username: string;
  readonly password: string;
}

/** Options of `createTokenClient("mindbody", …)`. */
export interface MindbodyTokenClientOptions extends CommonClientOptions {
  readonly credentials: MindbodyCredentials;
  /** Public API version in the path; default "6". */
  readonly version?: string;
}

/** Mindbody token client: issue, renew (+24 h, at most 7 times), revoke. */
export interface MindbodyTokenClient
  extends TokenClientBase<"mindbody", Client<paths>, Capabilities<true, true, false>>,
    Renewable<"mindbody">,
    Revocable<"mindbody"> {}

const ISSUED = "200 with an IssueResponse body";

function readToken(call: Call, expected: string, received: Received, previous?: Token<"mindbody">): Token<"mindbody"> {
  const body = readObject(call, expected, received);
  // Mindbody leaves the renew body untyped: keep the old token if only the new expiry comes back.
  const accessToken = previous && body.AccessToken === undefined ? previous.accessToken : readString(call, expected, received, body, "AccessToken");
  return createToken({
    vendor: "mindbody",
    accessToken,
    tokenType: typeof body.TokenType === "string" ? body.TokenType.toLowerCase() : "bearer",
    // `Expires` is documented as UTC but may come without a zone designator.
    expiresAt: parseDate(body.Expires, true),
    raw: body,
  });
}

/** The Mindbody adapter: API-Key + SiteId on every call, the staff token as Bearer on renew/revoke. */
export const mindbody: Adapter<"mindbody", MindbodyTokenClientOptions> = {
  vendor: "mindbody",
  capabilities: { issue: true, renew: true, revoke: true, introspect: false },
  credentials: ["apiKey", "siteId", "username", "password"],
  authorize: (accessToken) => `Bearer ${accessToken}`,
  readError(body) {
    // {"Error": {"Message", "Code"}}
    const error = isObject(body) && isObject(body.Error) ? body.Error : undefined;
    if (!error) return { detail: body };
    // Mindbody refuses a wrong staff login with 400 InvalidUserCredentials: that is an OAuth invalid_grant.
    const code = typeof error.Code === "string" && /credential/i.test(error.Code) ? "invalid_grant" : error.Code;
    return { code, detail: [error.Code, error.Message].filter(Boolean).join(": ") };
  },
  setup(options, env) {
    const { version = "6", credentials } = options;
    if (typeof version !== "string" || !/^\d+$/.test(version)) env.reject(`option "version" must be a string of digits such as "6"; received ${describe(version)}`);
    const { apiKey, siteId } = credentials;
    const shared = { baseUrl: options.baseUrl, fetch: env.fetch, allowInsecureHttp: options.allowInsecureHttp };
    const wire = createClient({ ...shared, auth: { apiKey, siteId } });
    const params = { path: { version }, header: { siteId } };
    const bearerHeader = (token: Token) => ({ Authorization: `Bearer ${token.accessToken}` });
    return {
      api: createClient({ ...shared, auth: { apiKey, siteId, staffToken: env.token } }),
      operations: {
        async issue(call) {
          const body = { Username: credentials.username, Password: credentials.password };
          const received = await exchange(call, ISSUED, (signal) =>
            wire.POST("/public/v{version}/usertoken/issue", { params, body, signal, parseAs: "stream" }),
          );
          return readToken(call, ISSUED, received);
        },
        async renew(token, call) {
          const expected = "200 with the renewed token";
          const received = await exchange(call, expected, (signal) =>
            wire.POST("/public/v{version}/usertoken/renew", { params, headers: bearerHeader(token), signal, parseAs: "stream" }),
          );
          return readToken(call, expected, received, token);
        },
        async revoke(token, call) {
          await exchange(call, "200 (token revoked)", (signal) =>
            wire.DELETE("/public/v{version}/usertoken/revoke", { params, headers: bearerHeader(token), signal, parseAs: "stream" }),
          );
        },
      },
    };
  },
};
