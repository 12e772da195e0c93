import { createClient, type paths } from "@tokenkit/vidispine";
import type { Client } from "openapi-fetch";
import { expectOption } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { bindCredentials, type SecretSource } from "../core/secret.js";
import { createInvalidResponse, exchange } from "../core/http.js";
import { computeExpiry, createToken, readToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, TokenClientBase } from "../core/types.js";

/** Vidispine credentials: the user's login. */
export interface VidispineCredentials {
  readonly username: SecretSource;
  readonly password: SecretSource;
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

/** The Vidispine adapter: basic auth, `seconds`/`autoRefresh`, and `Authorization: token <t>`. */
export const vidispine: Adapter<"vidispine", VidispineTokenClientOptions> = {
  vendor: "vidispine",
  credentials: ["username", "password"],
  identity: ["username"],
  scheme: "token",
  setup(options, env) {
    const { seconds, autoRefresh, credentials } = options;
    expectOption(env.reject, seconds === undefined || (Number.isInteger(seconds) && seconds > 0), "seconds", "a positive integer", seconds);
    expectOption(env.reject, autoRefresh === undefined || typeof autoRefresh === "boolean", "autoRefresh", "a boolean", autoRefresh);
    const fields = ["username", "password"] as const;
    const wire = createClient({ ...env.wire, auth: bindCredentials({ vendor: "vidispine", operation: "issue" }, credentials, fields) });
    const auth = bindCredentials({ vendor: "vidispine", operation: "createTokenClient" }, credentials, fields);
    const query = { seconds, autoRefresh };
    return {
      api: createClient({ ...env.base, auth: { ...auth, token: env.token } }),
      operations: {
        async issue(call) {
          const received = await exchange(call, ISSUED, (init) =>
            wire.GET("/API/token", { params: { query }, headers: { Accept: "application/json, text/plain;q=0.9" }, ...init }),
          );
          // Vidispine reports no expiry; 60 s is its default `userTokenDefaultInterval`. Counting from
          // the second the request was sent in errs early, and with autoRefresh the expiry only slides later.
          const fields = { tokenType: "token", expiresAt: computeExpiry(received, seconds ?? 60, "seconds") };
          if (received.type !== "text/plain") return readToken(received, "token", () => fields);
          const accessToken = received.text.trim();
          if (!accessToken) throw createInvalidResponse(received, "with an empty body");
          return createToken({ vendor: "vidispine", accessToken, raw: accessToken, ...fields });
        },
      },
    };
  },
};
