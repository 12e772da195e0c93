import * as openapiFetch from "openapi-fetch";
import type { Client, Middleware } from "openapi-fetch";
import type { OperationInfo, SecuritySchemeInfo } from "./metadata.js";

type CreateFetchClient = typeof openapiFetch.default;
// openapi-fetch's CommonJS build sets `exports.default`; under Node's ESM/CJS interop (which the
// bundled CJS output follows) the default import is then the whole exports object. Unwrap it.
const createFetchClient: CreateFetchClient =
  typeof openapiFetch.default === "function"
    ? openapiFetch.default
    : (openapiFetch.default as unknown as { default: CreateFetchClient }).default;

/** A secret value, or a function that supplies it per request (for rotating tokens). */
export type SecretSource = string | (() => string | Promise<string>);

/** Username and password for an HTTP Basic security scheme. */
export interface BasicSecret {
  readonly username: SecretSource;
  readonly password: SecretSource;
}

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

/** What the runtime needs to authenticate one security scheme, and the option name users see. */
export interface SchemeBinding {
  /** The option path named in errors, e.g. `auth.apiKey`. */
  readonly option: string;
  readonly value: SecretSource | BasicSecret | undefined;
}

/** A non-auth header filled from a client option (a site id, a one-time code) unless the call sets it. */
export interface HeaderBinding {
  readonly header: string;
  /** The option path named in errors, e.g. `auth.siteId`. */
  readonly option: string;
  readonly value: SecretSource | undefined;
  /** The operations that get the header; every operation when omitted. */
  readonly operationIds?: readonly string[];
}

/** What a vendor package tells the runtime about its spec and its option names. */
export interface VendorRuntime {
  readonly packageName: string;
  /** Used when the caller gives no `baseUrl`. */
  readonly defaultBaseUrl: string;
  /** Base URLs for operations that live on their own server, keyed by operationId. */
  readonly operationBaseUrls?: Readonly<Record<string, string>>;
  /** Credentials by security scheme name. */
  readonly bindings: Readonly<Record<string, SchemeBinding>>;
  readonly headerBindings?: readonly HeaderBinding[];
  readonly operations: Readonly<Record<string, Readonly<Partial<Record<string, OperationInfo>>>>>;
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeInfo>>;
}

