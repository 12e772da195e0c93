/** What went wrong with a request, beyond an HTTP status the server chose. */
export type RequestErrorCode =
  /** The client's `timeoutMs` passed before the exchange (body included) was over. */
  | "ERR_TIMEOUT"
  /** The caller's signal aborted the exchange. */
  | "ERR_ABORTED"
  /** No HTTP response: refused, reset, unknown host, bad port, TLS failure. */
  | "ERR_NETWORK"
  /** A redirect that was not followed: to another origin (credentials stay on theirs), or too many. */
  | "ERR_REDIRECT"
  /** The response body was larger than `maxResponseBytes`; reading stopped there. */
  | "ERR_RESPONSE_TOO_LARGE";

/** Where a request went: never its query, never a credential. */
export interface RequestTarget {
  readonly method: string;
  /** `scheme://host[:port]` */
  readonly origin: string;
  readonly path: string;
}

/** Fields of a {@link RequestError} besides its message. */
export interface RequestErrorDetails extends RequestTarget {
  readonly code: RequestErrorCode;
  /** ms from the call's start to the failure. */
  readonly elapsedMs: number;
  /** The status of a response that was refused (a redirect, an oversized body). */
  readonly status?: number;
  /** The network-level reason, e.g. `ECONNREFUSED`, `ENOTFOUND`, `bad port`. */
  readonly reason?: string;
  /** The origin a refused redirect pointed at. */
  readonly redirectOrigin?: string;
  readonly cause?: unknown;
}

const BRAND = Symbol.for("tokenkit.RequestError");

/**
 * A request that ended without a usable response. `name` is `"AbortError"` or `"TimeoutError"` for
 * aborts and timeouts (as fetch's own errors), `"RequestError"` otherwise; `code` says which case it is.
 * The message names the method, origin and path, never a query or a credential.
 */
export class RequestError extends Error {
  declare readonly code: RequestErrorCode;
  declare readonly method: string;
  declare readonly origin: string;
  declare readonly path: string;
  declare readonly elapsedMs: number;
  declare readonly status?: number;
  declare readonly reason?: string;
  declare readonly redirectOrigin?: string;

  constructor(message: string, { cause, ...fields }: RequestErrorDetails) {
    super(`${fields.method} ${fields.origin}${fields.path}: ${message}`, cause === undefined ? undefined : { cause });
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) (this as Record<string, unknown>)[key] = value;
    Object.defineProperty(this, "name", { value: fields.code === "ERR_ABORTED" ? "AbortError" : fields.code === "ERR_TIMEOUT" ? "TimeoutError" : "RequestError" });
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for a RequestError from any copy of this package (ESM or CommonJS). */
  static is(value: unknown): value is RequestError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}

/** Splits a URL into a {@link RequestTarget}; the query and fragment are left out. */
export function describeTarget(method: string, url: string): RequestTarget {
  const { origin, pathname } = new URL(url);
  return { method, origin, path: pathname };
}

/** The network-level reason of a failed fetch: a system error code (with the host for ENOTFOUND), or undici's own words. */
export function readNetworkReason(error: unknown): string | undefined {
  const failure = error as { cause?: { code?: unknown; hostname?: unknown; message?: unknown; errors?: unknown } } | undefined;
  const cause = failure?.cause;
  if (!cause) return undefined;
  const code = typeof cause.code === "string" ? cause.code : undefined;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `${code} ${String(cause.hostname ?? "")}`.trim();
  // Happy eyeballs: an AggregateError of one failure per address.
  const first = Array.isArray(cause.errors) ? (cause.errors[0] as { code?: unknown } | undefined)?.code : undefined;
  return code ?? (typeof first === "string" ? first : typeof cause.message === "string" ? cause.message : undefined);
}
