import { isObject } from "./check.js";
import { createError, mapStatusToCode, TokenError, type Site, type TokenErrorDetails } from "./errors.js";
import { excerpt, type Redactor } from "./redact.js";
import { RequestError, type WireEvent } from "@tokenkit/runtime";
import type { TokenEvent, TokenOperation, VendorId } from "./types.js";

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
  /** The client's `onEvent`, never throwing. */
  readonly emit: (event: TokenEvent) => void;
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
  /** Hears each request on the wire (redirect hops included) and its response, for `onEvent` and messages. */
  readonly observe: (event: WireEvent) => void;
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

/** Where an attempt stands, for messages that say where and how long: "attempt 2 of 3, 1.4 s in all". */
interface Progress {
  readonly attempt: number;
  readonly attempts: number;
  /** When the call's first attempt began (ms since the epoch). */
  readonly started: number;
}

function describeProgress({ attempt, attempts, started }: Progress): string {
  return `attempt ${attempt} of ${attempts}, ${((Date.now() - started) / 1000).toFixed(1)} s in all`;
}

/** The request an attempt sent last, as "POST https://host/path" (never a query); set as it goes out. */
interface Seen {
  target?: string;
}

/** A promise that rejects when `signal` aborts (with its reason), and never settles otherwise. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

/** A wire listener that notes where each request of an attempt goes (for messages) and reports it to `onEvent`. */
function observe(call: Call, attempt: number, seen: Seen): SendOptions["observe"] {
  const { vendor, operation, emit } = call;
  return (event) => {
    const { method, origin, path } = event;
    if (event.type === "request") {
      seen.target = `${method} ${origin}${path}`;
      emit({ type: "request", vendor, operation, attempt, method, origin, path });
    } else emit({ type: "response", vendor, operation, attempt, method, origin, path, status: event.status, ms: event.ms });
  };
}

/** One attempt: waits `delay` ms first (a backoff), then sends with the call's timeout and signal. */
async function attempt(call: Call, expected: string, send: Send, delay: number, progress: Progress): Promise<Received> {
  const { signal } = call;
  // One controller per attempt carries both the timeout (body included) and the caller's signal. It is
  // held here, and the vendor client races its exchange against it: the call ends on time whatever fetch does.
  const controller = new AbortController();
  const seen: Seen = {};
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", abort);
  try {
    if (delay) {
      // The backoff: over after `delay` ms, or as soon as the caller aborts.
      await new Promise((resolve) => {
        timer = setTimeout(resolve, delay);
        controller.signal.addEventListener("abort", resolve);
      });
    }
    if (signal?.aborted) throw signal.reason ?? new Error("aborted");
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const started = Date.now();
    // openapi-fetch reads the body: as text on a 2xx, parsed as JSON (when it is) otherwise.
    // The vendor client races its own exchange; this race also bounds what an adapter awaits before it
    // (a credential read from a secret source, say).
    const sending = send({ signal: controller.signal, parseAs: "text", observe: observe(call, progress.attempt, seen) });
    sending.catch(() => {});
    const { response, data, error } = await Promise.race([sending, whenAborted(controller.signal)]);
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
    throw createFailure(call, expected, error, progress, timedOut, seen);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  }
}

// What the usual network-level reasons mean, for people who don't know errno names by heart.
const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  UND_ERR_SOCKET: "the connection closed before the response was complete",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host lookup failed",
  ETIMEDOUT: "connect timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  bad: "the port is one fetch refuses to connect to",
};

/** The TokenError for an attempt that got no usable response: a timeout, an abort, a network failure, a refused redirect or an oversized body. */
function createFailure(call: Call, expected: string, error: unknown, progress: Progress, timedOut: boolean, seen: Seen): TokenError {
  const { redact, signal } = call;
  const failure = RequestError.is(error) ? error : undefined;
  const where = failure ? `${failure.method} ${failure.origin}${failure.path}` : (seen.target ?? "the request");
  const cause = sanitizeCause(error, redact);
  const when = describeProgress(progress);
  if (timedOut || failure?.code === "ERR_TIMEOUT") {
    return createError(call, `expected ${expected}, but ${where} got no complete response within ${call.timeoutMs} ms (${when})`, { code: "timeout", cause });
  }
  if (signal?.aborted) {
    const reason: unknown = signal.reason;
    // A caller's AbortSignal.timeout() is a timeout; any other abort is the caller's choice, never retried.
    return createError(call, `${where} was aborted by the caller's signal (${when})`, {
      code: (reason as Error | undefined)?.name === "TimeoutError" ? "timeout" : "network_error",
      retryable: false,
      cause: sanitizeCause(reason, redact),
    });
  }
  if (failure?.code === "ERR_REDIRECT" || failure?.code === "ERR_RESPONSE_TOO_LARGE") {
    // The runtime's message names the redirect's target origin (never its query) or the size limit.
    const what = failure.message.slice(failure.message.indexOf(": ") + 2);
    return createError(call, `expected ${expected}, but ${where}: ${what}`, { code: "invalid_response", status: failure.status, retryable: false, cause });
  }
  const reason = failure?.reason;
  const code = reason?.split(" ")[0] ?? "";
  const detail = reason ? (Object.hasOwn(REASONS, code) ? `${REASONS[code]} (${reason})` : reason) : String((error as Error | undefined)?.message ?? error);
  return createError(call, `expected ${expected}, but ${where} failed: ${redact(detail)} (${when})`, { code: "network_error", cause });
}

/**
 * Performs one HTTP exchange with the call's timeout and signal; issue and renew are retried on
 * retryable failures with exponential backoff and jitter, or after the vendor's `Retry-After` (up
 * to 60 s; a longer one is returned to the caller). `expected` completes "expected …, received …".
 *
 * Worst case of a call: (retries + 1) × timeoutMs plus the backoffs between attempts (each at most
 * `maxDelayMs`, or a `Retry-After` of up to 60 s); with the defaults, 3 × 30 s + 0.5 s + 1 s ≈ 91.5 s.
 */
export async function exchange(call: Call, expected: string, send: Send): Promise<Received> {
  const retry = call.operation === "issue" || call.operation === "renew" ? call.retry : false;
  const attempts = retry ? retry.retries + 1 : 1;
  const started = Date.now();
  for (let tries = 0, wait = 0; ; tries++) {
    try {
      return await attempt(call, expected, send, wait, { attempt: tries + 1, attempts, started });
    } catch (error) {
      const failure = error as TokenError;
      if (!retry || !failure.retryable || tries >= retry.retries) throw failure;
      wait = failure.retryAfterMs ?? Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** tries) * (1 - Math.random() / 4);
      if (wait > 60_000) throw failure;
      call.emit({ type: "retry", vendor: call.vendor, operation: call.operation, attempt: tries + 1, delayMs: Math.round(wait), reason: failure.code });
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
