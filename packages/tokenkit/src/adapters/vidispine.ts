import { createClient, type paths } from "@tokenkit/vidispine";
import type { Client } from "openapi-fetch";
import { describe } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { exchange, createInvalidResponse, readObject, readString } from "../core/http.js";
import { createToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, TokenClientBase } from "../core/types.js";

/** Vidispine credentials: the user's login. */
export interface VidispineCredentials {
  readonly username: string;
  readonly password: string;
}

/** Options of `createTokenClient("vidispine", …)`. */
export interface VidispineTokenClientOptions extends CommonClientOptions {
  readonly credentials: VidispineCredentials;
  /** Token lifetime in seconds; without it the server default (`userTokenDefaultInterval`, 60 s) applies. */
  readonly seconds?: number;
  /** Every call made with the token restarts its expiry clock (a sliding expiry). */
  readonly autoRefresh?: boolean;
}

/** Vidispine token client: issue only (Vidispine has no renew, revoke or introspect for user tokens). */
export interface VidispineTokenClient extends TokenClientBase<"vidispine", Client<paths>, Capabilities<false, false, false>> {}

const ISSUED = "200 with an AuthenticationTokenType or text/plain token";
/** Vidispine's default `userTokenDefaultInterval`. */
const DEFAULT_SECONDS = 60;

/** The Vidispine adapter: basic auth, `seconds`/`autoRefresh`, and `Authorization: token <t>`. */
export const vidispine: Adapter<"vidispine", VidispineTokenClientOptions> = {
  vendor: "vidispine",
  capabilities: { issue: true, renew: false, revoke: false, introspect: false },
  credentials: ["username", "password"],
  authorize: (accessToken) => `token ${accessToken}`,
  setup(options, env) {
    const { seconds, autoRefresh, credentials } = options;
    if (seconds !== undefined && !(Number.isInteger(seconds) && seconds > 0)) env.reject(`option "seconds" must be a positive integer; received ${describe(seconds)}`);
    if (autoRefresh !== undefined && typeof autoRefresh !== "boolean") env.reject(`option "autoRefresh" must be a boolean; received ${describe(autoRefresh)}`);
    const auth = { username: credentials.username, password: credentials.password };
    const shared = { baseUrl: options.baseUrl, fetch: env.fetch, allowInsecureHttp: options.allowInsecureHttp };
    const wire = createClient({ ...shared, auth });
    const query = { ...(seconds === undefined ? {} : { seconds }), ...(autoRefresh === undefined ? {} : { autoRefresh }) };
    return {
      api: createClient({ ...shared, auth: { ...auth, token: env.token } }),
      operations: {
        async issue(call) {
          // Vidispine reports no expiry. Counting from before the request errs early, and with
          // autoRefresh the real expiry only slides later, so expiresAt is never too late.
          const started = Date.now();
          const received = await exchange(call, ISSUED, (signal) =>
            wire.GET("/API/token", { params: { query }, headers: { Accept: "application/json, text/plain;q=0.9" }, signal, parseAs: "stream" }),
          );
          let accessToken: string;
          let raw: unknown;
          if (received.type === "text/plain") {
            accessToken = raw = received.text.trim();
            if (!accessToken) throw createInvalidResponse(call, ISSUED, received, "with an empty body");
          } else {
            const body = readObject(call, ISSUED, received);
            accessToken = readString(call, ISSUED, received, body, "token");
            raw = body;
          }
          const expiresAt = new Date(started + (seconds ?? DEFAULT_SECONDS) * 1000);
          return createToken({ vendor: "vidispine", accessToken, tokenType: "token", expiresAt, raw });
        },
      },
    };
  },
};
