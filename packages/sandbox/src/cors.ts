import type { IncomingMessage, ServerResponse } from "node:http";
import { readHeader } from "./http-util.js";

/** Which web origins may call the sandbox from a browser: none (false), any (true), or exactly these. */
export type CorsOption = boolean | readonly string[];

/** Tells whether a request's `Origin` may read the sandbox's responses. */
export type OriginPolicy = (origin: string) => boolean;

/** Every method the vendor specs use; the browser itself refuses anything else. */
const ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE";
/**
 * Response headers outside the CORS safelist that clients read: the rate-limit waits, request ids,
 * AuthAPI's `X-Token-Id`, the basic-auth challenge, and a redirect fault's `Location` and the
 * `X-Sandbox-Fault` marker. Without this a page's fetch sees them as absent.
 */
const EXPOSED_HEADERS = "Retry-After, X-Retry-In, X-Request-Id, X-Correlation-Id, inin-correlation-id, X-Token-Id, WWW-Authenticate, Location, X-Sandbox-Fault";
const PREFLIGHT_MAX_AGE_SECONDS = 600;
const EXAMPLE_ORIGIN = "http://127.0.0.1:5173";

/** Validates the `cors` option; undefined means CORS is off. Throws a TypeError naming what is wrong. */
export function createOriginPolicy(option: unknown): OriginPolicy | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return () => true;
  if (!Array.isArray(option)) {
    throw new TypeError(`cors must be true, false or an array of origins such as ["${EXAMPLE_ORIGIN}"], got ${describeValue(option)}`);
  }
  option.forEach((entry: unknown, index) => {
    if (!isOrigin(entry)) {
      throw new TypeError(`cors[${index}] must be an origin such as "${EXAMPLE_ORIGIN}" (scheme://host[:port], no path), got ${describeValue(entry)}`);
    }
  });
  const allowed = new Set<string>(option);
  return (origin) => allowed.has(origin);
}

/** True for an origin spelled as browsers send it: `scheme://host[:port]`, lowercase, no default port, no path. */
export function isOrigin(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    // Exact equality: anything else would never match the Origin header a browser sends.
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

/**
 * Adds the CORS headers when the request's Origin is allowed, and answers a preflight itself.
 * Returns true when the request is fully answered (a preflight), false when it still needs handling.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse, allows: OriginPolicy): boolean {
  const origin = readHeader(request.headers, "origin");
  if (origin === undefined || !allows(origin)) return false;
  // setHeader, not writeHead: Node merges these into whatever status and headers the handler writes later.
  response.setHeader("access-control-allow-origin", origin);
  response.setHeader("vary", "Origin");
  if (request.method !== "OPTIONS" || readHeader(request.headers, "access-control-request-method") === undefined) {
    response.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
    return false;
  }
  response.setHeader("access-control-allow-methods", ALLOWED_METHODS);
  const requestedHeaders = readHeader(request.headers, "access-control-request-headers");
  if (requestedHeaders !== undefined) response.setHeader("access-control-allow-headers", requestedHeaders);
  response.setHeader("access-control-max-age", String(PREFLIGHT_MAX_AGE_SECONDS));
  response.writeHead(204);
  response.end();
  return true;
}

/** A short description of a wrong value for an error message: strings quoted, objects by kind only. */
function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || ["undefined", "number", "boolean", "bigint"].includes(typeof value)) return String(value);
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
