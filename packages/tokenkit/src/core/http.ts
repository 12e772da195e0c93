import { isObject } from "./check.js";
import { createError, mapStatusToCode, TokenError, type Site, type TokenErrorDetails } from "./errors.js";
import { excerpt, type Redactor } from "./redact.js";
import type { TokenOperation, VendorId } from "./types.js";

/** What a vendor adapter reads out of an error response. */
export interface ErrorInfo {
  /** The vendor's own code (OAuth-style codes refine the TokenError code). */
  readonly code?: unknown;
  /** The vendor's message, quoted (redacted) in the TokenError message; the body text when empty. */
  readonly detail?: string;
  readonly retryAfterMs?: number | undefined;
  readonly requestId?: string;
}

/** Reads a vendor's error body (the parsed JSON object, or `{}`) and headers. */
export type ErrorReader = (body: Record<string, unknown>, headers: Headers) => ErrorInfo;

/** Retry policy with defaults filled in. */
export interface RetryPolicy {
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** One token operation in progress: who, what, and the limits that apply. */
export interface Call extends Site {
  readonly vendor: VendorId;
  readonly operation: TokenOperation;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy | false;
  readonly signal: AbortSignal | undefined;
  readonly redact: Redactor;
  readonly readError: ErrorReader | undefined;
}

/** What an openapi-fetch call with `parseAs: "text"` gives back. */
export interface Sent {
  readonly response: Response;
  readonly data?: unknown;
  readonly error?: unknown;
}

/** The per-attempt request options an adapter passes on to its openapi-fetch call (a type alias, so it fits openapi-fetch's index-signature option types). */
export type SendOptions = {
  readonly signal: AbortSignal;
  readonly parseAs: "text";
};

/** Sends one attempt of an operation through the vendor client. */
export type Send = (init: SendOptions) => Promise<Sent>;

/** A successful (2xx) response with its body read as text, and the call it answers. */
export interface Received {
  readonly call: Call;
  /** What the operation expected, completing "expected …, received …" in error messages. */
  readonly expected: string;
  /** When the successful attempt was sent (ms since the epoch), for relative expiries. */
  readonly started: number;
  readonly status: number;
  readonly type: string;
  readonly text: string;
  readonly response: Response;
}

/** Request headers that send an access token as a Bearer token (renew, revoke and introspect calls). */
export function bearer(accessToken: string): { Authorization: string } {
  return { Authorization: `Bearer ${accessToken}` };
}

/** Joins the non-empty parts of a vendor error ("code: message"). */
export function joinDetail(...parts: unknown[]): string {
  return parts.filter(Boolean).join(": ");
}

// The default reader: OAuth `{error, error_description}` and `{code, message}` bodies (Genesys, AuthAPI).
const readOAuthError: ErrorReader = (body) => {
  const code = body.error ?? body.code;
  return { code, detail: joinDetail(code, body.error_description ?? body.message) };
};

/** The error itself, or a redacted stand-in when its text (or its cause's) holds a secret. */
function sanitizeCause(error: unknown, redact: Redactor): unknown {
  const failure = error as { stack?: unknown; message?: unknown; name?: unknown; code?: unknown; cause?: { stack?: unknown } } | undefined;
  const text = `${failure?.stack ?? error} ${failure?.cause?.stack ?? failure?.cause ?? ""}`;
  return redact(text) === text ? error : Object.assign(new Error(redact(String(failure?.message ?? error))), { name: failure?.name, code: failure?.code });
}

function createAbortError(call: Call): TokenError {
  const reason: unknown = call.signal?.reason;
  // A caller's AbortSignal.timeout() is a timeout; any other abort is the caller's choice, never retried.
  return createError(call, "aborted by the caller's signal", {
    code: (reason as Error | undefined)?.name === "TimeoutError" ? "timeout" : "network_error",
    retryable: false,
    cause: sanitizeCause(reason, call.redact),
  });
}

/** Parses `Retry-After` (a delay in seconds or an HTTP date) into milliseconds. */
function parseRetryAfter(headers: Headers): number | undefined {
  const value = headers.get("retry-after")?.trim();
  const seconds = Number(value);
  const ms = value ? (Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - Date.now()) : Number.NaN;
  return Number.isNaN(ms) ? undefined : Math.max(0, ms);
}

/** An error about a response: "expected …, received <status> <type><suffix>". */
function createReplyError(received: Received, suffix: string, details: Omit<TokenErrorDetails, "vendor" | "operation">): TokenError {
  const { status, response } = received;
  return createError(received.call, `expected ${received.expected}, received ${status} ${received.type}${suffix}`, { status, response, ...details });
}

// A 4xx/5xx: the vendor's own words (redacted, at most 80 characters), its wait and its request id.
function createStatusError(received: Received, body: unknown): TokenError {
  const { headers } = received.response;
  const { readError = readOAuthError, redact } = received.call;
  const info = readError(isObject(body) ? body : {}, headers);
  const detail = info.detail || received.text;
  return createReplyError(received, detail ? ` (${excerpt(detail, redact)})` : "", {
    code: mapStatusToCode(received.status, info.code),
    retryAfterMs: info.retryAfterMs ?? parseRetryAfter(headers),
    requestId: info.requestId ?? headers.get("inin-correlation-id") ?? headers.get("x-request-id") ?? headers.get("x-correlation-id") ?? undefined,
  });
}

/** One attempt: waits `delay` ms first (a backoff), then sends with the call's timeout and signal. */
async function attempt(call: Call, expected: string, send: Send, delay: number): Promise<Received> {
  const { signal, redact } = call;
  // One controller per attempt carries both the timeout (body included) and the caller's signal.
  const controller = new AbortController();
  const abort = () => controller.abort();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  signal?.addEventListener("abort", abort);
  try {
    if (delay) {
      // The backoff: over after `delay` ms, or as soon as the caller aborts.
      await new Promise((resolve) => {
        timer = setTimeout(resolve, delay);
        controller.signal.addEventListener("abort", resolve);
      });
    }
    if (signal?.aborted) throw createAbortError(call);
    timer = setTimeout(() => {
      timedOut = true;
      abort();
    }, call.timeoutMs);
    const started = Date.now();
    // openapi-fetch reads the body: as text on a 2xx, parsed as JSON (when it is) otherwise.
    const { response, data, error } = await send({ signal: controller.signal, parseAs: "text" });
    const received: Received = {
      call,
      expected,
      started,
      status: response.status,
      type: response.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() || "(no content type)",
      text: ((response.ok ? data : typeof error === "string" ? error : JSON.stringify(error)) as string | undefined) ?? "",
      response,
    };
    if (!response.ok) throw createStatusError(received, error);
    return received;
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (signal?.aborted) throw createAbortError(call);
    const failure = error as { message?: unknown; code?: unknown; cause?: { code?: unknown } } | undefined;
    const detail = failure?.cause?.code ?? failure?.code;
    throw createError(
      call,
      `expected ${expected}, but ${
        timedOut
          ? `no response arrived within ${call.timeoutMs} ms`
          : `the request failed: ${redact(String(failure?.message ?? error))}${typeof detail === "string" ? ` (${detail})` : ""}`
      }`,
      { code: timedOut ? "timeout" : "network_error", cause: sanitizeCause(error, redact) },
    );
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

/**
 * Performs one HTTP exchange with the call's timeout and signal; issue and renew are retried on
 * retryable failures with exponential backoff and jitter, or after the vendor's `Retry-After` (up
 * to 60 s; a longer one is returned to the caller). `expected` completes "expected …, received …".
 */
export async function exchange(call: Call, expected: string, send: Send): Promise<Received> {
  const retry = call.operation === "issue" || call.operation === "renew" ? call.retry : false;
  for (let tries = 0, wait = 0; ; tries++) {
    try {
      return await attempt(call, expected, send, wait);
    } catch (error) {
      const failure = error as TokenError;
      if (!retry || !failure.retryable || tries >= retry.retries) throw failure;
      wait = failure.retryAfterMs ?? Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** tries) * (1 - Math.random() / 4);
      if (wait > 60_000) throw failure;
    }
  }
}

/** An `invalid_response` error for a 2xx response whose body is not what was expected. */
export function createInvalidResponse(received: Received, what: string): TokenError {
  return createReplyError(received, ` ${what}`, { code: "invalid_response" });
}

/** Parses a 2xx JSON object body, or throws `invalid_response` saying what came instead (never the body: it may hold a token). */
export function readObject(received: Received): Record<string, unknown> {
  const { text } = received;
  let body: unknown;
  // A regex test rather than trim(): no copy of the body.
  if (!/\S/.test(text)) throw createInvalidResponse(received, "with an empty body");
  if (!/[/+]json$/.test(received.type)) throw createInvalidResponse(received, "instead of JSON");
  try {
    body = JSON.parse(text);
  } catch {
    // No cause: V8's SyntaxError quotes the body, which may hold the token.
    throw createInvalidResponse(received, "that is not valid JSON");
  }
  if (!isObject(body)) throw createInvalidResponse(received, "that is not a JSON object");
  return body;
}

/** Reads a required non-empty string field of a 2xx body. */
export function readString(received: Received, body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== "string" || !value) throw createInvalidResponse(received, `without a string "${key}"`);
  return value;
}
