import { mapStatusToCode, refineCode, TokenError } from "./errors.js";
import { excerpt, type Redactor } from "./redact.js";
import type { TokenOperation, VendorId } from "./types.js";

/** What a vendor adapter reads out of an error response. */
export interface ErrorInfo {
  /** The vendor's own code (OAuth-style codes refine the TokenError code). */
  readonly code?: unknown;
  /** The vendor's message, quoted (redacted) in the TokenError message. */
  readonly detail?: unknown;
  readonly retryAfterMs?: number | undefined;
  readonly requestId?: string | null;
}

/** Reads a vendor's error body (parsed JSON, or the text when it is not JSON) and headers. */
export type ErrorReader = (body: unknown, headers: Headers) => ErrorInfo;

/** Retry policy with defaults filled in. */
export interface RetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** One token operation in progress: who, what, and the limits that apply. */
export interface Call {
  readonly vendor: VendorId;
  readonly operation: TokenOperation;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy | false;
  readonly signal: AbortSignal | undefined;
  readonly redact: Redactor;
  readonly readError: ErrorReader | undefined;
}

/** What an openapi-fetch call (with `parseAs: "stream"`) gives back. */
export interface Sent {
  readonly response: Response;
  readonly error?: unknown;
}

/** A successful (2xx) response with its body read as text. */
export interface Received {
  readonly status: number;
  readonly type: string;
  readonly text: string;
  readonly headers: Headers;
  readonly response: Response;
}

/** Longest `Retry-After` the facade waits for; beyond it the error is returned to the caller. */
const MAX_RETRY_AFTER_MS = 60_000;

/** Parses `Retry-After` (delay in seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(headers: Headers): number | undefined {
  const value = headers.get("retry-after")?.trim();
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

function readMediaType(headers: Headers): string {
  return headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() || "(no content type)";
}

function createAbortError(call: Call): TokenError {
  const reason: unknown = call.signal?.reason;
  const { vendor, operation } = call;
  // A caller's AbortSignal.timeout() is a timeout; any other abort is the caller's choice, never retried.
  return new TokenError(`${vendor} ${operation}: aborted by the caller's signal`, {
    code: (reason as Error | undefined)?.name === "TimeoutError" ? "timeout" : "network_error",
    retryable: false,
    vendor,
    operation,
    cause: sanitizeCause(reason, call.redact),
  });
}

/** The error itself, or a redacted stand-in when its text (or its cause's) holds a secret. */
function sanitizeCause(error: unknown, redact: Redactor): unknown {
  const failure = error as { stack?: unknown; message?: unknown; name?: unknown; code?: unknown; cause?: { stack?: unknown } } | undefined;
  const text = `${failure?.stack ?? error} ${failure?.cause?.stack ?? failure?.cause ?? ""}`;
  if (redact(text) === text) return error;
  return Object.assign(new Error(redact(String(failure?.message ?? error))), { name: failure?.name, code: failure?.code });
}

function createTransportError(call: Call, expected: string, error: unknown, timedOut: boolean): TokenError {
  const { vendor, operation } = call;
  const prefix = `${vendor} ${operation}: expected ${expected}, but `;
  const cause = sanitizeCause(error, call.redact);
  if (timedOut) return new TokenError(`${prefix}no response arrived within ${call.timeoutMs} ms`, { code: "timeout", vendor, operation, cause });
  if (call.signal?.aborted) return createAbortError(call);
  const failure = error as { message?: unknown; code?: unknown; cause?: { code?: unknown } } | undefined;
  if (failure?.code === "ERR_MISSING_CREDENTIAL") {
    return new TokenError(`${vendor} ${operation}: ${call.redact(String(failure.message))}`, { code: "invalid_argument", vendor, operation, cause });
  }
  const detail = failure?.cause?.code ?? failure?.code;
  return new TokenError(
    `${prefix}the request failed: ${call.redact(String(failure?.message ?? error))}${typeof detail === "string" ? ` (${detail})` : ""}`,
    { code: "network_error", vendor, operation, cause },
  );
}

