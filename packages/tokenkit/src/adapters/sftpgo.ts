import { createClient, type paths } from "@tokenkit/sftpgo";
import { decodeJwt, type JWTPayload } from "jose";
import type { Client } from "openapi-fetch";
import { describe, isObject } from "../core/check.js";
import type { Adapter } from "../core/client.js";
import { fail } from "../core/errors.js";
import { exchange, readObject, readString } from "../core/http.js";
import { createToken, parseDate } from "../core/token.js";
import type { Capabilities, CommonClientOptions, Introspectable, Revocable, TokenClientBase } from "../core/types.js";

/** SFTPGo credentials: an admin's or a user's login, plus the current TOTP code when 2FA is on. */
export interface SftpgoCredentials {
  readonly username: string;
  readonly password: string;
  readonly otp?: string;
}

/** Options of `createTokenClient("sftpgo", …)`. */
export interface SftpgoTokenClientOptions extends CommonClientOptions {
  readonly credentials: SftpgoCredentials;
  /** Admin API token (`/api/v2/token`, audience `API`) or user API token (`/api/v2/user/token`, `APIUser`); default "admin". */
  readonly audience?: "admin" | "user";
}

/** The claims of an SFTPGo JWT, decoded locally (not verified). */
export interface SftpgoClaims extends JWTPayload {
  readonly username?: string;
  readonly permissions?: unknown;
  readonly role?: string;
}

/** SFTPGo token client: issue, revoke (logout), introspect (local JWT decode). */
export interface SftpgoTokenClient
  extends TokenClientBase<"sftpgo", Client<paths>, Capabilities<false, true, true>>,
    Revocable<"sftpgo">,
    Introspectable<"sftpgo", SftpgoClaims> {}

const ISSUED = "200 with a Token body";
const GO_UNITS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 };

/** Parses SFTPGo's `X-Retry-In` (a Go duration such as "1.5s" or "1m30s") into ms. */
export function parseGoDuration(value: string | null): number | undefined {
  const parts = value?.trim().match(/\d*\.?\d+(?:ms|us|µs|ns|h|m|s)/g);
  if (!parts || parts.join("") !== value?.trim()) return undefined;
  let ms = 0;
  for (const part of parts) {
    const [, amount = "", unit = ""] = /^([\d.]+)(.+)$/.exec(part) ?? [];
    ms += Number(amount) * (GO_UNITS[unit] ?? Number.NaN);
  }
  return Number.isFinite(ms) ? ms : undefined;
}

function readJwtExpiry(accessToken: string): Date | undefined {
  try {
    const { exp } = decodeJwt(accessToken);
    return typeof exp === "number" ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/** The SFTPGo adapter: basic auth for tokens, Bearer for logout, admin vs user audience. */
export const sftpgo: Adapter<"sftpgo", SftpgoTokenClientOptions> = {
  vendor: "sftpgo",
  capabilities: { issue: true, renew: false, revoke: true, introspect: true },
  credentials: ["username", "password", "otp?"],
  authorize: (accessToken) => `Bearer ${accessToken}`,
  readError(body, headers) {
    // ApiResponse {message, error}; 429s carry X-Retry-In, finer-grained than Retry-After.
    return {
      detail: isObject(body) ? [body.message, body.error].filter(Boolean).join(": ") : body,
      retryAfterMs: parseGoDuration(headers.get("x-retry-in")),
    };
  },
  setup(options, env) {
    const { audience = "admin", credentials } = options;
    if (audience !== "admin" && audience !== "user") env.reject(`option "audience" must be "admin" or "user"; received ${describe(audience)}`);
    const user = audience === "user";
    const auth = { username: credentials.username, password: credentials.password, otp: credentials.otp };
    const shared = { baseUrl: options.baseUrl, fetch: env.fetch, allowInsecureHttp: options.allowInsecureHttp };
    const wire = createClient({ ...shared, auth });
    return {
      api: createClient({ ...shared, auth: { ...auth, token: env.token } }),
      operations: {
        async issue(call) {
          const received = await exchange(call, ISSUED, (signal) => wire.GET(user ? "/api/v2/user/token" : "/api/v2/token", { signal, parseAs: "stream" }));
          const body = readObject(call, ISSUED, received);
          const accessToken = readString(call, ISSUED, received, body, "access_token");
          const expiresAt = parseDate(body.expires_at) ?? readJwtExpiry(accessToken);
          return createToken({ vendor: "sftpgo", accessToken, tokenType: "bearer", expiresAt, raw: body });
        },
        async revoke(token, call) {
          const headers = { Authorization: `Bearer ${token.accessToken}` };
          await exchange(call, "200 (token invalidated)", (signal) =>
            wire.GET(user ? "/api/v2/user/logout" : "/api/v2/logout", { headers, signal, parseAs: "stream" }),
          );
        },
        async introspect(token) {
          try {
            return decodeJwt(token.accessToken) as SftpgoClaims;
          } catch {
            return fail("sftpgo", "introspect", "expected a JWT access token; its claims could not be decoded");
          }
        },
      },
    };
  },
};
