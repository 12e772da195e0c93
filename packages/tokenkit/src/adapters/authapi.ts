import { createClient, type paths } from "@tokenkit/authapi";
import type { Client } from "openapi-fetch";
import { checkInteger, isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { fail, TokenError } from "../core/errors.js";
import { exchange, readObject, readString, type Call } from "../core/http.js";
import { REDACTED } from "../core/redact.js";
import { createToken, parseDate } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Renewable, Revocable, Token, TokenClientBase } from "../core/types.js";

/** AuthAPI credentials: the client id (also sent as `X-Client-Id`) and client secret. */
export interface AuthapiCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Options of `createTokenClient("authapi", …)`. */
export interface AuthapiTokenClientOptions extends CommonClientOptions {
  readonly credentials: AuthapiCredentials;
  /** Requested lifetime of the long-term token, 3600 to 7776000 s; the server may shorten it. */
  readonly ttlSeconds?: number;
  /** Scopes of the long-term token (short-term tokens inherit them). */
  readonly scopes?: readonly string[];
}

/**
 * AuthAPI token client. issue = long-term token (client credentials) exchanged for a short-term one;
 * renew = a new short-term token from the same long-term token; revoke = the short-term token and
 * the long-term token it came from.
 */
export interface AuthapiTokenClient
  extends TokenClientBase<"authapi", Client<paths>, Capabilities<true, true, false>>,
    Renewable<"authapi">,
    Revocable<"authapi"> {}

interface LongToken {
  readonly accessToken: string;
  readonly tokenId: string | undefined;
}

const LONG = "201 with a LongTokenResponse body";
const SHORT = "201 with a ShortTokenResponse body";
const REVOKED = "204 (token revoked)";

/** The AuthAPI adapter: the long → short exchange, `X-Token-Id`, and `AuthError {code, message}`. */
export const authapi: Adapter<"authapi", AuthapiTokenClientOptions> = {
  vendor: "authapi",
  capabilities: { issue: true, renew: true, revoke: true, introspect: false },
  credentials: ["clientId", "clientSecret"],
  authorize: (accessToken) => `Bearer ${accessToken}`,
  readError(body) {
    return isObject(body) ? { code: body.code, detail: [body.code, body.message].filter(Boolean).join(": ") } : { detail: body };
  },
  setup(options, env) {
    const { credentials, scopes } = options;
    const ttl = checkInteger(env.reject, "ttlSeconds", options.ttlSeconds, 3600, 7_776_000);
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((scope) => typeof scope === "string" && /^\S+$/.test(scope)))) {
      env.reject('option "scopes" must be an array of non-empty strings without spaces');
    }
    const shared = { baseUrl: options.baseUrl, fetch: env.fetch, allowInsecureHttp: options.allowInsecureHttp };
    const wire = createClient({ ...shared, auth: { clientId: credentials.clientId } });
    // The long-term token behind each short-term token; it never leaves this file.
    const longs = new WeakMap<Token, LongToken>();
    const bearerHeader = (accessToken: string) => ({ Authorization: `Bearer ${accessToken}` });
    const hideLongToken = (call: Call, long: LongToken): Call => ({ ...call, redact: (text) => call.redact(text).split(long.accessToken).join(REDACTED) });

    const revokeById = (call: Call, tokenId: string, accessToken: string) =>
      exchange(call, REVOKED, (signal) =>
        wire.POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId } }, headers: bearerHeader(accessToken), signal, parseAs: "stream" }),
      );

    const shorten = async (long: LongToken, call: Call): Promise<Token<"authapi">> => {
      const started = Date.now();
      const received = await exchange(call, SHORT, (signal) => wire.POST("/auth/tokens/short", { headers: bearerHeader(long.accessToken), signal, parseAs: "stream" }));
      const body = readObject(call, SHORT, received);
      const accessToken = readString(call, SHORT, received, body, "access_token");
      const { expires_in: seconds, token_type: type, token_id: tokenId } = body;
      const token = createToken({
        vendor: "authapi",
        accessToken,
        tokenType: typeof type === "string" ? type.toLowerCase() : "bearer",
        expiresAt: parseDate(body.expires_at) ?? (typeof seconds === "number" ? new Date(started + seconds * 1000) : undefined),
        tokenId: typeof tokenId === "string" ? tokenId : undefined,
        scope: Array.isArray(body.scopes) ? body.scopes.join(" ") : undefined,
        raw: body,
      });
      longs.set(token, long);
      return token;
    };

    return {
      api: createClient({
        ...shared,
        auth: {
          clientId: credentials.clientId,
          shortToken: env.token,
          longToken: async () => {
            const long = longs.get(await env.current());
            if (!long) throw new Error("@tokenkit/authapi via tokenkit: no long-term token is known for the current token");
            return long.accessToken;
          },
        },
      }),
      operations: {
        async issue(call) {
          const body = {
            grant_type: "client_credentials" as const,
            client_id: credentials.clientId,
            client_secret: credentials.clientSecret,
            ...(scopes ? { scopes: [...scopes] } : {}),
            ...(ttl === undefined ? {} : { ttl_seconds: ttl }),
          };
          const received = await exchange(call, LONG, (signal) => wire.POST("/auth/tokens/long", { body, signal, parseAs: "stream" }));
          const longBody = readObject(call, LONG, received);
          const id = longBody.token_id ?? received.headers.get("x-token-id");
          const long = { accessToken: readString(call, LONG, received, longBody, "access_token"), tokenId: typeof id === "string" ? id : undefined };
          try {
            return await shorten(long, hideLongToken(call, long));
          } catch (error) {
            // Do not leave a live long-term token behind that nobody holds.
            if (long.tokenId) await revokeById({ ...call, operation: "revoke" }, long.tokenId, long.accessToken).catch(() => {});
            throw error;
          }
        },
        async renew(token, call) {
          const long = longs.get(token);
          if (!long) fail("authapi", "renew", "this token was not issued by this client, so its long-term token is unknown; call issue()");
          return shorten(long, hideLongToken(call, long));
        },
        async revoke(token, call) {
          if (!token.tokenId) fail("authapi", "revoke", "the token has no tokenId to revoke it by");
          await revokeById(call, token.tokenId, token.accessToken);
          const long = longs.get(token);
          if (!long?.tokenId) return;
          try {
            await revokeById(hideLongToken(call, long), long.tokenId, long.accessToken);
          } catch (error) {
            // Already revoked through another short-term token of the same long-term token.
            if (!(error instanceof TokenError && (error.code === "unauthorized" || error.code === "not_found"))) throw error;
          }
        },
      },
    };
  },
};
