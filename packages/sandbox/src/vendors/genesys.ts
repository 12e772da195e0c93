import type { Context } from "openapi-backend";
import { isSameSecret } from "../demo-accounts.js";
import { formatIso, readBasicAuth, readObjectBody, readReasonPhrase, readSchemeCredential, respondEmpty, respondJson } from "../http-util.js";
import { createOpaqueToken, createUuid } from "../ids.js";
import { ExpiringStore } from "../token-store.js";
import {
  FAILURE_STATUS,
  type AuthOutcome,
  type Exchange,
  type FailureKind,
  type Mount,
  type SandboxAccounts,
  type SandboxCredentials,
  type SandboxResponse,
  type VendorEmulator,
} from "../types.js";

/** The OAuth client's `accessTokenValiditySeconds` default: 24 h. */
const TOKEN_LIFETIME_SECONDS = 86_400;
const OAUTH_TOKEN_PATH = "/oauth/token";
const ORGANIZATION = { id: "8e0f8f3c-1f5d-4c1a-9a40-0b6d3e2f7a11", name: "tokenkit sandbox org" };

interface AccessToken {
  readonly accessToken: string;
  readonly clientId: string;
  /** Client-credentials tokens act as the OAuth client itself, so their "user" is the client. */
  readonly ownerId: string;
  expiresAt: number;
  lastUsedAt: number;
}

/** The organization's idle token timeout settings (`IdleTokenTimeout`). */
interface IdleTokenTimeout {
  idleTokenTimeoutSeconds: number;
  enableIdleTokenTimeout: boolean;
  inactivityTimeoutUnit?: string;
  inactivityTimeoutGroupsEnabled?: boolean;
  inactivityTimeoutGroupBundles?: unknown[];
}

const IDLE_TIMEOUT_FIELDS = [
  "idleTokenTimeoutSeconds",
  "enableIdleTokenTimeout",
  "inactivityTimeoutUnit",
  "inactivityTimeoutGroupsEnabled",
  "inactivityTimeoutGroupBundles",
] as const;

const ERROR_CODES: Record<FailureKind, string> = {
  invalid_request: "bad.request",
  not_found: "not.found",
  method_not_allowed: "method.not.allowed",
  unsupported_media_type: "unsupported.media.type",
  payload_too_large: "request.entity.too.large",
  server_error: "internal.server.error",
};

/** RFC 6749 §5.2 error codes for the statuses a login host sends besides 400. */
const OAUTH_ERRORS: Record<number, string> = { 401: "invalid_client", 403: "unauthorized_client", 429: "temporarily_unavailable", 503: "temporarily_unavailable" };

/** Genesys' `ErrorBody`. */
function respondErrorBody(status: number, message: string, code: string): SandboxResponse {
  return respondJson(status, { message, code, status, contextId: createUuid() });
}

/** RFC 6749 §5.2 error body, as the login host sends it. */
function respondOAuthError(status: number, error: string, description: string, headers?: Record<string, string>): SandboxResponse {
  return respondJson(status, { error, error_description: description }, { "cache-control": "no-store", ...headers });
}

