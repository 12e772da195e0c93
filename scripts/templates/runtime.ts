import createFetchClient, { type Client, type Middleware } from "openapi-fetch";
import type { OperationInfo, SecuritySchemeInfo } from "./metadata.js";

/** A secret value, or a function that supplies it per request (for rotating tokens). */
export type SecretSource = string | (() => string | Promise<string>);

/** Username and password for an HTTP Basic security scheme. */
export interface BasicSecret {
  readonly username: SecretSource;
  readonly password: SecretSource;
}

/** What the runtime needs to authenticate one security scheme, and the option name users see. */
export interface SchemeBinding {
  /** The option path named in errors, e.g. `auth.apiKey`. */
  readonly option: string;
  readonly value: SecretSource | BasicSecret | undefined;
}

/** Settings shared by every generated vendor client. */
export interface RuntimeOptions {
  readonly packageName: string;
  readonly baseUrl: string;
  /** Base URLs for operations that live on their own server, keyed by operationId. */
  readonly operationBaseUrls?: Readonly<Record<string, string>>;
  readonly fetch?: typeof globalThis.fetch | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly allowInsecureHttp?: boolean | undefined;
  readonly bindings: Readonly<Record<string, SchemeBinding>>;
  readonly operations: Readonly<Record<string, Readonly<Partial<Record<string, OperationInfo>>>>>;
  readonly securitySchemes: Readonly<Record<string, SecuritySchemeInfo>>;
}

const LOOPBACK_HOSTS = new Set(["localhost", "[::1]", "::1"]);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || hostname.endsWith(".localhost") || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (value === null) return "null";
  return typeof value;
}

/** Checks a base URL option before any request: absolute http(s), and http only for loopback unless allowed. */
export function assertBaseUrl(packageName: string, option: string, value: unknown, allowInsecureHttp: boolean | undefined): string {
  let url: URL;
  try {
    if (typeof value !== "string") throw new TypeError("not a string");
    url = new URL(value);
  } catch {
    throw Object.assign(
      new TypeError(`${packageName}: option "${option}" must be an absolute http:// or https:// URL; received ${describe(value)}`),
      { code: "ERR_INVALID_OPTION", option },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw Object.assign(
      new TypeError(`${packageName}: option "${option}" must use https:// (or http:// on loopback); received protocol "${url.protocol}"`),
      { code: "ERR_INVALID_OPTION", option },
    );
  }
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname) && allowInsecureHttp !== true) {
    throw Object.assign(
      new TypeError(
        `${packageName}: option "${option}" uses http:// for non-loopback host "${url.hostname}", which would send credentials in clear text; use https:// or set allowInsecureHttp: true`,
      ),
      { code: "ERR_INVALID_OPTION", option },
    );
  }
  return value as string;
}

async function reveal(source: SecretSource): Promise<string> {
  return typeof source === "function" ? await source() : source;
}

