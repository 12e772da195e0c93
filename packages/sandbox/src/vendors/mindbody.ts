import type { Context } from "openapi-backend";
import { isSameSecret } from "../demo-accounts.js";
import { readHeader, readObjectBody, readReasonPhrase, respondJson } from "../http-util.js";
import { createHexId } from "../ids.js";
import { ExpiringStore } from "../token-store.js";
import { FAILURE_STATUS, type AuthOutcome, type Exchange, type FailureKind, type SandboxCredentials, type SandboxResponse, type VendorEmulator } from "../types.js";

const LIFETIME_MS = 24 * 60 * 60 * 1000;
const MAX_RENEWALS = 7;
const API_VERSION = "6";

interface StaffToken {
  readonly accessToken: string;
  readonly siteId: string;
  expiresAt: number;
  renewals: number;
}

const FAILURE_CODES: Record<FailureKind, string> = {
  invalid_request: "InvalidParameter",
  not_found: "NotFound",
  method_not_allowed: "MethodNotAllowed",
  unsupported_media_type: "UnsupportedMediaType",
  payload_too_large: "RequestTooLarge",
  server_error: "InternalError",
};

/** Mindbody's error body: `{"Error": {"Message", "Code"}}`. */
function respondMindbodyError(status: number, message: string, code: string): SandboxResponse {
  return respondJson(status, { Error: { Message: message, Code: code } });
}

/** Mindbody Public API v6 user tokens: 24 h, renewable 7 times by 24 h from the current expiry, revocable. */
export function createMindbodyEmulator(credentials: SandboxCredentials["mindbody"]): VendorEmulator {
  const tokens = new ExpiringStore<StaffToken>((token) => token.expiresAt);

  const authenticateApiKey = (_context: Context, exchange: Exchange): AuthOutcome => {
    const given = readHeader(exchange.headers, "api-key");
    if (given === undefined || given === "") return { error: "The API-Key header is missing." };
    return isSameSecret(given, credentials.apiKey) ? { value: true } : { error: "The API key is not valid." };
  };

  // Mindbody does not say how Authorization is formatted; clients send the bare token or `Bearer <token>`.
  const authenticateStaffToken = (_context: Context, exchange: Exchange): AuthOutcome<StaffToken> => {
    const header = readHeader(exchange.headers, "authorization")?.trim();
    if (!header) return { error: "The Authorization header with a staff user token is missing." };
    const token = tokens.get(header.replace(/^bearer\s+/i, ""), exchange.now);
    // One message for unknown, expired and revoked: expired tokens are purged, so they become unknown.
    return token ? { value: token } : { error: "The staff user token is not valid, has expired or was revoked." };
  };

  const checkRequestScope = (context: Context, token?: StaffToken): SandboxResponse | undefined => {
    const version = String((context.request.params as Record<string, unknown>).version ?? "");
    if (version !== API_VERSION) return respondMindbodyError(404, `API version v${version} is not available; use v${API_VERSION}.`, "NotFound");
    const siteId = String((context.request.headers as Record<string, unknown>).siteid ?? "");
    if (siteId !== credentials.siteId) return respondMindbodyError(400, "The site ID does not match a site this API key may access.", "InvalidSiteId");
    if (token && token.siteId !== siteId) return respondMindbodyError(401, "The staff user token belongs to another site.", "DeniedAccess");
    return undefined;
  };

  const describe = (token: StaffToken) => ({
    TokenType: "Bearer",
    AccessToken: token.accessToken,
    Expires: new Date(token.expiresAt).toISOString(),
    User: { Id: 100000012, FirstName: "Sandbox", LastName: "Staff", Type: "Staff" },
  });

  return {
    id: "mindbody",
    mounts: [{ prefix: "/mindbody", servesPath: () => true }],
    securityHandlers: { ApiKey: authenticateApiKey, StaffUserToken: authenticateStaffToken },
    handlers: {
      issueToken: (context, exchange) => {
        const refused = checkRequestScope(context);
        if (refused) return refused;
        const body = (context.request.requestBody ?? {}) as { Username?: string; Password?: string };
        const missing = (["Username", "Password"] as const).filter((field) => !body[field]);
        if (missing.length > 0) return respondMindbodyError(400, `Missing required field(s): ${missing.join(", ")}.`, "MissingRequiredFields");
        if (body.Username !== credentials.username || !isSameSecret(body.Password, credentials.password)) {
          return respondMindbodyError(400, "The user name or password is incorrect.", "InvalidUserCredentials");
        }
        const token: StaffToken = { accessToken: createHexId(32), siteId: credentials.siteId, expiresAt: exchange.now + LIFETIME_MS, renewals: 0 };
        tokens.set(token.accessToken, token);
        return respondJson(200, describe(token));
      },
      renewToken: (context) => {
        const token = (context.security.StaffUserToken as AuthOutcome<StaffToken>).value as StaffToken;
        const refused = checkRequestScope(context, token);
        if (refused) return refused;
        if (token.renewals >= MAX_RENEWALS) {
          return respondMindbodyError(400, `The token has already been renewed ${MAX_RENEWALS} times, the most allowed; issue a new token.`, "TokenRenewalLimitReached");
        }
        token.renewals += 1;
        token.expiresAt += LIFETIME_MS;
        return respondJson(200, describe(token));
      },
      revokeToken: (context) => {
        const token = (context.security.StaffUserToken as AuthOutcome<StaffToken>).value as StaffToken;
        const refused = checkRequestScope(context, token);
        if (refused) return refused;
        tokens.delete(token.accessToken);
        return respondJson(200, {});
      },
    },
    fail: (kind, message) => respondMindbodyError(FAILURE_STATUS[kind], message, FAILURE_CODES[kind]),
    refuse: (status, message) => {
      const kind = (Object.keys(FAILURE_STATUS) as FailureKind[]).find((name) => FAILURE_STATUS[name] === status);
      const code = status === 401 ? "DeniedAccess" : kind ? FAILURE_CODES[kind] : readReasonPhrase(status).replace(/[^A-Za-z]/g, "");
      return respondMindbodyError(status, message, code);
    },
    expire: (response, at) => {
      const body = readObjectBody(response);
      if (response.status !== 200 || typeof body?.AccessToken !== "string") return response;
      const token = tokens.peek(body.AccessToken);
      if (token) token.expiresAt = at;
      return { ...response, body: { ...body, Expires: new Date(at).toISOString() } };
    },
    unauthorized: (context) => {
      const reasons = ["ApiKey", "StaffUserToken"].map((scheme) => (context.security[scheme] as AuthOutcome | undefined)?.error).filter(Boolean);
      return respondMindbodyError(401, reasons[0] ?? "Authentication failed.", "DeniedAccess");
    },
    sweep: (now) => void tokens.sweep(now),
    storedEntries: () => tokens.size,
  };
}
