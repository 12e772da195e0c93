import { randomBytes } from "node:crypto";
import { SignJWT, decodeJwt } from "jose";
import type { Context } from "openapi-backend";
import { isSameSecret } from "../demo-accounts.js";
import { formatIso, readHeader, readObjectBody, readReasonPhrase, readSchemeCredential, respondEmpty, respondJson } from "../http-util.js";
import { createHexId, createOpaqueToken } from "../ids.js";
import { ExpiringStore } from "../token-store.js";
import { FAILURE_STATUS, type AuthOutcome, type Exchange, type SandboxCredentials, type SandboxResponse, type VendorEmulator } from "../types.js";

/** Long-term token lifetime when `ttl_seconds` is not given: 30 days. */
const DEFAULT_LONG_TTL_SECONDS = 30 * 24 * 60 * 60;
/** Short-term token lifetime: 15 minutes. */
const SHORT_TTL_SECONDS = 900;
const CLIENT_SCOPES = ["jobs:submit", "jobs:read", "tokens:write", "tokens:revoke"];

interface AuthToken {
  readonly tokenId: string;
  readonly kind: "long" | "short";
  readonly accessToken: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  revoked: boolean;
}

interface LongTokenRequest {
  grant_type: "client_credentials" | "assertion";
  client_id: string;
  client_secret?: string;
  otp_code?: string;
  assertion_type?: string;
  assertion?: string;
  scopes?: string[];
  ttl_seconds?: number;
}

/** AuthError codes for the statuses a fault may send; others get the reason phrase in snake case. */
const AUTH_ERROR_CODES: Record<number, string> = { 400: "invalid_request", 401: "invalid_token", 403: "insufficient_scope", 404: "not_found", 429: "rate_limited", 500: "server_error" };

/** AuthAPI's `AuthError`. */
function respondAuthError(status: number, code: string, message: string): SandboxResponse {
  return respondJson(status, { code, message });
}

