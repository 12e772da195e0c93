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

/** One of {@link TOKEN_ERROR_CODES}. */
export type TokenErrorCode = (typeof CODES)[number];

/** The closed set of {@link TokenError} codes, e.g. `TOKEN_ERROR_CODES.UNAUTHORIZED === "unauthorized"`. */
export const TOKEN_ERROR_CODES = Object.freeze(Object.fromEntries(CODES.map((code) => [code.toUpperCase(), code]))) as {
  readonly [C in TokenErrorCode as Uppercase<C>]: C;
};

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

const RETRYABLE: ReadonlySet<TokenErrorCode> = new Set(["rate_limited", "server_error", "network_error", "timeout"]);

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

  constructor(message: string, details: TokenErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    const { response, cause: _cause, ...fields } = details;
    const self = this as unknown as Record<string, unknown>;
    self.code = fields.code;
    self.vendor = fields.vendor;
    self.operation = fields.operation;
    for (const key of ["status", "retryable", "retryAfterMs", "requestId"] as const) {
      if (fields[key] !== undefined) self[key] = fields[key];
    }
    self.retryable ??= RETRYABLE.has(fields.code);
    Object.defineProperty(this, "response", { value: response });
  }

  /** A plain, secret-free view for structured logs. */
  toJSON(): object {
    return Object.assign({ name: this.name, message: this.message }, this);
  }
}
Object.defineProperty(TokenError.prototype, "name", { value: "TokenError" });

/** Throws an `invalid_argument` TokenError: the call was refused before any I/O. */
export function fail(vendor: VendorId | undefined, operation: TokenOperation, message: string, code: TokenErrorCode = "invalid_argument"): never {
  throw new TokenError(`${vendor ?? "tokenkit"} ${operation}: ${message}`, { code, vendor, operation });
}

const STATUS_CODES: Readonly<Record<number, TokenErrorCode>> = {
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  408: "timeout",
  409: "conflict",
  410: "not_found",
  429: "rate_limited",
};

/** The error code an HTTP status stands for. */
export function mapStatusToCode(status: number): TokenErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? "server_error" : status >= 400 ? "invalid_argument" : "invalid_response");
}

// OAuth (RFC 6749 §5.2, RFC 6750 §3.1) error codes say more than a bare 400 does.
const OAUTH_CODES: Readonly<Record<string, TokenErrorCode>> = {
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

/** Refines a 4xx code with an OAuth-style body code, when the vendor sent one. */
export function refineCode(code: TokenErrorCode, status: number, bodyCode: unknown): TokenErrorCode {
  return status < 500 && typeof bodyCode === "string" ? (OAUTH_CODES[bodyCode.toLowerCase()] ?? code) : code;
}