interface ResolvedRuntime extends VendorRuntime {
  readonly baseUrl: string;
  readonly allowInsecureHttp: boolean;
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);
const FORM = "application/x-www-form-urlencoded";

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/** Describes a received option value without revealing secrets: strings only for non-secret options. */
function describe(value: unknown, showString = true): string {
  if (typeof value === "string" && showString) {
    // A URL's userinfo may hold a password; never echo it.
    const shown = value.replace(/\/\/[^/?#]*@/, "//***@");
    return JSON.stringify(shown.length > 80 ? `${shown.slice(0, 77)}...` : shown);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

function optionError(packageName: string, option: string, message: string): TypeError {
  return Object.assign(new TypeError(`${packageName}: option "${option}" ${message}`), { code: "ERR_INVALID_OPTION", option });
}

/** Checks a base URL option before any request: absolute http(s), and http only for loopback unless allowed. */
export function assertBaseUrl(packageName: string, option: string, value: unknown, allowInsecureHttp: boolean | undefined): string {
  let url: URL;
  try {
    if (typeof value !== "string") throw new TypeError("not a string");
    url = new URL(value);
  } catch {
    throw optionError(packageName, option, `must be an absolute http:// or https:// URL; received ${describe(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw optionError(packageName, option, `must use https:// (or http:// on loopback); received protocol "${url.protocol}"`);
  }
  if (url.username !== "" || url.password !== "") {
    throw optionError(packageName, option, "must not contain credentials (user:password@); pass them in `auth`");
  }
  if (url.search !== "" || url.hash !== "") {
    throw optionError(packageName, option, `must not contain a query or fragment; received ${describe(value)}`);
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && allowInsecureHttp !== true) {
    throw optionError(
      packageName,
      option,
      `uses http:// for non-loopback host "${url.hostname}", which would send credentials in clear text; use https:// or set allowInsecureHttp: true`,
    );
  }
  return value as string;
}

/** Fills a server URL template's `{variables}` from `values`, falling back to each variable's default. */
export function resolveServerUrl(
  server: { readonly url: string; readonly variables?: Readonly<Record<string, { readonly default: string }>> },
  values: Readonly<Record<string, string | undefined>> = {},
): string {
  return server.url.replace(/\{([^{}]+)\}/g, (match, name: string) => values[name] ?? server.variables?.[name]?.default ?? match);
}

function isSecretSource(value: unknown): value is SecretSource {
  return typeof value === "string" || typeof value === "function";
}

/** Checks that the options argument is an object, before anything reads from it. */
function assertOptionsObject(packageName: string, options: unknown): asserts options is BaseClientOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw optionError(packageName, "options", `must be an object; received ${describe(options, false)}`);
  }
}

/**
 * Validates `options.auth` before any request: an object whose keys are `keys` and whose values are
 * secret sources. Errors name the option and never echo a value.
 */
export function readAuth<K extends string>(packageName: string, options: unknown, keys: readonly K[]): Partial<Record<K, SecretSource>> {
  assertOptionsObject(packageName, options);
  const auth: unknown = (options as { auth?: unknown }).auth;
  if (auth === undefined) return {};
  if (typeof auth !== "object" || auth === null || Array.isArray(auth)) {
    throw optionError(packageName, "auth", `must be an object with ${keys.map((k) => `"${k}"`).join(", ")}; received ${describe(auth, false)}`);
  }
  const result: Partial<Record<K, SecretSource>> = {};
  for (const [key, value] of Object.entries(auth)) {
    if (!(keys as readonly string[]).includes(key)) {
      throw optionError(packageName, `auth.${key}`, `is not known; expected one of ${keys.map((k) => `auth.${k}`).join(", ")}`);
    }
    if (value === undefined) continue;
    if (!isSecretSource(value)) {
      throw optionError(packageName, `auth.${key}`, `must be a string or a function returning one; received ${describe(value, false)}`);
    }
    result[key as K] = value;
  }
  return result;
}

function isConfigured(value: SecretSource | undefined): value is SecretSource {
  return value !== undefined && value !== "";
}

/** A Basic credential when both parts are configured, else undefined (so the scheme counts as missing). */
export function basicSecret(username: SecretSource | undefined, password: SecretSource | undefined): BasicSecret | undefined {
  return isConfigured(username) && isConfigured(password) ? { username, password } : undefined;
}

function missingCredentialError(packageName: string, operation: OperationInfo, message: string): Error {
  const error = new Error(`${packageName}: ${operation.operationId} (${operation.method.toUpperCase()} ${operation.path}) ${message}; the request was not sent`);
  return Object.assign(error, { name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL", operationId: operation.operationId });
}

async function reveal(source: SecretSource, option: string, packageName: string, operation: OperationInfo): Promise<string> {
  const value = typeof source === "function" ? await source() : source;
  // A supplier that yields nothing must not turn into "Bearer undefined" on the wire.
  if (typeof value !== "string" || value === "") throw missingCredentialError(packageName, operation, `got no value from ${option}`);
  return value;
}

function isBasic(value: SchemeBinding["value"]): value is BasicSecret {
  return typeof value === "object" && value !== null && isConfigured(value.username) && isConfigured(value.password);
}

function isBasicScheme(info: SecuritySchemeInfo): boolean {
  return info.type === "http" && info.scheme?.toLowerCase() === "basic";
}

function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function authorizationPrefix(scheme: string): string {
  const lower = scheme.toLowerCase();
  // RFC 7235 schemes are case-insensitive, but servers in the wild match the conventional spelling.
  if (lower === "bearer") return "Bearer";
  if (lower === "basic") return "Basic";
  return scheme;
}

function headerOf(info: SecuritySchemeInfo | undefined): string | undefined {
  if (!info) return undefined;
  if (info.type === "apiKey") return info.in === "header" ? info.name : undefined;
  return "Authorization";
}

function isBound(binding: SchemeBinding | undefined, info: SecuritySchemeInfo | undefined): boolean {
  if (!binding || !info) return false;
  if (isBasicScheme(info)) return isBasic(binding.value);
  return typeof binding.value !== "object" && isConfigured(binding.value);
}

async function applyScheme(runtime: ResolvedRuntime, operation: OperationInfo, headers: Headers, scheme: string): Promise<void> {
  const info = runtime.securitySchemes[scheme];
  const binding = runtime.bindings[scheme];
  const header = headerOf(info);
  // A header the caller set explicitly (per call, in `headers`, or by a token middleware) wins.
  if (!info || !binding || header === undefined || headers.has(header)) return;
  const { value, option } = binding;
  if (isBasicScheme(info)) {
    if (!isBasic(value)) return;
    const [username, password] = await Promise.all([
      reveal(value.username, option, runtime.packageName, operation),
      reveal(value.password, option, runtime.packageName, operation),
    ]);
    headers.set("Authorization", `Basic ${toBase64(`${username}:${password}`)}`);
    return;
  }
  if (value === undefined || typeof value === "object") return;
  const secret = await reveal(value, option, runtime.packageName, operation);
  if (info.type === "apiKey") headers.set(header, secret);
  else headers.set("Authorization", `${authorizationPrefix(info.type === "http" && info.scheme ? info.scheme : "bearer")} ${secret}`);
}

/** Picks the first security alternative the configuration (or an explicit header) satisfies, or throws before sending. */
function chooseRequirement(runtime: ResolvedRuntime, operation: OperationInfo, headers: Headers): readonly string[] {
  if (operation.security.length === 0) return [];
  const chosen = operation.security.find((requirement) =>
    requirement.every((scheme) => {
      const info = runtime.securitySchemes[scheme];
      const header = headerOf(info);
      return isBound(runtime.bindings[scheme], info) || (header !== undefined && headers.has(header));
    }),
  );
  if (chosen) return chosen;
  const alternatives = operation.security.map((requirement) =>
    requirement.map((scheme) => runtime.bindings[scheme]?.option ?? scheme).join(" + "),
  );
  throw missingCredentialError(runtime.packageName, operation, `needs ${alternatives.join(" or ")}, which is not configured`);
}

function formEncode(json: string): string {
  const body: unknown = json === "" ? {} : JSON.parse(json);
  const form = new URLSearchParams();
  if (body && typeof body === "object") {
    for (const [key, value] of Object.entries(body)) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        form.append(key, typeof item === "object" ? JSON.stringify(item) : String(item));
      }
    }
  }
  return form.toString();
}

/** Moves the request to the operation's own server and re-encodes a JSON body as a form where the spec says so. */
async function routeAndEncode(runtime: ResolvedRuntime, operation: OperationInfo, request: Request): Promise<Request> {
  let url = request.url;
  const override = runtime.operationBaseUrls?.[operation.operationId];
  const base = runtime.baseUrl.replace(/\/+$/, "");
  // Only requests on the client's own base move; a per-call `baseUrl` is the caller's explicit choice.
  if (override && url.startsWith(base)) url = override.replace(/\/+$/, "") + url.slice(base.length);
  // openapi-fetch form-encodes only when the caller sets that exact Content-Type; otherwise it sent JSON.
  const reencode = operation.requestMediaType === FORM && /^application\/json\b/i.test(request.headers.get("Content-Type") ?? "");
  if (url === request.url && !reencode) return request;
  const headers = new Headers(request.headers);
  let body: string | ArrayBuffer | undefined = request.body ? await request.arrayBuffer() : undefined;
  if (reencode) {
    body = formEncode(new TextDecoder().decode(body ?? new ArrayBuffer(0)));
    headers.set("Content-Type", FORM);
  }
  return new Request(url, {
    method: request.method,
    headers,
    body,
    signal: request.signal,
    redirect: request.redirect,
    credentials: request.credentials,
    keepalive: request.keepalive,
    referrerPolicy: request.referrerPolicy,
  });
}

function assertTransport(runtime: ResolvedRuntime, url: string): void {
  const { protocol, hostname } = new URL(url);
  if (protocol === "http:" && !isLoopbackHost(hostname) && !runtime.allowInsecureHttp) {
    throw optionError(
      runtime.packageName,
      "baseUrl",
      `would send a request over http:// to non-loopback host "${hostname}"; use https:// or set allowInsecureHttp: true`,
    );
  }
}

/** The middleware that applies the spec's security schemes, server overrides, option headers and encodings. */
function createRuntimeMiddleware(runtime: ResolvedRuntime): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      const operation = runtime.operations[schemaPath]?.[request.method.toLowerCase()];
      if (!operation) return undefined;
      const outgoing = await routeAndEncode(runtime, operation, request);
      assertTransport(runtime, outgoing.url);
      const requirement = chooseRequirement(runtime, operation, outgoing.headers);
      for (const binding of runtime.headerBindings ?? []) {
        if (binding.operationIds && !binding.operationIds.includes(operation.operationId)) continue;
        if (!isConfigured(binding.value) || outgoing.headers.has(binding.header)) continue;
        outgoing.headers.set(binding.header, await reveal(binding.value, binding.option, runtime.packageName, operation));
      }
      for (const scheme of requirement) await applyScheme(runtime, operation, outgoing.headers, scheme);
      return outgoing;
    },
    async onResponse({ response, options }) {
      // The generated types promise a string for text/plain success bodies; openapi-fetch's default
      // JSON parsing would throw on them instead, so hand it the string as JSON.
      if (options.parseAs !== "json" || !response.ok || response.status === 204 || response.status === 205) return undefined;
      if (!/^text\/plain\b/i.test(response.headers.get("Content-Type") ?? "")) return undefined;
      const headers = new Headers(response.headers);
      headers.set("Content-Type", "application/json");
      headers.delete("Content-Length");
      const text = await response.text();
      return new Response(JSON.stringify(text), { status: response.status, statusText: response.statusText, headers });
    },
  };
}

