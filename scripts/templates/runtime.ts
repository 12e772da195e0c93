import * as openapiFetch from "openapi-fetch";
import type { Client } from "openapi-fetch";

type CreateFetchClient = typeof openapiFetch.default;
// openapi-fetch's CommonJS build sets `exports.default`; under Node's ESM/CJS interop (which the
// bundled CJS output follows) the default import is then the whole exports object. Unwrap it.
const createFetchClient: CreateFetchClient =
  typeof openapiFetch.default === "function"
    ? openapiFetch.default
    : (openapiFetch.default as unknown as { default: CreateFetchClient }).default;

/** A secret value, or a function that supplies it per request (for rotating tokens). */
export type SecretSource = string | (() => string | Promise<string>);

/** Options every vendor client accepts. */
export interface BaseClientOptions {
  /** Root URL of the API; defaults to the spec's server. `http://` only for loopback unless `allowInsecureHttp`. */
  readonly baseUrl?: string;
  /** A fetch implementation to use instead of `globalThis.fetch` (looked up per request). */
  readonly fetch?: (input: Request) => Promise<Response>;
  /** Headers sent with every request; a header given here or per call wins over configured auth. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Allow `http://` to a non-loopback host (credentials then travel in clear text). */
  readonly allowInsecureHttp?: boolean;
}

/** Security alternatives (OR) of scheme names (AND), as in an OpenAPI security requirement list. */
export type Security = readonly (readonly string[])[];

/**
 * A runtime piece for a spec feature only some specs use (form bodies, per-operation servers, text
 * bodies): it installs its own middleware for the operations `keys`. Specs without the feature do
 * not reference it, so bundlers leave its code out.
 */
export type SpecHook = (client: Client<{}>, runtime: VendorRuntime & ClientSpec, keys: readonly string[]) => void;

/** What the client runtime needs from a spec; generated into `clientSpec`. */
export interface ClientSpec {
  /** The first server's URL, its variables at their defaults. */
  readonly baseUrl: string;
  /** How each security scheme travels: its header, and the text before the secret (`"Bearer "`; none for an API key). */
  readonly schemes: Readonly<Record<string, readonly [header: string, prefix?: string]>>;
  /** The security of every operation not in `operations`. */
  readonly security: Security;
  /** The operations whose security differs, keyed by `"METHOD /path/template"`. Every scheme named is in `schemes`. */
  readonly operations: Readonly<Record<string, Security>>;
  /** The spec's hooks, each with the operation keys it applies to. */
  readonly hooks: readonly (readonly [hook: SpecHook, ...keys: string[]])[];
}

/** A header filled from an auth option (a site id, a one-time code) unless the call sets it. */
export interface AuthHeader {
  readonly header: string;
  /** The key in `options.auth`. */
  readonly option: string;
  /** The operation keys (`"GET /path"`) that get the header; every operation when omitted. */
  readonly operations?: readonly string[];
}

/** What a vendor package adds to its spec: its name, and which `options.auth` keys feed which scheme or header. */
export interface VendorRuntime {
  readonly packageName: string;
  /** The key(s) in `options.auth` holding each security scheme's credential: [username, password] for Basic. */
  readonly auth: Readonly<Record<string, string | readonly [username: string, password: string]>>;
  readonly authHeaders?: readonly AuthHeader[];
  /** Base URLs of operations that live on their own server, keyed like `ClientSpec.operations`. */
  readonly operationBaseUrls?: Readonly<Record<string, string>>;
}

// Tells the credential check in `fetch` which operation a request is for, whatever middleware did to it.
const OPERATION_HEADER = "x-tokenkit-operation";

/** Names a value's kind for an error message without ever showing a (possibly secret) value. */
function describeKind(value: unknown): string {
  return value === null ? "null" : typeof value;
}

/** Throws the TypeError every invalid option gets; `problem` says what it must be and what it was. */
export function failOption(packageName: string, option: string, problem: string): never {
  throw Object.assign(new TypeError(`${packageName}: option "${option}" ${problem}`), { code: "ERR_INVALID_OPTION", option });
}

/** Checks an optional option's kind; `kinds` lists the allowed ones, e.g. `"string or function"`. */
export function assertKind(packageName: string, option: string, value: unknown, kinds: string): void {
  if (value !== undefined && !kinds.split(" or ").includes(describeKind(value))) failOption(packageName, option, `must be ${/^[aeiou]/.test(kinds) ? "an" : "a"} ${kinds}; received ${describeKind(value)}`);
}

