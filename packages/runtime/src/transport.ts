import { describeTarget, readNetworkReason, RequestError, type RequestErrorCode, type RequestTarget } from "./errors.js";

/** The fetch a client sends through: the standard signature, so a test double or polyfill fits. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

/** Default cap on the bytes read from one response body. */
export const DEFAULT_MAX_RESPONSE_BYTES = 65_536;

/** Same-origin redirects followed at most; more is a loop or a misconfiguration. */
const MAX_REDIRECTS = 5;

/** One exchange's state, shared by the transport and the deadline that races it. */
export interface Exchange {
  readonly started: number;
  /** The request on the wire, once there is one (for messages). */
  target?: RequestTarget;
}

/** What the transport needs besides the request. */
export interface TransportOptions {
  readonly fetch: FetchLike;
  readonly maxResponseBytes: number;
}

function fail(exchange: Exchange, code: RequestErrorCode, message: string, extra: Partial<ConstructorParameters<typeof RequestError>[1]> = {}): never {
  throw new RequestError(message, { ...exchange.target!, code, elapsedMs: Date.now() - exchange.started, ...extra });
}

/** The request to send after a same-origin redirect: 303 (and 301/302 after a POST) turn into a body-less GET, as fetch does. */
function redirectRequest(replay: Request, url: string, status: number): Request {
  const asGet = status === 303 ? replay.method !== "HEAD" : (status === 301 || status === 302) && replay.method === "POST";
  const headers = new Headers(replay.headers);
  if (asGet) for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) headers.delete(name);
  return new Request(url, {
    method: asGet ? "GET" : replay.method,
    headers,
    body: asGet ? null : replay.body,
    redirect: "manual",
    credentials: replay.credentials,
    // A stream body needs this in Node's fetch.
    ...(!asGet && replay.body ? { duplex: "half" } : {}),
  } as RequestInit);
}

/** Counts the bytes of a body as it streams and errors the stream past `maxBytes` (which closes the connection). */
function limitBody(response: Response, maxBytes: number, tooLarge: () => RequestError): Response {
  const reader = response.body!.getReader();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen <= maxBytes) return controller.enqueue(value);
      const error = tooLarge();
      await reader.cancel(error).catch(() => {});
      controller.error(error);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * Sends one request: the exchange's `signal` goes to fetch itself (a signal only linked through a
 * Request is lost to a garbage collection in Node 20's fetch); redirects are followed only within the
 * request's origin, so no credential ever reaches another; the body is read at most `maxResponseBytes`.
 */
export async function transmit(first: Request, signal: AbortSignal | undefined, exchange: Exchange, options: TransportOptions): Promise<Response> {
  let request = first;
  exchange.target = describeTarget(request.method, request.url);
  const { origin } = exchange.target;
  for (let hops = 0; ; hops++) {
    // The body can be sent once; a copy is kept in case a 307/308 asks for it again.
    const replay = request.body ? request.clone() : request;
    let response: Response;
    try {
      response = await options.fetch(request, signal ? { signal, redirect: "manual" } : { redirect: "manual" });
    } catch (error) {
      // An abort is reported by the deadline racing this exchange, with its own reason.
      if (signal?.aborted) throw error;
      const reason = readNetworkReason(error);
      fail(exchange, "ERR_NETWORK", `the request failed: ${reason ?? String((error as Error)?.message ?? error)}`, { reason, cause: error });
    }
    const { status } = response;
    if (response.type === "opaqueredirect") {
      // A browser hides where a manual redirect points: it cannot be checked, so it is not followed.
      fail(exchange, "ERR_REDIRECT", "the server answered with a redirect, which is not followed (the browser hides its target)", { status });
    }
    const location = status >= 300 && status < 400 && status !== 304 ? response.headers.get("location") : null;
    if (location !== null) {
      await response.body?.cancel().catch(() => {});
      let next: URL | undefined;
      try {
        next = new URL(location, request.url);
      } catch {
        fail(exchange, "ERR_REDIRECT", `the server redirected (${status}) to a Location that is not a URL`, { status });
      }
      if (next.origin !== origin) {
        fail(exchange, "ERR_REDIRECT", `the server redirected (${status}) to another origin, ${next.origin}; credentials are only sent to ${origin}, so it was not followed`, {
          status,
          redirectOrigin: next.origin,
        });
      }
      if (hops >= MAX_REDIRECTS) fail(exchange, "ERR_REDIRECT", `more than ${MAX_REDIRECTS} redirects`, { status });
      request = redirectRequest(replay, next.href, status);
      exchange.target = describeTarget(request.method, request.url);
      continue;
    }
    // Browsers give a 204/205/304 an empty stream, not null (whatwg/fetch#1779); a Response cannot be rebuilt around it.
    if (!response.body || status === 204 || status === 205 || status === 304) return response;
    const { maxResponseBytes } = options;
    const tooLarge = () =>
      new RequestError(`the response body (${status}) is larger than ${maxResponseBytes} bytes; reading stopped there`, {
        ...exchange.target!,
        code: "ERR_RESPONSE_TOO_LARGE",
        status,
        elapsedMs: Date.now() - exchange.started,
      });
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (declared > maxResponseBytes) {
      await response.body.cancel().catch(() => {});
      throw tooLarge();
    }
    // A declared length bounds the body, unless it is compressed (the length is then the compressed size).
    const encoded = !/^(?:identity)?$/i.test(response.headers.get("content-encoding") ?? "");
    return Number.isNaN(declared) || encoded ? limitBody(response, maxResponseBytes, tooLarge) : response;
  }
}
