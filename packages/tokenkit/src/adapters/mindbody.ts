import { createClient, type paths } from "@tokenkit/mindbody";
import type { Client } from "openapi-fetch";
import { expectOption, isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { bearer, exchange, joinDetail, type SendOptions } from "../core/http.js";
import { bindCredentials, readSecret, type SecretSource } from "../core/secret.js";
import { readToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Renewable, Revocable, TokenClientBase } from "../core/types.js";

/** Mindbody credentials: the integration's API key, the site, and a staff member's login. */
export interface MindbodyCredentials {
  readonly apiKey: SecretSource;
  readonly siteId: SecretSource;
  readonly username: SecretSource;
  readonly password: SecretSource;
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
    const fields = ["apiKey", "siteId", "username", "password"] as const;
    // Secret sources are called per request, and what they throw is reported for the operation that called them.
    const bind = (operation: "issue" | "renew" | "revoke" | "createTokenClient") => bindCredentials({ vendor: "mindbody", operation }, credentials, fields);
    const wireFor = (operation: "issue" | "renew" | "revoke") => {
      const bound = bind(operation);
      const client = createClient({ ...env.wire, auth: { apiKey: bound.apiKey } });
      // siteId is a required header parameter of every operation: read per attempt.
      const readParams = async () => ({ path: { version }, header: { siteId: (await readSecret(bound.siteId))! } });
      return { client, bound, readParams };
    };
    const wires = { issue: wireFor("issue"), renew: wireFor("renew"), revoke: wireFor("revoke") };
    const forApi = bind("createTokenClient");
    return {
      // The runtime reads a siteId function per request as it reads the other sources.
      api: createClient({ ...env.base, auth: { apiKey: forApi.apiKey, siteId: forApi.siteId as string, staffToken: env.token } }),
      operations: {
        async issue(call) {
          const { client, bound, readParams } = wires.issue;
          const send = async (init: SendOptions) => {
            const body = { Username: (await readSecret(bound.username))!, Password: (await readSecret(bound.password))! };
            return client.POST("/public/v{version}/usertoken/issue", { params: await readParams(), body, ...init });
          };
          // `Expires` is documented as UTC but may come without a zone designator (parseDate reads it as UTC).
          return readToken(await exchange(call, ISSUED, send), "AccessToken");
        },
        async renew(call, token) {
          const { client, readParams } = wires.renew;
          const received = await exchange(call, RENEWED, async (init) =>
            client.POST("/public/v{version}/usertoken/renew", { params: await readParams(), headers: bearer(token.accessToken), ...init }),
          );
          // Mindbody leaves the renew body untyped: keep the old token if only the new expiry comes back.
          return readToken(received, "AccessToken", undefined, token);
        },
        async revoke(call, token) {
          const { client, readParams } = wires.revoke;
          await exchange(call, "200 (token revoked)", async (init) =>
            client.DELETE("/public/v{version}/usertoken/revoke", { params: await readParams(), headers: bearer(token.accessToken), ...init }),
          );
        },
      },
    };
  },
};
