import { randomBytes } from "node:crypto";
import { STATUS_CODES } from "node:http";
import { SignJWT, decodeJwt, jwtVerify, type JWTPayload } from "jose";
import type { Context } from "openapi-backend";
import { isSameSecret } from "../demo-accounts.js";
import { readBasicAuth, readHeader, readObjectBody, readSchemeCredential, formatIsoSeconds, respondJson } from "../http-util.js";
import { createHexId, computeDigest } from "../ids.js";
import { RateLimiter, formatGoDuration, type RateLimit } from "../rate-limit.js";
import { ExpiringStore } from "../token-store.js";
import { verifyTotp } from "../totp.js";
import { FAILURE_STATUS, type AuthOutcome, type Exchange, type SandboxAccounts, type SandboxCredentials, type SandboxResponse, type VendorEmulator } from "../types.js";

/** `httpd.jwt_lifetime` default: 20 minutes. */
const JWT_LIFETIME_SECONDS = 20 * 60;
/** SFTPGo accepts 30 s of clock skew on exp and nbf. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** A logged-out token stays on the deny-list until exp + 1 minute. */
const DENY_LIST_GRACE_MS = 60_000;

/** Audiences: admin tokens (`/token`) and user tokens (`/user/token`). */
const AUDIENCE = { admin: "API", user: "APIUser" } as const;
const AUDIENCE_BY_OPERATION: Record<string, string> = { logout: AUDIENCE.admin, clientLogout: AUDIENCE.user };

interface Account {
  readonly username: string;
  readonly password: string;
  readonly totpSecret?: string;
}

/** Claims of an SFTPGo API token. */
interface TokenClaims extends JWTPayload {
  readonly jti: string;
  readonly exp: number;
  readonly aud: string[];
  readonly username: string;
}

/** Options of the SFTPGo emulator. */
export interface SftpgoOptions {
  readonly credentials: SandboxCredentials["sftpgo"];
  readonly accounts: SandboxAccounts["sftpgo"];
  /** Per-client-IP HTTP rate limit; false turns it off. */
  readonly rateLimit: RateLimit | false;
}

/** SFTPGo's `ApiResponse`: `message` always, `error` only when there is one. */
function respondApiResponse(status: number, message: string, error?: string, headers?: Record<string, string>): SandboxResponse {
  return respondJson(status, error ? { message, error } : { message }, headers);
}

const BASIC_CHALLENGE = { "www-authenticate": 'Basic realm="SFTPGo"' };