/** Checks a base URL: absolute http(s) without credentials, and http:// only for loopback unless allowed. */
export function assertBaseUrl(packageName: string, option: string, value: unknown, allowInsecureHttp: boolean | undefined): string {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // Reported below, as any other value that is no http(s) URL.
  }
  // A URL's userinfo may hold a password; never echo it.
  const received = typeof value === "string" ? JSON.stringify(value.replace(/\/\/[^/]*@/, "//***@")) : describeKind(value);
  const problem =
    typeof value !== "string" || !/^https?:$/.test(url?.protocol ?? "")
      ? `must be an absolute http:// or https:// URL; received ${received}`
      : url!.username || url!.password
        ? "must not contain credentials (user:password@); pass them in `auth`"
        : url!.search || url!.hash
          ? `must not contain a query or fragment; received ${received}`
          : url!.protocol === "http:" && !allowInsecureHttp && !/^(localhost|127(\.\d+){3}|\[::1\])$|\.localhost$/.test(url!.hostname)
            ? `uses http:// for non-loopback host "${url!.hostname}"; use https:// or set allowInsecureHttp: true`
            : "";
  if (problem) failOption(packageName, option, problem);
  return value as string;
}

/** Rebuilds a request for a new URL or body; the body is read because a stream body cannot move. */
async function rebuildRequest(request: Request, url: string, body?: BodyInit): Promise<Request> {
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: body ?? (request.body && (await request.arrayBuffer())),
    signal: request.signal,
    redirect: request.redirect,
    credentials: request.credentials,
    keepalive: request.keepalive,
    referrerPolicy: request.referrerPolicy,
  });
}

/** Hook for operations with their own `servers`: moves them to the vendor's base URL for that operation. */
export const useOperationServer: SpecHook = (client, { baseUrl, operationBaseUrls }) =>
  client.use({
    onRequest({ request, schemaPath }) {
      const target = operationBaseUrls?.[`${request.method} ${schemaPath}`];
      const base = baseUrl.replace(/\/+$/, "");
      // Only requests on the client's own base move; a per-call `baseUrl` is the caller's explicit choice.
      if (target && request.url.startsWith(base)) return rebuildRequest(request, target.replace(/\/+$/, "") + request.url.slice(base.length));
      return undefined;
    },
  });

/** Hook for form-encoded request bodies: openapi-fetch sends JSON unless the caller sets the form Content-Type. */
export const encodeFormBody: SpecHook = (client, _runtime, keys) =>
  client.use({
    async onRequest({ request, schemaPath }) {
      if (!keys.includes(`${request.method} ${schemaPath}`) || !/^application\/json/i.test(request.headers.get("Content-Type") ?? "")) return undefined;
      request.headers.set("Content-Type", "application/x-www-form-urlencoded");
      // Encoded as openapi-fetch encodes a form body the caller asked for.
      return rebuildRequest(request, request.url, new URLSearchParams(await request.json()));
    },
  });

/** Hook for text/plain success bodies: the generated types promise a string, which openapi-fetch's JSON parsing would reject. */
export const readTextBody: SpecHook = (client) =>
  client.use({
    async onResponse({ response, options }) {
      if (options.parseAs !== "json" || !response.ok || !response.body || !/^text\/plain/i.test(response.headers.get("Content-Type") ?? "")) return undefined;
      return new Response(JSON.stringify(await response.text()), response);
    },
  });

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
  const { fetch: customFetch, headers, allowInsecureHttp } = options;
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
  async function setHeader(requestHeaders: Headers, header: string, prefix: string, keys: readonly string[]): Promise<void> {
    if (requestHeaders.has(header)) return;
    const parts: string[] = [];
    for (const key of keys) {
      const source = auth[key];
      const part: unknown = typeof source === "function" ? await source() : source;
      // A supplier that yields nothing must not turn into "Bearer undefined" on the wire.
      if (typeof part !== "string" || !part) return;
      parts.push(part);
    }
    // Basic credentials as UTF-8, as browsers and servers expect for non-ASCII names and passwords.
    const pair = parts.join(":");
    // Encoded once per credential pair rather than per request: it is the same string every time.
    if (parts[1] && basic?.[0] !== pair) basic = [pair, btoa(String.fromCharCode(...new TextEncoder().encode(pair)))];
    requestHeaders.set(header, prefix + (parts[1] ? basic![1] : pair));
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

  // The credential check runs here, on the final request, after every middleware had its turn.
  const send = async (request: Request): Promise<Response> => {
    if (request.headers.has(OPERATION_HEADER)) assertCredentials(request.headers);
    // Resolve fetch at call time so a polyfill or test double installed later still applies.
    return (customFetch ?? fetch)(request);
  };

  const client = createFetchClient<Paths>({ baseUrl, headers, fetch: send });
  client.use({
    async onRequest({ request, schemaPath, options: { fetch, baseUrl: callBase } }) {
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
        await setHeader(requestHeaders, header, prefix, listAuthKeys(scheme));
      }
      if (isSatisfied(requestHeaders, security)) return request;
      // Marked for the check in `send`, after the middleware still to run (which may add credentials).
      requestHeaders.set(OPERATION_HEADER, key);
      // A per-call `fetch` bypasses `send`, so such a request is checked now.
      if (fetch !== send) assertCredentials(requestHeaders);
      return request;
    },
  });
  for (const [hook, ...keys] of spec.hooks) hook(client as Client<{}>, { ...spec, ...vendor, baseUrl }, keys);
  return client;
}
