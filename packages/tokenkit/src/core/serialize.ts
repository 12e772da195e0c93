import { describe, isObject } from "./check.js";
import { fail } from "./errors.js";
import { attachTokenState, readTokenState } from "./state.js";
import { createToken } from "./token.js";
import type { Token, VendorId } from "./types.js";

/** The format version {@link serializeToken} writes; {@link deserializeToken} reads it and refuses newer ones. */
export const TOKEN_FORMAT_VERSION = 1;

const VENDORS: readonly VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];
const EXPECTED = 'the text of serializeToken() (JSON {"v":1,"vendor":…,"accessToken":…,…})';

/**
 * Writes a token as versioned JSON, the format token stores and caches persist:
 *
 * `{"v":1,"vendor","accessToken","tokenType","expiresAt"?: ISO 8601,"tokenId"?,"scope"?,"raw","state"?}`
 *
 * `state` is the vendor state the token needs to be renewed or revoked by another client (AuthAPI:
 * its long-term token). **The text holds the access token (and that state) in clear**: it is what a
 * store keeps, so keep it as secret as the token (`@tokenkit/redis` encrypts it). `JSON.stringify(token)`
 * stays redacted; only this function writes the secret.
 */
export function serializeToken(token: Token): string {
  if (!isObject(token) || !VENDORS.includes(token.vendor as VendorId) || typeof token.accessToken !== "string" || !token.accessToken) {
    fail({ vendor: undefined, operation: "serializeToken" }, `expected a Token from issue(), renew() or deserializeToken(); received ${isObject(token) ? "another object" : describe(token, true)}`);
  }
  const expiry = token.expiresAt;
  const state = readTokenState(token);
  return JSON.stringify({
    v: TOKEN_FORMAT_VERSION,
    vendor: token.vendor,
    accessToken: token.accessToken,
    tokenType: token.tokenType,
    expiresAt: expiry instanceof Date && !Number.isNaN(expiry.getTime()) ? expiry.toISOString() : undefined,
    tokenId: token.tokenId,
    scope: token.scope,
    raw: token.raw ?? null,
    state,
  });
}

/**
 * Reads the text of {@link serializeToken} back into a Token (`expiresAt` a Date, vendor state
 * re-attached, redacted like any other token). Anything else is a `TokenError` (`invalid_argument`)
 * saying what was expected; the text itself is never quoted, since it may hold a token.
 */
export function deserializeToken(text: string): Token;
/** The same, for a token of `vendor` only (another vendor's is refused the same way). */
export function deserializeToken<V extends VendorId>(text: string, vendor: V): Token<V>;
export function deserializeToken(text: string, expectedVendor?: VendorId): Token {
  const refuse = (received: string): never => fail({ vendor: undefined, operation: "deserializeToken" }, `expected ${EXPECTED}; received ${received}`);
  if (typeof text !== "string") refuse(describe(text, true));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    refuse(text.trim() ? "text that is not JSON" : "an empty string");
  }
  if (!isObject(data)) refuse(`JSON ${describe(data, true)}`);
  const record = data as Record<string, unknown>;
  if (typeof record.v === "number" && record.v > TOKEN_FORMAT_VERSION) refuse(`format version ${record.v}, newer than this tokenkit reads (${TOKEN_FORMAT_VERSION})`);
  if (record.v !== TOKEN_FORMAT_VERSION) refuse(`JSON without "v":${TOKEN_FORMAT_VERSION}`);
  const { vendor, accessToken, tokenType, expiresAt, tokenId, scope, raw, state } = record;
  if (!VENDORS.includes(vendor as VendorId)) refuse(`"vendor" ${describe(vendor, true)} (expected one of ${VENDORS.join(", ")})`);
  if (expectedVendor !== undefined && vendor !== expectedVendor) refuse(`a ${vendor as string} token (expected ${expectedVendor})`);
  if (typeof accessToken !== "string" || !accessToken) refuse(`"accessToken" as ${describe(accessToken, true)}`);
  if (typeof tokenType !== "string") refuse(`"tokenType" as ${describe(tokenType, true)}`);
  const expiry = expiresAt === undefined ? undefined : typeof expiresAt === "string" ? new Date(expiresAt) : undefined;
  if (expiresAt !== undefined && (expiry === undefined || Number.isNaN(expiry.getTime()))) refuse(`"expiresAt" as ${describe(expiresAt, true)} (expected an ISO 8601 date-time)`);
  for (const [name, value] of [["tokenId", tokenId], ["scope", scope]] as const) {
    if (value !== undefined && typeof value !== "string") refuse(`"${name}" as ${describe(value, true)} (expected a string)`);
  }
  if (state !== undefined && !isObject(state)) refuse(`"state" as ${describe(state, true)} (expected an object)`);
  const token = createToken({
    vendor: vendor as VendorId,
    accessToken: accessToken as string,
    tokenType: tokenType as string,
    expiresAt: expiry,
    tokenId: tokenId as string | undefined,
    scope: scope as string | undefined,
    raw,
  });
  if (state) attachTokenState(token, state as Record<string, unknown>);
  return token;
}