/** SFTPGo REST API tokens: HS256 JWTs (random key per start), audiences, IP binding, logout deny-list, TOTP, rate limit. */
export function createSftpgoEmulator(options: SftpgoOptions): VendorEmulator {
  // SFTPGo without a configured signing passphrase makes a random key on every start.
  const signingKey = new Uint8Array(randomBytes(32));
  // Every demo account is both an admin and a user, so the same credentials work with either audience.
  const accounts = new Map<string, Account>([options.credentials, options.accounts.twoFactor].map((account) => [account.username, account]));
  const denyList = new ExpiringStore<{ readonly until: number }>((entry) => entry.until);
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined;

  const authenticateBasic = (_context: Context, exchange: Exchange): AuthOutcome<Account> => {
    const basic = readBasicAuth(exchange.headers);
    if (!basic || basic.username === "" || basic.password === "") return { error: "Unauthorized" };
    const account = accounts.get(basic.username);
    if (!account || !isSameSecret(basic.password, account.password)) return { error: "Unauthorized", detail: "invalid credentials" };
    return { value: account };
  };

  const authenticateBearer = async (context: Context, exchange: Exchange): Promise<AuthOutcome<TokenClaims>> => {
    const jwt = readSchemeCredential(exchange.headers, "bearer");
    if (!jwt) return { error: "Unauthorized", detail: "no token found" };
    let claims: TokenClaims;
    try {
      const verified = await jwtVerify(jwt, signingKey, {
        algorithms: ["HS256"],
        currentDate: new Date(exchange.now),
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      claims = verified.payload as TokenClaims;
    } catch (error) {
      const expired = (error as { code?: string }).code === "ERR_JWT_EXPIRED";
      return { error: "Unauthorized", detail: expired ? "token is expired" : "token is unauthorized" };
    }
    if (denyList.get(claims.jti, exchange.now)) return { error: "Your token is no longer valid" };
    const audience = AUDIENCE_BY_OPERATION[context.operation.operationId ?? ""];
    if (!Array.isArray(claims.aud) || (audience !== undefined && !claims.aud.includes(audience))) return { error: "Your token audience is not valid" };
    if (!claims.aud.includes(exchange.clientIp)) return { error: "Your token is not valid" };
    return { value: claims };
  };

  const issue = async (context: Context, exchange: Exchange, audience: string): Promise<SandboxResponse> => {
    const account = (context.security.BasicAuth as AuthOutcome<Account>).value as Account;
    if (account.totpSecret !== undefined) {
      const otp = readHeader(exchange.headers, "x-sftpgo-otp")?.trim();
      if (!otp) return respondApiResponse(401, "Unauthorized", "a one-time passcode is required (X-SFTPGO-OTP)", BASIC_CHALLENGE);
      if (!verifyTotp(account.totpSecret, otp, exchange.now)) return respondApiResponse(401, "Unauthorized", "the one-time passcode is not valid", BASIC_CHALLENGE);
    }
    const iat = Math.floor(exchange.now / 1000);
    const exp = iat + JWT_LIFETIME_SECONDS;
    const claims: TokenClaims = {
      jti: createHexId(20),
      iat,
      nbf: iat - 10,
      exp,
      sub: computeDigest(`${audience}:${account.username}`),
      aud: [audience, exchange.clientIp],
      username: account.username,
      permissions: ["*"],
    };
    const accessToken = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(signingKey);
    return respondJson(200, { access_token: accessToken, expires_at: formatIsoSeconds(exp * 1000) });
  };

  const logout = (context: Context): SandboxResponse => {
    const claims = (context.security.BearerAuth as AuthOutcome<TokenClaims>).value as TokenClaims;
    denyList.set(claims.jti, { until: claims.exp * 1000 + DENY_LIST_GRACE_MS });
    return respondApiResponse(200, "Your token has been invalidated");
  };

  return {
    id: "sftpgo",
    mounts: [{ prefix: "/sftpgo", servesPath: () => true }],
    securityHandlers: { BasicAuth: authenticateBasic, BearerAuth: authenticateBearer },
    handlers: {
      getToken: (context, exchange) => issue(context, exchange, AUDIENCE.admin),
      getUserToken: (context, exchange) => issue(context, exchange, AUDIENCE.user),
      logout,
      clientLogout: logout,
    },
    fail: (kind, message) => {
      const status = FAILURE_STATUS[kind];
      return respondApiResponse(status, STATUS_CODES[status] ?? "Error", message);
    },
    refuse: (status, message, _mount, retryAfterSeconds) =>
      respondApiResponse(status, STATUS_CODES[status] ?? "Error", message, status === 429 && retryAfterSeconds !== undefined ? { "x-retry-in": formatGoDuration(retryAfterSeconds * 1000) } : undefined),
    // A fresh JWT whose whole life lies in the past: SFTPGo refuses it like any expired token.
    expire: async (response, at) => {
      const body = readObjectBody(response);
      if (response.status !== 200 || typeof body?.access_token !== "string") return response;
      const exp = Math.floor(at / 1000);
      const iat = exp - JWT_LIFETIME_SECONDS;
      const claims = { ...decodeJwt(body.access_token), iat, nbf: iat - 10, exp };
      const accessToken = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(signingKey);
      return { ...response, body: { ...body, access_token: accessToken, expires_at: formatIsoSeconds(exp * 1000) } };
    },
    unauthorized: (context) => {
      const scheme = "BasicAuth" in context.security ? "BasicAuth" : "BearerAuth";
      const outcome = context.security[scheme] as AuthOutcome | undefined;
      const message = outcome?.error ?? "Unauthorized";
      const detail = outcome?.error !== undefined ? outcome.detail : undefined;
      return respondApiResponse(401, message, detail, scheme === "BasicAuth" ? BASIC_CHALLENGE : undefined);
    },
    admit: (exchange) => {
      const waitMs = limiter?.take(exchange.clientIp, exchange.now) ?? 0;
      if (waitMs === 0) return undefined;
      return respondApiResponse(429, "Too Many Requests", "rate limit exceeded", {
        "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))),
        "x-retry-in": formatGoDuration(waitMs),
      });
    },
    sweep: (now) => {
      denyList.sweep(now);
      limiter?.sweep(now);
    },
    storedEntries: () => denyList.size + (limiter?.size ?? 0),
  };
}