/** Genesys Cloud: client-credentials tokens on the login host, token info / verify / delete and the idle timeout on the API host. */
export function createGenesysEmulator(credentials: SandboxCredentials["genesys"], accounts: SandboxAccounts["genesys"]): VendorEmulator {
  const client = { ...credentials, name: "tokenkit sandbox client", scopes: ["oauth", "organization", "users:readonly"] };
  const idle: IdleTokenTimeout = {
    idleTokenTimeoutSeconds: 900,
    enableIdleTokenTimeout: false,
    inactivityTimeoutUnit: "Minutes",
    inactivityTimeoutGroupsEnabled: false,
    inactivityTimeoutGroupBundles: [],
  };
  const computeIdleDeadline = (token: AccessToken) => (idle.enableIdleTokenTimeout ? token.lastUsedAt + idle.idleTokenTimeoutSeconds * 1000 : Infinity);
  const tokens = new ExpiringStore<AccessToken>((token) => Math.min(token.expiresAt, computeIdleDeadline(token)));
  const loginMount: Mount = { prefix: "/genesys-login", servesPath: (path) => path === OAUTH_TOKEN_PATH };
  const apiMount: Mount = { prefix: "/genesys", servesPath: (path) => path !== OAUTH_TOKEN_PATH };

  const authenticateClientBasic = (_context: Context, exchange: Exchange): AuthOutcome => {
    const basic = readBasicAuth(exchange.headers);
    if (!basic) return { error: "client authentication is required (HTTP basic with the client id and secret)" };
    if (basic.username !== client.clientId || !isSameSecret(basic.password, client.clientSecret)) return { error: "client authentication failed" };
    return { value: client };
  };

  // Every call with a token resets its idle timer, except GET /tokens/me?preserveIdleTTL=true.
  const authenticatePureCloud = (context: Context, exchange: Exchange): AuthOutcome<AccessToken> => {
    const presented = readSchemeCredential(exchange.headers, "bearer");
    if (!presented) return { error: "authentication.required" };
    const token = tokens.get(presented, exchange.now);
    if (!token) return { error: "bad.credentials" };
    const preserve = context.operation.operationId === "getTokensMe" && String((context.request.query as Record<string, unknown>).preserveIdleTTL) === "true";
    if (!preserve) token.lastUsedAt = exchange.now;
    return { value: token };
  };

  const readCallerToken = (context: Context) => (context.security.PureCloudOAuth as AuthOutcome<AccessToken>).value as AccessToken;

  return {
    id: "genesys",
    mounts: [apiMount, loginMount],
    securityHandlers: { ClientBasic: authenticateClientBasic, PureCloudOAuth: authenticatePureCloud },
    handlers: {
      requestClientCredentialsToken: (_context, exchange) => {
        const token: AccessToken = {
          accessToken: createOpaqueToken(48),
          clientId: client.clientId,
          ownerId: accounts.userId,
          expiresAt: exchange.now + TOKEN_LIFETIME_SECONDS * 1000,
          lastUsedAt: exchange.now,
        };
        tokens.set(token.accessToken, token);
        return respondJson(200, { access_token: token.accessToken, token_type: "bearer", expires_in: TOKEN_LIFETIME_SECONDS }, { "cache-control": "no-store" });
      },
      getTokensMe: (context) => {
        const token = readCallerToken(context);
        return respondJson(200, {
          organization: ORGANIZATION,
          homeOrganization: ORGANIZATION,
          authorizedScope: client.scopes,
          OAuthClient: { id: client.clientId, name: client.name, authorizedGrantType: "CLIENT-CREDENTIALS", organization: ORGANIZATION },
          dateTokenIdles: formatIso(Math.min(token.expiresAt, computeIdleDeadline(token))),
        });
      },
      headTokensMe: () => respondEmpty(200),
      deleteTokensMe: (context) => {
        tokens.delete(readCallerToken(context).accessToken);
        return respondEmpty(204);
      },
      deleteToken: (context) => {
        const userId = String((context.request.params as Record<string, unknown>).userId ?? "");
        if (userId !== accounts.userId) return respondErrorBody(404, "No user with this id exists", "not.found");
        for (const token of [...tokens.values()]) if (token.ownerId === userId) tokens.delete(token.accessToken);
        return respondEmpty(204);
      },
      getTokensTimeout: () => respondJson(200, idle),
      putTokensTimeout: (context) => {
        // Only the documented fields are kept; the schema allows others, Genesys ignores them.
        const update = (context.request.requestBody ?? {}) as Record<string, unknown>;
        for (const field of IDLE_TIMEOUT_FIELDS) if (update[field] !== undefined) Object.assign(idle, { [field]: update[field] });
        return respondJson(200, idle);
      },
    },
    fail: (kind, message, mount) => {
      const status = FAILURE_STATUS[kind];
      if (mount.prefix !== loginMount.prefix) return respondErrorBody(status, message, ERROR_CODES[kind]);
      if (kind !== "invalid_request") return respondOAuthError(status, kind, message);
      // RFC 6749: a grant the server does not support is `unsupported_grant_type`, not a malformed request.
      const unsupportedGrant = /Body field "grant_type" must be equal to one of the allowed values/.test(message);
      return respondOAuthError(400, unsupportedGrant ? "unsupported_grant_type" : "invalid_request", message);
    },
    refuse: (status, message, mount) => {
      if (mount.prefix !== loginMount.prefix) return respondErrorBody(status, message, readReasonPhrase(status).toLowerCase().replace(/[^a-z]+/g, "."));
      return respondOAuthError(status, OAUTH_ERRORS[status] ?? (status >= 500 ? "server_error" : "invalid_request"), message);
    },
    // The login host answers with a relative lifetime, so the dead token says it has 0 s left.
    expire: (response, at) => {
      const body = readObjectBody(response);
      if (response.status !== 200 || typeof body?.access_token !== "string") return response;
      const token = tokens.peek(body.access_token);
      if (token) token.expiresAt = at;
      return { ...response, body: { ...body, expires_in: 0 } };
    },
    unauthorized: (context, _exchange, mount) => {
      if (mount.prefix === loginMount.prefix) {
        const reason = (context.security.ClientBasic as AuthOutcome | undefined)?.error ?? "client authentication failed";
        return respondOAuthError(401, "invalid_client", reason, { "www-authenticate": 'Basic realm="oauth"' });
      }
      const code = (context.security.PureCloudOAuth as AuthOutcome | undefined)?.error ?? "authentication.required";
      const message = code === "authentication.required" ? "No access token was sent (Authorization: Bearer <token>)" : "The access token is not valid, has expired or was deleted";
      return respondErrorBody(401, message, code);
    },
    sweep: (now) => void tokens.sweep(now),
    storedEntries: () => tokens.size,
  };
}