function isBasic(value: SchemeBinding["value"]): value is BasicSecret {
  return typeof value === "object" && value !== null && "username" in value && "password" in value;
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

async function applyScheme(request: Request, info: SecuritySchemeInfo, value: SchemeBinding["value"]): Promise<void> {
  if (value === undefined) return;
  if (info.type === "apiKey" && info.name) {
    const secret = await reveal(value as SecretSource);
    if (info.in === "header") request.headers.set(info.name, secret);
    // Query and cookie keys are not used by any tokenkit vendor; headers cover them all.
    return;
  }
  if (info.type === "http" && info.scheme?.toLowerCase() === "basic") {
    if (!isBasic(value)) return;
    const [username, password] = await Promise.all([reveal(value.username), reveal(value.password)]);
    request.headers.set("Authorization", `Basic ${toBase64(`${username}:${password}`)}`);
    return;
  }
  const secret = await reveal(value as SecretSource);
  const scheme = info.type === "http" && info.scheme ? info.scheme : "bearer";
  request.headers.set("Authorization", `${authorizationPrefix(scheme)} ${secret}`);
}

function isBound(binding: SchemeBinding | undefined, info: SecuritySchemeInfo | undefined): boolean {
  if (!binding || binding.value === undefined || !info) return false;
  if (info.type === "http" && info.scheme?.toLowerCase() === "basic") return isBasic(binding.value);
  return !isBasic(binding.value);
}

function headerOf(info: SecuritySchemeInfo | undefined): string | undefined {
  if (!info) return undefined;
  if (info.type === "apiKey") return info.in === "header" ? info.name : undefined;
  return "Authorization";
}

function missingCredentialError(options: RuntimeOptions, operation: OperationInfo): Error {
  const alternatives = operation.security.map((requirement) =>
    requirement.map((scheme) => options.bindings[scheme]?.option ?? scheme).join(" + "),
  );
  const error = new Error(
    `${options.packageName}: ${operation.operationId} (${operation.method.toUpperCase()} ${operation.path}) needs ${alternatives.join(" or ")}; none was configured, so the request was not sent`,
  );
  return Object.assign(error, { name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL", operationId: operation.operationId });
}

async function reencodeAsForm(request: Request): Promise<Request> {
  const body: unknown = JSON.parse(await request.text());
  const form = new URLSearchParams();
  if (body && typeof body === "object") {
    for (const [key, value] of Object.entries(body)) {
      if (value === undefined || value === null) continue;
      for (const item of Array.isArray(value) ? value : [value]) form.append(key, String(item));
    }
  }
  const headers = new Headers(request.headers);
  headers.set("Content-Type", "application/x-www-form-urlencoded");
  return new Request(request.url, { method: request.method, headers, body: form.toString(), signal: request.signal });
}

/** The middleware that applies the spec's security schemes, server overrides and body encodings. */
function createRuntimeMiddleware(options: RuntimeOptions): Middleware {
  return {
    async onRequest({ request, schemaPath }) {
      const operation = options.operations[schemaPath]?.[request.method.toLowerCase()];
      if (!operation) return undefined;
      let outgoing = request;
      const override = options.operationBaseUrls?.[operation.operationId];
      if (override) {
        const base = new URL(options.baseUrl).href.replace(/\/+$/, "");
        if (outgoing.url.startsWith(base)) {
          const target = override.replace(/\/+$/, "") + outgoing.url.slice(base.length);
          const body = outgoing.body ? await outgoing.text() : undefined;
          outgoing = new Request(target, { method: outgoing.method, headers: outgoing.headers, body, signal: outgoing.signal });
        }
      }
      const contentType = outgoing.headers.get("Content-Type") ?? "";
      if (operation.requestMediaType === "application/x-www-form-urlencoded" && contentType.startsWith("application/json")) {
        outgoing = await reencodeAsForm(outgoing);
      }
      if (operation.security.length === 0) return outgoing;
      const chosen = operation.security.find((requirement) =>
        requirement.every((scheme) => {
          const info = options.securitySchemes[scheme];
          const header = headerOf(info);
          // A header the caller set explicitly (e.g. a token middleware) satisfies the scheme.
          return isBound(options.bindings[scheme], info) || (header !== undefined && outgoing.headers.has(header));
        }),
      );
      if (!chosen) throw missingCredentialError(options, operation);
      for (const scheme of chosen) {
        const info = options.securitySchemes[scheme];
        const header = headerOf(info);
        if (!info || (header !== undefined && outgoing.headers.has(header))) continue;
        await applyScheme(outgoing, info, options.bindings[scheme]?.value);
      }
      return outgoing;
    },
  };
}

/** Creates an openapi-fetch client for a vendor's generated `paths`, with auth applied by middleware. */
export function createRuntimeClient<Paths extends {}>(options: RuntimeOptions): Client<Paths> {
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw Object.assign(
      new TypeError(`${options.packageName}: option "fetch" must be a function compatible with globalThis.fetch; received ${describe(options.fetch)}`),
      { code: "ERR_INVALID_OPTION", option: "fetch" },
    );
  }
  const client = createFetchClient<Paths>({
    baseUrl: options.baseUrl,
    headers: options.headers,
    // Resolve fetch at call time so a polyfill or test double installed later still applies.
    fetch: options.fetch ?? ((input: Request) => globalThis.fetch(input)),
  });
  client.use(createRuntimeMiddleware(options));
  return client;
}
