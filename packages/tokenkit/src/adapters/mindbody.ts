import { createClient, type paths } from "@tokenkit/mindbody";
import type { Client } from "openapi-fetch";
import { expectOption, isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { bearer, exchange, joinDetail } from "../core/http.js";
import { readToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Renewable, Revocable, TokenClientBase } from "../core/types.js";

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
const RENEWED = "200 with the renewed token";

/** The Mindbody adapter: API-Key + SiteId on every call, the staff token as Bearer on renew/revoke. */
export const mindbody: Adapter<"mindbody", MindbodyTokenClientOptions> = {
  vendor: "mindbody",
  credentials: ["apiKey", "siteId", "username", "password"],
  identity: ["siteId", "username"],
  readError(body) {
    // {"Error": {"Message", "Code"}}
    const error = isObject(body.Error) ? body.Error : {};
    // Mindbody refuses a wrong staff login with 400 InvalidUserCredentials: that is an OAuth invalid_grant.
    return { code: /credential/i.test(String(error.Code)) ? "invalid_grant" : error.Code, detail: joinDetail(error.Code, error.Message) };
  },
  setup(options, env) {
    const { version = "6", credentials } = options;
    expectOption(env.reject, typeof version === "string" && /^\d+$/.test(version), "version", 'a string of digits such as "6"', version);
    const { apiKey, siteId } = credentials;
    const wire = createClient({ ...env.base, auth: { apiKey, siteId } });
    const params = { path: { version }, header: { siteId } };
    return {
      api: createClient({ ...env.base, auth: { apiKey, siteId, staffToken: env.token } }),
      operations: {
        async issue(call) {
          const body = { Username: credentials.username, Password: credentials.password };
          // `Expires` is documented as UTC but may come without a zone designator (parseDate reads it as UTC).
          return readToken(await exchange(call, ISSUED, (init) => wire.POST("/public/v{version}/usertoken/issue", { params, body, ...init })), "AccessToken");
        },
        async renew(call, token) {
          const received = await exchange(call, RENEWED, (init) =>
            wire.POST("/public/v{version}/usertoken/renew", { params, headers: bearer(token.accessToken), ...init }),
          );
          // Mindbody leaves the renew body untyped: keep the old token if only the new expiry comes back.
          return readToken(received, "AccessToken", undefined, token);
        },
        async revoke(call, token) {
          await exchange(call, "200 (token revoked)", (init) =>
            wire.DELETE("/public/v{version}/usertoken/revoke", { params, headers: bearer(token.accessToken), ...init }),
          );
        },
      },
    };
  },
};