function createStatusError(call: Call, expected: string, received: Received): TokenError {
  const { vendor, operation, redact } = call;
  let body: unknown = received.text;
  try {
    body = JSON.parse(received.text);
  } catch {
    // Not JSON: the reader gets the text (Vidispine answers errors in text/plain).
  }
  const info = call.readError?.(body, received.headers) ?? {};
  const detail = typeof info.detail === "string" && info.detail ? info.detail : received.text;
  return new TokenError(
    `${vendor} ${operation}: expected ${expected}, received ${received.status} ${received.type}${detail ? ` (${excerpt(detail, redact)})` : ""}`,
    {
      code: refineCode(mapStatusToCode(received.status), received.status, info.code),
      vendor,
      operation,
      status: received.status,
      retryAfterMs: info.retryAfterMs ?? parseRetryAfter(received.headers),
      requestId: info.requestId ?? received.headers.get("x-request-id") ?? received.headers.get("x-correlation-id") ?? undefined,
      response: received.response,
    },
  );
}

async function attempt(call: Call, expected: string, send: (signal: AbortSignal) => Promise<Sent>): Promise<Received> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    abort();
  }, call.timeoutMs);
  call.signal?.addEventListener("abort", abort);
  try {
    if (call.signal?.aborted) throw createAbortError(call);
    const { response, error } = await send(controller.signal);
    // openapi-fetch has already read (and JSON-parsed, when it could) the body of an error response.
    const text = response.ok ? await response.text() : typeof error === "string" ? error : error === undefined ? "" : JSON.stringify(error);
    const received = { status: response.status, type: readMediaType(response.headers), text, headers: response.headers, response };
    if (!response.ok) throw createStatusError(call, expected, received);
    return received;
  } catch (error) {
    throw error instanceof TokenError ? error : createTransportError(call, expected, error, timedOut);
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener("abort", abort);
  }
}

function sleep(ms: number, call: Call): Promise<void> {
  return new Promise((resolve, reject) => {
    const { signal } = call;
    const stop = () => {
      clearTimeout(timer);
      reject(createAbortError(call));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", stop);
      resolve();
    }, ms);
    signal?.addEventListener("abort", stop, { once: true });
  });
}

/**
 * Performs one HTTP exchange with the call's timeout and signal; issue and renew are retried on
 * retryable failures with exponential backoff and jitter, or after the vendor's `Retry-After`.
 * `expected` completes "expected …, received …" in error messages.
 */
export async function exchange(call: Call, expected: string, send: (signal: AbortSignal) => Promise<Sent>): Promise<Received> {
  const retry = call.operation === "issue" || call.operation === "renew" ? call.retry : false;
  for (let tries = 0; ; tries++) {
    try {
      return await attempt(call, expected, send);
    } catch (error) {
      const failure = error as TokenError;
      if (!retry || !failure.retryable || tries >= retry.retries || call.signal?.aborted) throw failure;
      const wait = failure.retryAfterMs ?? Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** tries) * (1 - Math.random() / 4);
      if (wait > MAX_RETRY_AFTER_MS) throw failure;
      await sleep(wait, call);
    }
  }
}

/** An `invalid_response` error for a 2xx response whose body is not what was expected. */
export function createInvalidResponse(call: Call, expected: string, received: Received, what: string): TokenError {
  const { vendor, operation } = call;
  return new TokenError(`${vendor} ${operation}: expected ${expected}, received ${received.status} ${received.type} ${what}`, {
    code: "invalid_response",
    vendor,
    operation,
    status: received.status,
    response: received.response,
  });
}

/** Parses a 2xx JSON object body, or throws `invalid_response` saying what came instead (never the body: it may hold a token). */
export function readObject(call: Call, expected: string, received: Received): Record<string, unknown> {
  if (!received.text.trim()) throw createInvalidResponse(call, expected, received, "with an empty body");
  if (!/[/+]json$/.test(received.type)) throw createInvalidResponse(call, expected, received, "instead of JSON");
  let body: unknown;
  try {
    body = JSON.parse(received.text);
  } catch {
    // No cause: V8's SyntaxError quotes the body, which may hold the token.
    throw createInvalidResponse(call, expected, received, "that is not valid JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw createInvalidResponse(call, expected, received, "that is not a JSON object");
  return body as Record<string, unknown>;
}

/** Reads a required non-empty string field of a 2xx body. */
export function readString(call: Call, expected: string, received: Received, body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || !value) throw createInvalidResponse(call, expected, received, `without a string "${key}"`);
  return value;
}
