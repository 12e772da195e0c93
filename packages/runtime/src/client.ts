import * as openapiFetch from "openapi-fetch";
import { defaultBodySerializer, type Client } from "openapi-fetch";
import { describeTarget, RequestError } from "./errors.js";
import { assertBaseUrl, assertInteger, assertKind, failOption } from "./options.js";
import { DEFAULT_MAX_RESPONSE_BYTES, transmit, type Exchange, type FetchLike, type WireEvent } from "./transport.js";
import type { BaseClientOptions, CallDefaults, ClientSpec, Security, VendorRuntime } from "./types.js";

type CreateFetchClient = typeof openapiFetch.default;
// openapi-fetch's CommonJS build sets `exports.default`; under Node's ESM/CJS interop (which the
// bundled CJS output follows) the default import is then the whole exports object. Unwrap it.
const createFetchClient: CreateFetchClient =
  typeof openapiFetch.default === "function" ? openapiFetch.default : (openapiFetch.default as unknown as { default: CreateFetchClient }).default;

// Tells the credential check in the transport which operation a request is for, whatever middleware did to it.
const OPERATION_HEADER = "x-tokenkit-operation";

const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

type Init = Record<string, unknown> & {
  signal?: AbortSignal | null;
  fetch?: FetchLike;
  headers?: unknown;
  observe?: (event: WireEvent) => void;
  bodySerializer?: (body: unknown, headers?: unknown) => unknown;
};

// Each call's state, found from the per-call fetch that openapi-fetch hands its middleware.
const exchanges = new WeakMap<Function, Exchange>();

/** The caller's headers over an operation's default ones, with openapi-fetch's rules (null removes, arrays append). */
function mergeHeaders(defaults: Readonly<Record<string, string>>, own: unknown): Headers {
  const headers = new Headers(defaults);
  if (own && typeof own === "object") {
    for (const [name, value] of own instanceof Headers ? own.entries() : Object.entries(own)) {
      if (value === null) headers.delete(name);
      else if (Array.isArray(value)) {
        headers.delete(name);
        for (const item of value) headers.append(name, String(item));
      } else if (value !== undefined) headers.set(name, String(value));
    }
  }
  return headers;
}

function applyDefaults(defaults: CallDefaults, init: Init): Init {
  return { ...defaults, ...init, ...(defaults.headers && { headers: mergeHeaders(defaults.headers, init.headers) }) };
}

