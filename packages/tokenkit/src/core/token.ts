import { createInvalidResponse, readObject, readString, type Received } from "./http.js";
import { REDACTED } from "./redact.js";
import type { Token, VendorId } from "./types.js";

/** `util.inspect` looks this symbol up; using the registry keeps the code free of Node imports. */
export const INSPECT = Symbol.for("nodejs.util.inspect.custom");

// Body fields that carry a token or a secret; anything equal to the access token is masked too.
const SECRET_FIELD = /^(?:access_?token|token|long_?token|refresh_?token|id_?token|client_?secret|password)$/i;

class TokenRecord {
  declare readonly accessToken: string;
  declare readonly vendor: VendorId;
  declare readonly expiresAt?: Date;

  constructor(fields: Token) {
    // Absent rather than undefined, so serialised forms show only what there is.
    for (const key in fields) if (fields[key as keyof Token] !== undefined) (this as Record<string, unknown>)[key] = fields[key as keyof Token];
    Object.freeze(this);
  }

  /** The token with `accessToken` and the secret fields of `raw` replaced by "[redacted]". */
  toJSON(): object {
    const secret = this.accessToken;
    // `raw` is parsed JSON, so a JSON round trip with a masking replacer reaches every nested field.
    return JSON.parse(JSON.stringify({ ...this }, (key, value: unknown) => (typeof value === "string" && (value === secret || SECRET_FIELD.test(key)) ? REDACTED : value)));
  }

  toString(): string {
    return `Token(${this.vendor}, expires ${this.expiresAt?.toISOString() ?? "never"})`;
  }

  [INSPECT](): object {
    return this.toJSON();
  }
}

/** Creates a read-only Token whose serialised and inspected forms are redacted. */
export function createToken<V extends VendorId>(fields: Token<V>): Token<V> {
  if (fields.raw && typeof fields.raw === "object") Object.freeze(fields.raw);
  return new TokenRecord(fields) as unknown as Token<V>;
}

/**
 * When to replace a token valid until `validUntil` (ms): `windowMs` ahead, but not before half its
 * remaining life at `now` has passed, so short-lived tokens (Vidispine's 60 s) don't sit in the
 * window their whole life.
 */
export function computeRefreshAt(validUntil: number, windowMs: number, now: number): number {
  return validUntil - Math.min(windowMs, Math.max(0, validUntil - now) / 2);
}

/** Parses an ISO date-time; strings without a zone (Mindbody's `Expires`) are read as UTC. */
export function parseDate(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(/T[\d:.]+$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time);
}

// How far the server's `Date` may be off ours before absolute expiries are corrected (the header has
// whole seconds, and a round trip's worth of drift is noise).
const CLOCK_TOLERANCE_MS = 30_000;
// The range of a Date; a lifetime beyond it is no expiry a server can mean.
const MAX_TIME_MS = 8.64e15;

/**
 * How far the server's clock runs ahead of ours (negative: behind), in ms, when its `Date` header is
 * more than 30 s off our clock; 0 otherwise. Like AWS's SDK clock offset, it corrects absolute expiries
 * that a server states on its own clock.
 */
export function readClockOffset(received: Received): number {
  const date = Date.parse(received.response.headers.get("date") ?? "");
  if (Number.isNaN(date) || Math.abs(date - Date.now()) <= CLOCK_TOLERANCE_MS) return 0;
  // The header is truncated to the second and was stamped at some point after the request was sent:
  // take the largest offset that fits, so corrected expiries err early, never late.
  return date + 1000 - received.started;
}

/** An absolute expiry stated on the server's clock, moved onto ours by `offset` (see {@link readClockOffset}). */
export function correctExpiry(received: Received, expiry: Date | undefined, offset = readClockOffset(received)): Date | undefined {
  return expiry && offset ? new Date(expiry.getTime() - offset) : expiry;
}

/**
 * The expiry of a lifetime of `seconds` (a number, or a numeric string as some OAuth servers send),
 * counted from the second the request was sent in, floored: a server counts from a later moment, so
 * the result is never later than its own expiry. Zero and negative lifetimes give an expiry in the
 * past (the token has already expired). Anything else is an `invalid_response`.
 */
export function computeExpiry(received: Received, seconds: unknown, field: string): Date {
  const value = typeof seconds === "string" && /^\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*$/.test(seconds) ? Number(seconds) : seconds;
  const time = typeof value === "number" ? Math.floor(received.started / 1000) * 1000 + Math.floor(value * 1000) : Number.NaN;
  if (!(Math.abs(time) <= MAX_TIME_MS)) throw createInvalidResponse(received, `with a "${field}" that is not a number of seconds`);
  return new Date(time);
}

/** The earliest of the given expiries (undefined when there is none). */
export function pickEarliest(...expiries: (Date | undefined)[]): Date | undefined {
  return expiries.reduce<Date | undefined>((first, expiry) => (expiry && !(first && first <= expiry) ? expiry : first), undefined);
}

/**
 * The expiry a token body states: `expires_in` seconds (see {@link computeExpiry}) and/or an absolute
 * `expires_at`/`Expires` (corrected for the server's clock, see {@link readClockOffset}); the earlier
 * when both are given, undefined when neither is. A value that cannot be read is an `invalid_response`.
 */
export function readExpiry(received: Received, body: Record<string, unknown>): Date | undefined {
  const { expires_in: seconds } = body;
  const [field, stated] = body.expires_at != null ? ["expires_at", body.expires_at] : ["Expires", body.Expires];
  let absolute: Date | undefined;
  if (stated != null) {
    absolute = parseDate(stated);
    if (!absolute) throw createInvalidResponse(received, `with a "${field}" that is not a date-time`);
  }
  return pickEarliest(seconds == null ? undefined : computeExpiry(received, seconds, "expires_in"), correctExpiry(received, absolute));
}

/**
 * Builds the Token of a 2xx JSON body: the access token under `key` (or `previous`'s when the body
 * has none), `token_type`/`TokenType` (default bearer), and the expiry the body states (see
 * {@link readExpiry}); `extra` adds or overrides vendor fields.
 */
export function readToken<V extends VendorId>(
  received: Received,
  key: string,
  extra?: (body: Record<string, unknown>, accessToken: string) => Partial<Token<V>>,
  previous?: Token<V>,
): Token<V> {
  const body = readObject(received);
  const { token_type = body.TokenType } = body;
  const accessToken = previous && body[key] === undefined ? previous.accessToken : readString(received, body, key);
  return createToken({
    vendor: received.call.vendor as V,
    accessToken,
    tokenType: typeof token_type === "string" ? token_type.toLowerCase() : "bearer",
    expiresAt: readExpiry(received, body),
    raw: body,
    ...extra?.(body, accessToken),
  });
}
