import type { IncomingMessage, ServerResponse } from "node:http";
import type { OriginPolicy } from "./cors.js";
import { parseFaultSpec } from "./fault-spec.js";
import type { FaultOptions, FaultRegistry } from "./faults.js";
import { readHeader, respondJson } from "./http-util.js";
import { write } from "./http-write.js";

/** The reserved path prefix of the sandbox's own endpoints: never a vendor route, never validated against a spec. */
export const ADMIN_PREFIX = "/__sandbox";
/** Lists (GET), adds (POST), clears (DELETE) faults; `/{id}` removes one (DELETE). */
export const FAULTS_PATH = `${ADMIN_PREFIX}/faults`;

const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** True for a loopback peer: 127.0.0.0/8, ::1, or either as an IPv4-mapped IPv6 address. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const ip = address.toLowerCase().startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return ip === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

/** True for paths under the reserved prefix. */
export function isAdminPath(pathname: string): boolean {
  return pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`);
}

/**
 * Serves `/__sandbox/faults` for processes on this machine. Refused (403) to peers off loopback, and
 * to browser pages whose Origin the sandbox's `cors` option does not allow: otherwise any web page
 * could rewire a developer's local sandbox with a simple cross-site POST.
 */
export async function serveAdmin(request: IncomingMessage, response: ServerResponse, url: URL, faults: FaultRegistry, allowsOrigin: OriginPolicy | undefined): Promise<void> {
  const method = request.method ?? "GET";
  const reply = (status: number, body?: unknown, headers?: Record<string, string>) =>
    write(response, method, body === undefined ? { status, headers } : respondJson(status, body, headers));
  const peer = request.socket.remoteAddress;
  if (!isLoopbackAddress(peer)) return reply(403, { error: `${ADMIN_PREFIX} answers loopback clients only; this request came from ${peer ?? "an unknown address"}` });
  const origin = readHeader(request.headers, "origin");
  if (origin !== undefined && !allowsOrigin?.(origin)) {
    return reply(403, { error: `${ADMIN_PREFIX} refuses pages from origin ${origin}: start the sandbox with cors allowing it` });
  }
  const rest = url.pathname.slice(FAULTS_PATH.length);
  if (!url.pathname.startsWith(FAULTS_PATH) || (rest !== "" && !/^\/[^/]+$/.test(rest))) {
    return reply(404, { error: `no such sandbox endpoint; try ${FAULTS_PATH}` });
  }
  const id = rest === "" ? undefined : decodeURIComponent(rest.slice(1));
  if (id !== undefined) {
    if (method !== "DELETE") return reply(405, { error: `${FAULTS_PATH}/{id} takes DELETE` }, { allow: "DELETE" });
    return faults.remove(id) ? reply(204) : reply(404, { error: `no fault with id "${id}" is in place` });
  }
  if (method === "GET" || method === "HEAD") return reply(200, { faults: faults.list() });
  if (method === "DELETE") return reply(200, { cleared: faults.clear() });
  if (method !== "POST") return reply(405, { error: `${FAULTS_PATH} takes GET, POST and DELETE` }, { allow: "GET, HEAD, POST, DELETE" });
  const text = await readText(request);
  if (text === undefined) return reply(413, { error: `the body exceeds ${MAX_ADMIN_BODY_BYTES} bytes` });
  let added;
  try {
    added = faults.add(readFaultOptions(text, readHeader(request.headers, "content-type")));
  } catch (error) {
    return reply(400, { error: (error as Error).message });
  }
  const fault = faults.list().find((entry) => entry.id === added.id);
  return reply(201, { fault }, { location: `${FAULTS_PATH}/${encodeURIComponent(added.id)}` });
}

/** A JSON body is `injectFault`'s argument (a date-time string may stand for a Date); anything else is a `--fault` spec. */
function readFaultOptions(text: string, contentType: string | undefined): FaultOptions {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? "")) return parseFaultSpec(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new TypeError("the body is not valid JSON");
  }
  const fault = (parsed as { fault?: { retryAfter?: unknown } } | null)?.fault;
  if (fault && typeof fault === "object" && typeof fault.retryAfter === "string") {
    return { ...(parsed as FaultOptions), fault: { ...fault, retryAfter: new Date(fault.retryAfter) } as FaultOptions["fault"] };
  }
  return parsed as FaultOptions;
}

async function readText(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_ADMIN_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
