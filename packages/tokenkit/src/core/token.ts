import { readObject, readString, type Received } from "./http.js";
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

/**
 * Builds the Token of a 2xx JSON body: the access token under `key` (or `previous`'s when the body
 * has none), `token_type`/`TokenType` (default bearer), and the expiry from `expires_at`/`Expires`
 * or `expires_in` seconds after the request was sent; `extra` adds or overrides vendor fields.
 */
export function readToken<V extends VendorId>(
  received: Received,
  key: string,
  extra?: (body: Record<string, unknown>, accessToken: string) => Partial<Token<V>>,
  previous?: Token<V>,
): Token<V> {
  const body = readObject(received);
  const { token_type = body.TokenType, expires_in: seconds } = body;
  const accessToken = previous && body[key] === undefined ? previous.accessToken : readString(received, body, key);
  return createToken({
    vendor: received.call.vendor as V,
    accessToken,
    tokenType: typeof token_type === "string" ? token_type.toLowerCase() : "bearer",
    // Counting expires_in from when the request was sent, not answered, errs early: never too late.
    expiresAt: parseDate(body.expires_at ?? body.Expires) ?? (typeof seconds === "number" && seconds >= 0 ? new Date(received.started + seconds * 1000) : undefined),
    raw: body,
    ...extra?.(body, accessToken),
  });
}
