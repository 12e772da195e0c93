import type { TokenOperation, VendorId } from "./types.js";

const CODES = [
  "invalid_argument",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "rate_limited",
  "server_error",
  "network_error",
  "timeout",
  "invalid_response",
  "unsupported",
] as const;

// A registry symbol, the same in every copy of the package.
const BRAND = Symbol.for("tokenkit.TokenError");

/** One of {@link TOKEN_ERROR_CODES}. */
export type TokenErrorCode = (typeof CODES)[number];

function listCodes() {
  return Object.freeze(Object.fromEntries(CODES.map((code) => [code.toUpperCase(), code]))) as {
    readonly [C in TokenErrorCode as Uppercase<C>]: C;
  };
}

/** The closed set of {@link TokenError} codes, e.g. `TOKEN_ERROR_CODES.UNAUTHORIZED === "unauthorized"`. */
// Pure: bundles that never read it drop it, and the code list with it.
export const TOKEN_ERROR_CODES = /* @__PURE__ */ listCodes();

/** Fields of a {@link TokenError} besides its message. */
export interface TokenErrorDetails {
  readonly code: TokenErrorCode;
  /** Undefined only when the vendor id itself was invalid. */
  readonly vendor: VendorId | undefined;
  readonly operation: TokenOperation;
  readonly status?: number;
  readonly retryable?: boolean;
  readonly retryAfterMs?: number;
  readonly requestId?: string;
  readonly response?: Response;
  readonly cause?: unknown;
}

/**
 * Every failure of the facade. `code` is from a closed set; `response` (the vendor's Response, body
 * already read) is non-enumerable so logging the error never dumps it. Messages never contain secrets.
 */
export class TokenError extends Error {
  declare readonly code: TokenErrorCode;
  declare readonly vendor: VendorId | undefined;
  declare readonly operation: TokenOperation;
  declare readonly status?: number;
  /** True when the same call may succeed later (rate limits, 5xx, network errors, timeouts). */
  declare readonly retryable: boolean;
  /** How long the vendor asked to wait (`Retry-After`, SFTPGo `X-Retry-In`). */
  declare readonly retryAfterMs?: number;
  /** The vendor's request or correlation id, for support tickets. */
  declare readonly requestId?: string;
  declare readonly response?: Response;

  constructor(message: string, { response, cause, ...fields }: TokenErrorDetails) {
    // A fresh copy: a message cut from a large body must not keep the whole body alive (V8 slices share their parent).
    super(JSON.parse(JSON.stringify(message)) as string, cause === undefined ? undefined : { cause });
    // vendor is always present; the other fields only when known, so logs show what there is.
    Object.assign(this, { vendor: undefined, retryable: /^(?:rate_limited|server_error|network_error|timeout)$/.test(fields.code) });
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (this as Record<string, unknown>)[key] = value;
    Object.defineProperty(this, "response", { value: response });
  }

  /**
   * True for a TokenError from any copy of tokenkit: its ESM and CommonJS builds each have their own
   * class, so `instanceof` alone would miss one made by the other (it uses this check too).
   */
  static is(value: unknown): value is TokenError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** `instanceof TokenError` holds across copies of the package, like {@link TokenError.is}. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return TokenError.is(value);
  }

  /** A plain, secret-free view for structured logs. */
  toJSON(): object {
    return Object.assign({ name: this.name, message: this.message }, this);
  }
}
Object.defineProperty(TokenError.prototype, "name", { value: "TokenError" });
Object.defineProperty(TokenError.prototype, BRAND, { value: true });

/** Where a TokenError happened: a Call, or a vendor and operation. */
export interface Site {
  readonly vendor: VendorId | undefined;
  readonly operation: TokenOperation;
}

/** Creates a TokenError whose message starts with "<vendor> <operation>: ". */
export function createError(site: Site, message: string, details: Omit<TokenErrorDetails, "vendor" | "operation">): TokenError {
  const { vendor, operation } = site;
  return new TokenError(`${vendor ?? "tokenkit"} ${operation}: ${message}`, { vendor, operation, ...details });
}

/** Throws an `invalid_argument` (or `code`) TokenError: the call was refused before any I/O. */
export function fail(site: Site, message: string, code: TokenErrorCode = "invalid_argument"): never {
  throw createError(site, message, { code });
}

// By HTTP status, and by OAuth (RFC 6749 §5.2, RFC 6750 §3.1) error code, which says more than a bare 400.
const CODE_MAP: Readonly<Record<string, TokenErrorCode>> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  408: "timeout",
  409: "conflict",
  410: "not_found",
  429: "rate_limited",
  invalid_grant: "unauthorized",
  invalid_client: "unauthorized",
  invalid_token: "unauthorized",
  unauthorized_client: "unauthorized",
  insufficient_scope: "forbidden",
  access_denied: "forbidden",
  not_found: "not_found",
  rate_limited: "rate_limited",
  slow_down: "rate_limited",
};

/** The error code an HTTP status stands for, refined on a 4xx by an OAuth-style body code when the vendor sent one. */
export function mapStatusToCode(status: number, bodyCode?: unknown): TokenErrorCode {
  const key = status < 500 && /^[a-z_]+$/i.test(String(bodyCode)) ? String(bodyCode).toLowerCase() : status;
  return (Object.hasOwn(CODE_MAP, key) ? CODE_MAP[key] : CODE_MAP[status]) ?? (status > 499 ? "server_error" : status > 399 ? "invalid_argument" : "invalid_response");
}
