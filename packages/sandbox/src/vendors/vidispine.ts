import type { Context } from "openapi-backend";
import { isSameSecret } from "../demo-accounts.js";
import { readBasicAuth, readHeader, readObjectBody, readSchemeCredential, respondJson, respondText } from "../http-util.js";
import { createHexId } from "../ids.js";
import { negotiateMediaType } from "../negotiate.js";
import { ExpiringStore } from "../token-store.js";
import { FAILURE_STATUS, type AuthOutcome, type Exchange, type SandboxAccounts, type SandboxCredentials, type SandboxResponse, type VendorEmulator } from "../types.js";

/** `userTokenDefaultInterval` and `userTokenMaxInterval` (both 60 s by default). */
const DEFAULT_SECONDS = 60;
const MAX_SECONDS = 60;
/** `userTokenRefreshInterval`: an auto-refresh token's expiry is reset at most this often. */
const REFRESH_INTERVAL_MS = 10_000;

interface VidispineUser {
  readonly username: string;
  readonly password: string;
  readonly administrator: boolean;
  readonly disabled: boolean;
}

interface UserToken {
  readonly token: string;
  readonly username: string;
  readonly lifetimeMs: number;
  readonly autoRefresh: boolean;
  expiresAt: number;
  lastResetAt: number;
}

/** Vidispine user tokens: `seconds` lifetime (60 s max unless administrator), optional auto-refresh on use. */
export function createVidispineEmulator(credentials: SandboxCredentials["vidispine"], accounts: SandboxAccounts["vidispine"]): VendorEmulator {
  const users = new Map<string, VidispineUser>(
    [
      { ...credentials, administrator: false, disabled: false },
      { ...accounts.admin, administrator: true, disabled: false },
      { ...accounts.disabled, administrator: false, disabled: true },
    ].map((user) => [user.username, user]),
  );
  const tokens = new ExpiringStore<UserToken>((token) => token.expiresAt);

  const authenticateBasic = (_context: Context, exchange: Exchange): AuthOutcome<VidispineUser> => {
    const basic = readBasicAuth(exchange.headers);
    if (!basic) return { error: "no credentials were sent" };
    const user = users.get(basic.username);
    if (!user || !isSameSecret(basic.password, user.password)) return { error: "the username or password is wrong" };
    return { value: user };
  };

  // Any call made with an auto-refresh token restarts its clock, at most once per refresh interval.
  const authenticateToken = (_context: Context, exchange: Exchange): AuthOutcome<VidispineUser> => {
    const presented = readSchemeCredential(exchange.headers, "token");
    if (!presented) return { error: "no token was sent" };
    const token = tokens.get(presented, exchange.now);
    // One message for unknown and expired: expired tokens are purged, so they become unknown.
    if (!token) return { error: "the token is not valid or has expired" };
    const user = users.get(token.username);
    if (!user) return { error: "the token is not valid" };
    if (token.autoRefresh && exchange.now - token.lastResetAt >= REFRESH_INTERVAL_MS) {
      token.expiresAt = exchange.now + token.lifetimeMs;
      token.lastResetAt = exchange.now;
    }
    return { value: user };
  };

  const issue = (context: Context, exchange: Exchange, targetName: string | undefined): SandboxResponse | { token: UserToken } => {
    const caller =
      (context.security.BasicAuth as AuthOutcome<VidispineUser> | undefined)?.value ?? (context.security.TokenAuth as AuthOutcome<VidispineUser> | undefined)?.value;
    if (!caller) return respondText(401, "Authentication failed");
    if (caller.disabled) return respondText(409, "The user is disabled");
    const target = targetName === undefined ? caller : users.get(targetName);
    if (targetName !== undefined && targetName !== caller.username && !caller.administrator) {
      return respondText(403, "Only users with the _administrator role may get a token for another user");
    }
    if (!target) return respondText(404, "No user with this name exists");
    if (target.disabled) return respondText(409, "The user is disabled");
    const query = context.request.query as { seconds?: number; autoRefresh?: boolean };
    const seconds = query.seconds ?? DEFAULT_SECONDS;
    if (seconds > MAX_SECONDS && !caller.administrator) {
      return respondText(400, `Query parameter "seconds" may be at most ${MAX_SECONDS} for users without the _administrator role`);
    }
    const token: UserToken = {
      token: `${target.username}-${createHexId(24)}`,
      username: target.username,
      lifetimeMs: seconds * 1000,
      autoRefresh: query.autoRefresh === true,
      expiresAt: exchange.now + seconds * 1000,
      lastResetAt: exchange.now,
    };
    tokens.set(token.token, token);
    return { token };
  };

  return {
    id: "vidispine",
    mounts: [{ prefix: "/vidispine", servesPath: () => true }],
    securityHandlers: { BasicAuth: authenticateBasic, TokenAuth: authenticateToken },
    handlers: {
      getAuthToken: (context, exchange) => {
        const issued = issue(context, exchange, undefined);
        if (!("token" in issued)) return issued;
        const type = negotiateMediaType(readHeader(exchange.headers, "accept"), ["application/json", "text/plain"]);
        return type === "text/plain" ? respondText(200, issued.token.token) : respondJson(200, { token: issued.token.token, user: issued.token.username });
      },
      getUserAuthToken: (context, exchange) => {
        const username = String((context.request.params as Record<string, unknown>).username ?? "");
        const issued = issue(context, exchange, username);
        return "token" in issued ? respondText(200, issued.token.token) : issued;
      },
    },
    fail: (kind, message) => respondText(FAILURE_STATUS[kind], message),
    refuse: (status, message) => respondText(status, message),
    // Vidispine's answer holds no expiry (the client knows the seconds it asked for), so only the server's copy dies.
    expire: (response, at) => {
      if (response.status !== 200) return response;
      const presented = typeof response.body === "string" ? response.body : readObjectBody(response)?.token;
      const token = typeof presented === "string" ? tokens.peek(presented) : undefined;
      if (token) token.expiresAt = at;
      return response;
    },
    unauthorized: (context, exchange) => {
      const basic = (context.security.BasicAuth as AuthOutcome | undefined)?.error;
      const token = (context.security.TokenAuth as AuthOutcome | undefined)?.error;
      const sentToken = readSchemeCredential(exchange.headers, "token") !== undefined;
      return respondText(401, `Authentication failed: ${(sentToken ? token : basic) ?? "no credentials were sent"}`);
    },
    sweep: (now) => void tokens.sweep(now),
    storedEntries: () => tokens.size,
  };
}
