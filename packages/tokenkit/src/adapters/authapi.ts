import { createClient, type paths } from "@tokenkit/authapi";
import type { Client } from "openapi-fetch";
import { checkInteger } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { fail, TokenError } from "../core/errors.js";
import { bearer, type Call, exchange, readObject, readString } from "../core/http.js";
import { bindCredentials, readSecret, type SecretSource } from "../core/secret.js";
import { REDACTED } from "../core/redact.js";
import { attachTokenState, readTokenState } from "../core/state.js";
import { readToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Renewable, Revocable, Token, TokenClientBase } from "../core/types.js";

/** AuthAPI credentials: the client id (also sent as `X-Client-Id`) and client secret. */
export interface AuthapiCredentials {
  readonly clientId: SecretSource;
  readonly clientSecret: SecretSource;
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

/** The vendor state of a short-term token (see serializeToken): its long-term token and where both came from. */
interface AuthapiState {
  readonly origin: string;
  readonly longToken: string;
  readonly longTokenId?: string;
}

/** The long-term token behind `token`, when it came from an AuthAPI server at `origin`. */
function readLong(token: Token, origin: string): LongToken | "elsewhere" | undefined {
  const state = readTokenState(token) as Partial<AuthapiState> | undefined;
  if (typeof state?.longToken !== "string" || !state.longToken) return undefined;
  // A restored token's long-term token goes only to the server that issued it.
  if (state.origin !== origin) return "elsewhere";
  return { accessToken: state.longToken, tokenId: typeof state.longTokenId === "string" ? state.longTokenId : undefined };
}

const LONG = "201 with a LongTokenResponse body";

/** The AuthAPI adapter: the long → short exchange, `X-Token-Id`, and `AuthError {code, message}` (the default error reader). */
export const authapi: Adapter<"authapi", AuthapiTokenClientOptions> = {
  vendor: "authapi",
  credentials: ["clientId", "clientSecret"],
  identity: ["clientId"],
  setup(options, env) {
    const { credentials, scopes } = options;
    const ttl = checkInteger(env.reject, "ttlSeconds", options.ttlSeconds, 3600, 7_776_000);
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((scope) => typeof scope === "string" && /^\S+$/.test(scope)))) {
      env.reject('option "scopes" must be an array of non-empty strings without spaces');
    }
    const fields = ["clientId", "clientSecret"] as const;
    // Secret sources are called per request, and what they throw is reported for the operation that called them.
    const bind = (operation: "issue" | "renew" | "revoke" | "createTokenClient") => bindCredentials({ vendor: "authapi", operation }, credentials, fields);
    const wireFor = (operation: "issue" | "renew" | "revoke") => {
      const bound = bind(operation);
      return { client: createClient({ ...env.wire, auth: { clientId: bound.clientId } }), bound };
    };
    const wires = { issue: wireFor("issue"), renew: wireFor("renew"), revoke: wireFor("revoke") };
    const wireOf = (call: Call) => wires[call.operation as "issue" | "renew" | "revoke"].client;
    // The vendor package has checked baseUrl by now; tokens remember it so a restored one is renewed
    // (its long-term token sent) only where it was issued.
    const origin = env.base.baseUrl === undefined ? "(default)" : new URL(env.base.baseUrl).origin;
    const lookUp = (token: Token): LongToken | undefined => {
      const long = readLong(token, origin);
      return long === "elsewhere" ? undefined : long;
    };
    // A call that also masks the long-term token in anything quoted from the vendor.
    const hiding = (call: Call, long: LongToken): Call => ({ ...call, redact: (text) => call.redact(text).split(long.accessToken).join(REDACTED) });

    const revokeById = (call: Call, tokenId: string, accessToken: string) =>
      exchange(call, "204 (token revoked)", (init) =>
        wireOf(call).POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId } }, headers: bearer(accessToken), ...init }),
      );

    const shorten = async (long: LongToken, call: Call): Promise<Token<"authapi">> => {
      const received = await exchange(hiding(call, long), "201 with a ShortTokenResponse body", (init) =>
        wireOf(call).POST("/auth/tokens/short", { headers: bearer(long.accessToken), ...init }),
      );
      const token = readToken<"authapi">(received, "access_token", (body) => ({
        tokenId: typeof body.token_id === "string" ? body.token_id : undefined,
        scope: Array.isArray(body.scopes) ? body.scopes.join(" ") : undefined,
      }));
      // The long-term token rides beside the token (never in its fields, JSON or inspection), so this
      // or another client can renew and revoke it, also after serializeToken/deserializeToken.
      attachTokenState(token, { origin, longToken: long.accessToken, ...(long.tokenId && { longTokenId: long.tokenId }) } satisfies AuthapiState);
      return token;
    };

    return {
      api: createClient({
        ...env.base,
        auth: {
          clientId: bind("createTokenClient").clientId,
          shortToken: env.token,
          longToken: async () => {
            const long = lookUp(await env.current());
            if (!long) throw new Error("@tokenkit/authapi via tokenkit: no long-term token is known for the current token");
            return long.accessToken;
          },
        },
      }),
      operations: {
        async issue(call) {
          const { client, bound } = wires.issue;
          const received = await exchange(call, LONG, async (init) => {
            const body = {
              grant_type: "client_credentials" as const,
              client_id: (await readSecret(bound.clientId))!,
              client_secret: (await readSecret(bound.clientSecret))!,
              ...(scopes && { scopes: [...scopes] }),
              ...(ttl && { ttl_seconds: ttl }),
            };
            return client.POST("/auth/tokens/long", { body, ...init });
          });
          const longBody = readObject(received);
          const id = longBody.token_id ?? received.response.headers.get("x-token-id");
          const long = { accessToken: readString(received, longBody, "access_token"), tokenId: typeof id === "string" ? id : undefined };
          try {
            return await shorten(long, call);
          } catch (error) {
            // Do not leave a live long-term token behind that nobody holds.
            if (long.tokenId) await revokeById(hiding({ ...call, operation: "revoke" }, long), long.tokenId, long.accessToken).catch(() => {});
            throw error;
          }
        },
        async renew(call, token) {
          const long = readLong(token, origin);
          if (long === "elsewhere") fail(call, `this token was issued by another AuthAPI server than ${origin}; renew it with a client of that server, or call issue()`);
          return long ? shorten(long, call) : fail(call, "this token's long-term token is unknown (it was not issued by tokenkit, or was restored from a plain object rather than deserializeToken()); call issue()");
        },
        async revoke(call, token) {
          if (!token.tokenId) fail(call, "the token has no tokenId to revoke it by");
          const long = lookUp(token);
          await revokeById(call, token.tokenId, token.accessToken);
          if (!long?.tokenId) return;
          try {
            await revokeById(hiding(call, long), long.tokenId, long.accessToken);
          } catch (error) {
            // Already revoked through another short-term token of the same long-term token.
            if (!(error instanceof TokenError && (error.code === "unauthorized" || error.code === "not_found"))) throw error;
          }
        },
      },
    };
  },
};