/** Creates an openapi-fetch client for a vendor's generated `paths`, with the spec's security applied by middleware. */
export function createRuntimeClient<Paths extends {}>(options: BaseClientOptions & { readonly auth?: object }, spec: ClientSpec, vendor: VendorRuntime): Client<Paths> {
  const { packageName, authHeaders = [] } = vendor;
  const { operations, schemes } = spec;
  // Worked out once: this runs on every request.
  const authKeys = new Map(Object.keys(schemes).map((scheme) => [scheme, [vendor.auth[scheme] ?? []].flat()]));
  const listAuthKeys = (scheme: string) => authKeys.get(scheme)!;
  const known = [...Object.values(vendor.auth).flat(), ...authHeaders.map(({ option }) => option)];
  assertKind(packageName, "options", options ?? null, "object");
  const kinds = { fetch: "function", headers: "object", allowInsecureHttp: "boolean", auth: "object" } as const;
  for (const option of Object.keys(kinds) as (keyof typeof kinds)[]) assertKind(packageName, option, options[option], kinds[option]);
  assertInteger(packageName, "timeoutMs", options.timeoutMs, 1, 2_147_483_647);
  assertInteger(packageName, "maxResponseBytes", options.maxResponseBytes, 1, Number.MAX_SAFE_INTEGER);
  const { fetch: customFetch, headers, allowInsecureHttp, timeoutMs } = options;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const auth: Readonly<Record<string, unknown>> = { ...options.auth };
  for (const key in auth) {
    if (!known.includes(key)) failOption(packageName, `auth.${key}`, `is not known; expected one of auth.${known.join(", auth.")}`);
    assertKind(packageName, `auth.${key}`, auth[key], "string or function");
  }
  const baseUrl = assertBaseUrl(packageName, "baseUrl", options.baseUrl === undefined ? spec.baseUrl : options.baseUrl, allowInsecureHttp);
  // As openapi-fetch stores it (one trailing slash dropped), to spot a per-call `baseUrl` without parsing the request URL.
  const clientBase = baseUrl.replace(/\/$/, "");
  let basic: readonly [pair: string, encoded: string] | undefined;

  /** Sets `header` from the auth option(s) `keys` unless it is set: Basic when there are two (username, password). */
  async function setHeader(requestHeaders: Headers, header: string, prefix: string, keys: readonly string[], scheme?: string): Promise<void> {
    if (requestHeaders.has(header)) return;
    const parts: string[] = [];
    for (const key of keys) {
      const source = auth[key];
      const part: unknown = typeof source === "function" ? await source() : source;
      // A supplier that yields nothing must not turn into "Bearer undefined" on the wire.
      if (typeof part !== "string" || !part) return;
      parts.push(part);
    }
    if (!parts[1]) return requestHeaders.set(header, prefix + parts[0]);
    const encode = scheme ? vendor.encodeBasic?.[scheme] : undefined;
    // Basic credentials as UTF-8, as browsers and servers expect for non-ASCII names and passwords.
    const pair = (encode ? encode(parts[0]!, parts[1]) : parts).join(":");
    // Encoded once per credential pair rather than per request: it is the same string every time.
    if (basic?.[0] !== pair) basic = [pair, btoa(String.fromCharCode(...new TextEncoder().encode(pair)))];
    requestHeaders.set(header, prefix + basic[1]);
  }

  /** Whether the headers satisfy one of `security`'s alternatives (or it needs none). */
  const isSatisfied = (requestHeaders: Headers, security: Security) =>
    !security[0] || security.some((schemeSet) => schemeSet.every((scheme) => requestHeaders.has(schemes[scheme]![0])));

  /** Throws, so nothing is sent, unless the headers satisfy one of the marked operation's security alternatives. */
  function assertCredentials(requestHeaders: Headers): void {
    const key = requestHeaders.get(OPERATION_HEADER) ?? "";
    requestHeaders.delete(OPERATION_HEADER);
    const security = operations[key] ?? spec.security;
    if (isSatisfied(requestHeaders, security)) return;
    const needed = security.map((schemeSet) => schemeSet.flatMap(listAuthKeys).map((option) => `auth.${option}`).join(" + ")).join(" or ");
    throw Object.assign(new Error(`${packageName}: ${key} needs ${needed}, which is not configured; the request was not sent`), {
      name: "MissingCredentialError",
      code: "ERR_MISSING_CREDENTIAL",
    });
  }

  /** The fetch of one call: the credential check on the final request (after every middleware), then the transport. */
  function createCallFetch(exchange: Exchange, signal: AbortSignal | undefined, init: Init): FetchLike {
    const options = { fetch: init.fetch ?? customFetch, maxResponseBytes, observe: init.observe };
    const callFetch: FetchLike = (request) => {
      if (request.headers.has(OPERATION_HEADER)) assertCredentials(request.headers);
      return transmit(request, signal, exchange, options);
    };
    exchanges.set(callFetch, exchange);
    return callFetch;
  }

  const inner = createFetchClient<Paths>({ baseUrl, headers, redirect: "manual" });
  inner.use({
    async onRequest({ request, schemaPath, options: { baseUrl: callBase, fetch: callFetch } }) {
      // The first middleware sees the Request as openapi-fetch built it, with the serialized body.
      const exchange = exchanges.get(callFetch);
      if (exchange) exchange.built = request;
      const key = `${request.method} ${schemaPath}`;
      const security = operations[key] ?? spec.security;
      // A per-call `baseUrl` gets the same transport check as the client's (already checked: skipped).
      if (callBase !== clientBase) assertBaseUrl(packageName, "baseUrl", new URL(request.url).origin, allowInsecureHttp);
      const requestHeaders = request.headers;
      for (const { header, option, operations: only } of authHeaders) {
        if (!only || only.includes(key)) await setHeader(requestHeaders, header, "", [option]);
      }
      const isReady = (scheme: string) => requestHeaders.has(schemes[scheme]![0]) || listAuthKeys(scheme).every((option) => auth[option]);
      // With no alternative complete, fill in what is configured of the first: a middleware that runs
      // later (a token source) may supply the rest.
      for (const scheme of security.find((schemeSet) => schemeSet.every(isReady)) ?? security[0] ?? []) {
        const [header, prefix = ""] = schemes[scheme]!;
        await setHeader(requestHeaders, header, prefix, listAuthKeys(scheme), scheme);
      }
      // Marked for the check in the call's fetch, after the middleware still to run (which may add credentials).
      if (!isSatisfied(requestHeaders, security)) requestHeaders.set(OPERATION_HEADER, key);
      return request;
    },
  });

  const callDefaults = new Map<string, CallDefaults>();
  const setCallDefaults = (key: string, defaults: CallDefaults) => {
    const old = callDefaults.get(key);
    callDefaults.set(key, { ...old, ...defaults, ...((old?.headers || defaults.headers) && { headers: { ...old?.headers, ...defaults.headers } }) });
  };
  for (const [hook, ...keys] of spec.hooks) hook({ client: inner as Client<{}>, runtime: { ...spec, ...vendor, baseUrl }, setCallDefaults }, keys);

  /**
   * One call, bounded: it ends when the client's timeout fires or the caller's signal aborts, by
   * racing the exchange rather than trusting fetch to reject, and the abort still reaches fetch so
   * the connection closes.
   */
  async function call(method: string, path: string, init: Init = {}): Promise<unknown> {
    const defaults = callDefaults.get(`${method} ${path}`);
    const own = defaults ? applyDefaults(defaults, init) : init;
    const { signal: callerSignal, fetch: _fetch, observe: _observe, ...rest } = own;
    const exchange: Exchange = { started: Date.now() };
    if (rest.body !== undefined) {
      // Kept, so the transport can send the body as it is rather than the Request's stream of it.
      const serialize = rest.bodySerializer ?? defaultBodySerializer;
      rest.bodySerializer = (body, headers) => (exchange.body = serialize(body, headers as never));
    }
    const send = (inner as unknown as Record<string, (path: string, init: object) => Promise<unknown>>)[method]!;
    if (!callerSignal && !timeoutMs) return send(path, { ...rest, fetch: createCallFetch(exchange, undefined, own) });
    const where = () => exchange.target ?? describeTarget(method, `${typeof rest.baseUrl === "string" ? rest.baseUrl : clientBase}${path}`);
    const stop = (code: "ERR_ABORTED" | "ERR_TIMEOUT", message: string, cause: unknown) =>
      new RequestError(message, { ...where(), code, elapsedMs: Date.now() - exchange.started, cause });
    if (callerSignal?.aborted) throw stop("ERR_ABORTED", "aborted by the caller's signal before it was sent", callerSignal.reason);
    // Held here, strongly, for the whole call: this is the signal fetch itself gets. Never the caller's
    // own: fetch's Request follows a signal until it is garbage-collected, so a signal shared by many
    // calls would gather listeners.
    const controller = new AbortController();
    const { signal } = controller;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const end = (error: RequestError) => {
        controller.abort(error);
        reject(error);
      };
      onAbort = () => end(stop("ERR_ABORTED", "aborted by the caller's signal", callerSignal!.reason));
      callerSignal?.addEventListener("abort", onAbort);
      if (timeoutMs) timer = setTimeout(() => end(stop("ERR_TIMEOUT", `no complete response within ${timeoutMs} ms`, undefined)), timeoutMs);
    });
    // The signal goes to fetch alone: the Request openapi-fetch builds only carries the request to the
    // transport, and one more signal following ours would be one more listener per call.
    const pending = send(path, { ...rest, fetch: createCallFetch(exchange, signal, own) });
    try {
      return await Promise.race([pending, deadline]);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onAbort!);
      // The loser of the race rejects later (with the abort); nobody waits for it.
      pending.catch(() => {});
    }
  }

  const client = { ...inner } as Record<string, unknown>;
  for (const method of METHODS) client[method] = (path: string, init?: Init) => call(method, path, init);
  client.request = (method: string, path: string, init?: Init) => call(method.toUpperCase(), path, init);
  return client as unknown as Client<Paths>;
}
