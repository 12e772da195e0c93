import { createClient, type paths } from "@tokenkit/sftpgo";
import type { Client } from "openapi-fetch";
import { expectOption, isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { fail } from "../core/errors.js";
import { bindCredentials, type SecretSource } from "../core/secret.js";
import { bearer, exchange, joinDetail } from "../core/http.js";
import { correctExpiry, pickEarliest, readExpiry, readToken } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Introspectable, Revocable, TokenClientBase } from "../core/types.js";

/** SFTPGo credentials: an admin's or a user's login, plus the current TOTP code when 2FA is on (a function, to get a fresh one per issue). */
export interface SftpgoCredentials {
  readonly username: SecretSource;
  readonly password: SecretSource;
  readonly otp?: SecretSource;
}

/** Options of `createTokenClient("sftpgo", …)`. */
export interface SftpgoTokenClientOptions extends CommonClientOptions {
  readonly credentials: SftpgoCredentials;
  /** Admin API token (`/api/v2/token`, audience `API`) or user API token (`/api/v2/user/token`, `APIUser`); default "admin". */
  readonly audience?: "admin" | "user";
}

/** The claims of an SFTPGo JWT, decoded locally (not verified). */
export interface SftpgoClaims {
  readonly iss?: string;
  readonly sub?: string;
  readonly aud?: string | string[];
  readonly jti?: string;
  /** Seconds since the epoch, like `iat` and `nbf`. */
  readonly exp?: number;
  readonly iat?: number;
  readonly nbf?: number;
  readonly username?: string;
  readonly permissions?: unknown;
  readonly role?: string;
  readonly [claim: string]: unknown;
}

/** SFTPGo token client: issue, revoke (logout), introspect (local JWT decode). */
export interface SftpgoTokenClient
  extends TokenClientBase<"sftpgo", Client<paths>, Capabilities<false, true, true>>,
    Revocable<"sftpgo">,
    Introspectable<"sftpgo", SftpgoClaims> {}

const GO_UNITS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };

/** Parses SFTPGo's `X-Retry-In` (a Go duration such as "1.5s" or "1m30s") into ms. */
export function parseGoDuration(value: string | null): number | undefined {
  let ms = 0;
  // Every part must be <number><unit>: whatever is left over makes the value invalid.
  const rest = value?.trim().replace(/(\d*\.?\d+)(h|ms|m|s|us|µs|ns)/g, (_, amount: string, unit: string) => {
    ms += Number(amount) * GO_UNITS[unit]!;
    return "";
  });
  return value && rest === "" ? ms : undefined;
}

/**
 * The claims of a compact JWS (header.payload.signature), or undefined when it is not one.
 * Hand-written rather than jose's decodeJwt: decoding needs no crypto, and jose ships ESM only, so
 * `require("tokenkit")` had to start Node's ESM loader for it (≈ 13 ms of every cold start).
 */
export function decodeJwt(jwt: string): SftpgoClaims | undefined {
  // Decoding only: the signature is SFTPGo's to check, and it refuses a forged token itself.
  const [header, payload, signature, ...rest] = jwt.split(".");
  if (!header || !payload || signature === undefined || rest.length > 0) return undefined;
  try {
    // base64url → base64; atob takes it unpadded, and throws on any character outside the alphabet.
    const binary = atob(payload.replace(/-/g, "+").replace(/_/g, "/"));
    const claims: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(binary, (char) => char.charCodeAt(0))));
    return isObject(claims) ? (claims as SftpgoClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** The JWT's `exp` (on the server's clock), when it has a numeric one. */
function readJwtExpiry(jwt: string): Date | undefined {
  const exp = decodeJwt(jwt)?.exp;
  return typeof exp === "number" && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
}

/** The SFTPGo adapter: basic auth for tokens, Bearer for logout, admin vs user audience. */
export const sftpgo: Adapter<"sftpgo", SftpgoTokenClientOptions> = {
  vendor: "sftpgo",
  credentials: ["username", "password", "otp?"],
  identity: ["username"],
  readError(body, headers) {
    // ApiResponse {message, error}; 429s carry X-Retry-In, finer-grained than Retry-After.
    return { detail: joinDetail(body.message, body.error), retryAfterMs: parseGoDuration(headers.get("x-retry-in")) };
  },
  setup(options, env) {
    const { audience = "admin", credentials } = options;
    expectOption(env.reject, audience === "admin" || audience === "user", "audience", '"admin" or "user"', audience);
    const user = audience === "user";
    const fields = ["username", "password", "otp"] as const;
    // Secret sources are called per request; only issue sends the credentials.
    const wire = createClient({ ...env.wire, auth: bindCredentials({ vendor: "sftpgo", operation: "issue" }, credentials, fields) });
    return {
      api: createClient({ ...env.base, auth: { ...bindCredentials({ vendor: "sftpgo", operation: "createTokenClient" }, credentials, fields), token: env.token } }),
      operations: {
        async issue(call) {
          const received = await exchange(call, "200 with a Token body", (init) => wire.GET(user ? "/api/v2/user/token" : "/api/v2/token", init));
          // expires_at and the JWT's own exp claim say the same; the earlier wins should they differ.
          return readToken(received, "access_token", (body, accessToken) => ({
            expiresAt: pickEarliest(readExpiry(received, body), correctExpiry(received, readJwtExpiry(accessToken))),
          }));
        },
        async revoke(call, token) {
          await exchange(call, "200 (token invalidated)", (init) =>
            wire.GET(user ? "/api/v2/user/logout" : "/api/v2/logout", { headers: bearer(token.accessToken), ...init }),
          );
        },
        async introspect(call, token) {
          return decodeJwt(token.accessToken) ?? fail(call, "expected a JWT access token; its claims could not be decoded");
        },
      },
    };
  },
};
