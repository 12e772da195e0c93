import { REDACTED } from "./redact.js";
import type { Token, VendorId } from "./types.js";

/** `util.inspect` looks this symbol up; using the registry keeps the code free of Node imports. */
export const INSPECT = Symbol.for("nodejs.util.inspect.custom");

// Body fields that carry a token or a secret; anything equal to the access token is masked too.
const SECRET_FIELD = /^(?:access_?token|token|long_?token|refresh_?token|id_?token|client_?secret|password)$/i;

function scrub(value: unknown, secret: string, key = ""): unknown {
  if (typeof value === "string") return value === secret || SECRET_FIELD.test(key) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, secret));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, secret, k)]));
  }
  return value;
}

class TokenRecord {
  declare readonly accessToken: string;
  declare readonly vendor: VendorId;
  declare readonly expiresAt?: Date;
  declare readonly raw: unknown;

  constructor(fields: Token) {
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (this as Record<string, unknown>)[key] = value;
    Object.freeze(this);
  }

  /** The token with `accessToken` and secret fields of `raw` replaced by "[redacted]". */
  toJSON(): object {
    return Object.assign({}, this, { accessToken: REDACTED, expiresAt: this.expiresAt?.toISOString(), raw: scrub(this.raw, this.accessToken) });
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

/** Parses an ISO date-time; strings without a zone are read as UTC. */
export function parseDate(value: unknown, utc = false): Date | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(utc && /T[\d:.]+$/.test(value) ? `${value}Z` : value);
  return Number.isNaN(time) ? undefined : new Date(time);
}