/** AuthAPI (Click2Mail auth overlay): long-term tokens exchanged for 15-minute JWTs; idempotent revoke by token id. */
export function createAuthapiEmulator(credentials: SandboxCredentials["authapi"]): VendorEmulator {
  const signingKey = new Uint8Array(randomBytes(32));
  const idByAccessToken = new Map<string, string>();
  // Revoked tokens stay until they would have expired, so a second revoke still answers 204.
  const tokens = new ExpiringStore<AuthToken>(
    (token) => token.expiresAt,
    (_id, token) => idByAccessToken.delete(token.accessToken),
  );

  const authenticateBearerToken = (kind: AuthToken["kind"]) => (_context: Context, exchange: Exchange): AuthOutcome<AuthToken> => {
    const presented = readSchemeCredential(exchange.headers, "bearer");
    if (!presented) return { error: "No bearer token was sent" };
    const id = idByAccessToken.get(presented);
    const token = id === undefined ? undefined : tokens.get(id, exchange.now);
    if (!token) return { error: "The token is not valid or has expired" };
    if (token.kind !== kind) return { error: `This operation needs a ${kind}-term token` };
    if (token.revoked) return { error: "The token has been revoked" };
    return { value: token };
  };

  const authenticateClientKey = (_context: Context, exchange: Exchange): AuthOutcome<string> => {
    const given = readHeader(exchange.headers, "x-client-id");
    if (!given) return { error: "No X-Client-Id header was sent" };
    return given === credentials.clientId ? { value: given } : { error: "The client id is not known" };
  };

  const store = (token: AuthToken): void => {
    tokens.set(token.tokenId, token);
    idByAccessToken.set(token.accessToken, token.tokenId);
  };

  const describe = (token: AuthToken, now: number) => ({
    token_type: "Bearer",
    access_token: token.accessToken,
    expires_in: Math.round((token.expiresAt - now) / 1000),
    expires_at: formatIso(token.expiresAt),
    scopes: [...token.scopes],
    token_id: token.tokenId,
  });

  const checkScopes = (requested: readonly string[] | undefined, allowed: readonly string[]): SandboxResponse | string[] => {
    if (requested === undefined) return [...allowed];
    const extra = requested.filter((scope) => !allowed.includes(scope));
    if (extra.length > 0) return respondAuthError(400, "invalid_scope", `Scope(s) not allowed here: ${extra.join(", ")} (allowed: ${allowed.join(", ")})`);
    return [...new Set(requested)];
  };

  /** Step-up check for the client-key path: one credential besides the client id. */
  const checkClientCredential = (body: LongTokenRequest): SandboxResponse | undefined => {
    if (body.grant_type === "assertion") {
      if (!body.assertion_type || !body.assertion) return respondAuthError(400, "invalid_request", 'Body fields "assertion_type" and "assertion" are required with grant_type "assertion"');
      return respondAuthError(401, "invalid_grant", "No key is registered for this client, so assertions cannot be verified");
    }
    if (body.client_secret === undefined && body.otp_code === undefined) {
      return respondAuthError(400, "invalid_request", 'Body field "client_secret" (or "otp_code") is required with grant_type "client_credentials"');
    }
    if (body.client_secret === undefined) return respondAuthError(401, "invalid_grant", "One-time codes are not enabled for this client; send client_secret");
    if (!isSameSecret(body.client_secret, credentials.clientSecret)) return respondAuthError(401, "invalid_grant", "The client credentials were not accepted.");
    return undefined;
  };

  return {
    id: "authapi",
    mounts: [{ prefix: "/authapi/v1", servesPath: () => true }],
    securityHandlers: { ClientKey: authenticateClientKey, LongTokenAuth: authenticateBearerToken("long"), ShortTokenAuth: authenticateBearerToken("short") },
    handlers: {
      issueLongTermToken: (context, exchange) => {
        const body = context.request.requestBody as LongTokenRequest;
        const shortToken = (context.security.ShortTokenAuth as AuthOutcome<AuthToken> | undefined)?.value;
        if (shortToken) {
          if (!shortToken.scopes.includes("tokens:write")) return respondAuthError(403, "insufficient_scope", "The token does not have the tokens:write scope.");
          if (body.client_id !== shortToken.clientId) return respondAuthError(401, "invalid_client", 'Body field "client_id" does not match the token\'s client');
        } else {
          if (body.client_id !== readHeader(exchange.headers, "x-client-id")) return respondAuthError(401, "invalid_client", 'Body field "client_id" does not match the X-Client-Id header');
          const refused = checkClientCredential(body);
          if (refused) return refused;
        }
        const scopes = checkScopes(body.scopes, CLIENT_SCOPES);
        if (!Array.isArray(scopes)) return scopes;
        const ttlSeconds = body.ttl_seconds ?? DEFAULT_LONG_TTL_SECONDS;
        const token: AuthToken = {
          tokenId: `tok_lt_${createHexId(16)}`,
          kind: "long",
          accessToken: `lt_${createOpaqueToken(32)}`,
          clientId: body.client_id,
          scopes,
          expiresAt: exchange.now + ttlSeconds * 1000,
          revoked: false,
        };
        store(token);
        return respondJson(201, describe(token, exchange.now), { "x-token-id": token.tokenId });
      },
      issueShortTermToken: async (context, exchange) => {
        const longToken = (context.security.LongTokenAuth as AuthOutcome<AuthToken>).value as AuthToken;
        const body = (context.request.requestBody ?? {}) as { long_token?: string; scopes?: string[] };
        if (body.long_token !== undefined && body.long_token !== longToken.accessToken) {
          return respondAuthError(400, "invalid_request", 'Body field "long_token" does not match the token in the Authorization header');
        }
        const scopes = checkScopes(body.scopes, longToken.scopes);
        if (!Array.isArray(scopes)) return scopes;
        // A short-term token never outlives the long-term token it came from.
        const expiresAt = Math.min(exchange.now + SHORT_TTL_SECONDS * 1000, longToken.expiresAt);
        const tokenId = `tok_st_${createHexId(16)}`;
        const accessToken = await new SignJWT({ scope: scopes.join(" "), token_use: "short", lt: longToken.tokenId })
          .setProtectedHeader({ alg: "HS256", typ: "JWT" })
          .setSubject(longToken.clientId)
          .setJti(tokenId)
          .setIssuedAt(Math.floor(exchange.now / 1000))
          .setExpirationTime(Math.floor(expiresAt / 1000))
          .sign(signingKey);
        const token: AuthToken = { tokenId, kind: "short", accessToken, clientId: longToken.clientId, scopes, expiresAt, revoked: false };
        store(token);
        return respondJson(201, describe(token, exchange.now));
      },
      revokeToken: (context, exchange) => {
        const caller =
          (context.security.ShortTokenAuth as AuthOutcome<AuthToken> | undefined)?.value ?? (context.security.LongTokenAuth as AuthOutcome<AuthToken> | undefined)?.value;
        if (!caller) return respondAuthError(401, "invalid_token", "No valid token was sent");
        if (!caller.scopes.includes("tokens:revoke")) return respondAuthError(403, "insufficient_scope", "The token does not have the tokens:revoke scope.");
        const tokenId = String((context.request.params as Record<string, unknown>).tokenId ?? "");
        const target = tokens.get(tokenId, exchange.now);
        // Another client's token is reported as unknown, so ids cannot be probed.
        if (!target || target.clientId !== caller.clientId) return respondAuthError(404, "not_found", "No token with this id exists.");
        target.revoked = true;
        return respondEmpty(204);
      },
    },
    fail: (kind, message) => respondAuthError(FAILURE_STATUS[kind], kind, message),
    refuse: (status, message) => respondAuthError(status, AUTH_ERROR_CODES[status] ?? readReasonPhrase(status).toLowerCase().replace(/[^a-z]+/g, "_"), message),
    // The short-term token is replaced by one whose whole life lies in the past, also in the store.
    expire: async (response, at) => {
      const body = readObjectBody(response);
      const id = typeof body?.access_token === "string" ? idByAccessToken.get(body.access_token) : undefined;
      const token = id === undefined ? undefined : tokens.peek(id);
      if (!body || !token || response.status !== 201) return response;
      const exp = Math.floor(at / 1000);
      const claims = { ...decodeJwt(token.accessToken), iat: exp - SHORT_TTL_SECONDS, exp };
      const accessToken = await new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "JWT" }).sign(signingKey);
      idByAccessToken.delete(token.accessToken);
      store({ ...token, accessToken, expiresAt: at });
      return { ...response, body: { ...body, access_token: accessToken, expires_in: 0, expires_at: formatIso(at) } };
    },
    unauthorized: (context, exchange) => {
      const presented = readSchemeCredential(exchange.headers, "bearer");
      if (presented === undefined && context.operation.operationId === "issueLongTermToken") {
        const reason = (context.security.ClientKey as AuthOutcome | undefined)?.error;
        return respondAuthError(401, "invalid_client", reason ?? "Send X-Client-Id, or a short-term token with the tokens:write scope");
      }
      if (presented === undefined) return respondAuthError(401, "invalid_token", "No bearer token was sent (Authorization: Bearer <token>)");
      const reasons = ["ShortTokenAuth", "LongTokenAuth"]
        .map((scheme) => (context.security[scheme] as AuthOutcome | undefined)?.error)
        .filter((reason): reason is string => reason !== undefined);
      // With two bearer alternatives, the one about the token itself says more than "wrong kind".
      const reason = reasons.find((text) => !text.startsWith("This operation needs")) ?? reasons[0];
      return respondAuthError(401, "invalid_token", reason ?? "The token is not valid");
    },
    sweep: (now) => void tokens.sweep(now),
    storedEntries: () => tokens.size,
  };
}