/** Creates an openapi-fetch client for a vendor's generated `paths`, with auth applied by middleware. */
export function createRuntimeClient<Paths extends {}>(options: BaseClientOptions, vendor: VendorRuntime): Client<Paths> {
  const { packageName } = vendor;
  assertOptionsObject(packageName, options);
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw optionError(packageName, "fetch", `must be a function compatible with globalThis.fetch; received ${describe(options.fetch, false)}`);
  }
  if (options.headers !== undefined && (typeof options.headers !== "object" || options.headers === null)) {
    throw optionError(packageName, "headers", `must be an object of header names to values; received ${describe(options.headers, false)}`);
  }
  if (options.allowInsecureHttp !== undefined && typeof options.allowInsecureHttp !== "boolean") {
    throw optionError(packageName, "allowInsecureHttp", `must be a boolean; received ${describe(options.allowInsecureHttp, false)}`);
  }
  const baseUrl = assertBaseUrl(packageName, "baseUrl", options.baseUrl === undefined ? vendor.defaultBaseUrl : options.baseUrl, options.allowInsecureHttp);
  const runtime: ResolvedRuntime = { ...vendor, baseUrl, allowInsecureHttp: options.allowInsecureHttp === true };
  const customFetch = options.fetch;
  const client = createFetchClient<Paths>({
    baseUrl,
    headers: options.headers,
    // Resolve fetch at call time so a polyfill or test double installed later still applies.
    fetch: customFetch ? (input: Request) => customFetch(input) : (input: Request) => globalThis.fetch(input),
  });
  client.use(createRuntimeMiddleware(runtime));
  return client;
}
