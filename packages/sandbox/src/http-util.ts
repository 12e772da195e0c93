import { STATUS_CODES, type IncomingHttpHeaders } from "node:http";
import type { SandboxResponse } from "./types.js";

/** A JSON response. */
export function respondJson(status: number, body: unknown, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers: { "content-type": "application/json; charset=utf-8", ...headers } };
}

/** A plain-text response. */
export function respondText(status: number, body: string, headers?: Record<string, string>): SandboxResponse {
  return { status, body, headers: { "content-type": "text/plain; charset=utf-8", ...headers } };
}

/** A response without a body. */
export function respondEmpty(status: number, headers?: Record<string, string>): SandboxResponse {
  return headers ? { status, headers } : { status };
}

/** The first value of a request header, or undefined. */
export function readHeader(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Decoded HTTP basic credentials, or undefined when the header is absent or not basic. */
export function readBasicAuth(headers: IncomingHttpHeaders): { username: string; password: string } | undefined {
  const match = /^basic\s+(\S+)\s*$/i.exec(readHeader(headers, "authorization") ?? "");
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The credential after `scheme` in the Authorization header (scheme matched case-insensitively). */
export function readSchemeCredential(headers: IncomingHttpHeaders, scheme: string): string | undefined {
  const value = readHeader(headers, "authorization")?.trim() ?? "";
  if (value.length <= scheme.length + 1 || value.slice(0, scheme.length).toLowerCase() !== scheme.toLowerCase()) return undefined;
  if (!/\s/.test(value.charAt(scheme.length))) return undefined;
  const credential = value.slice(scheme.length).trim();
  return credential === "" ? undefined : credential;
}

/** An absolute ms timestamp as ISO-8601 UTC. */
export function formatIso(ms: number): string {
  return new Date(ms).toISOString();
}

/** An absolute ms timestamp as RFC 3339 UTC with whole seconds. */
export function formatIsoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The standard reason phrase of a status, e.g. "Too Many Requests". */
export function readReasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? "Error";
}

/** The answer's body when it is a JSON object, else undefined. */
export function readObjectBody(response: SandboxResponse): Record<string, unknown> | undefined {
  const { body } = response;
  return typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : undefined;
}
