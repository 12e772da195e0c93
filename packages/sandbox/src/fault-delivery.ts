import type { IncomingMessage, ServerResponse } from "node:http";
import type { FiredFault, MalformedVariant, StatusFault } from "./faults.js";
import { readReasonPhrase } from "./http-util.js";
import { encodeBody, write } from "./http-write.js";
import type { Mount, SandboxResponse, VendorEmulator } from "./types.js";

/** Names the fault that shaped an answer, so a test or a log can tell an injected failure from a real one. */
export const FAULT_HEADER = "x-sandbox-fault";

const PADDING_CHUNK = Buffer.alloc(64 * 1024, " ");

const HTML_PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><title>Service notice</title></head><body><h1>Please wait</h1>' +
  '<p>This page stands in for a proxy or captive portal: the tokenkit sandbox sent it instead of the vendor\'s answer (a "malformed" fault).</p></body></html>';

/** Timers of delayed and dripped answers: cleared when their connection closes, and all at once on `sandbox.close()`. */
export interface FaultTimers {
  /** Keeps `timer` until it is cleared here, its response's connection closes, or `cancelAll` runs. */
  track(timer: NodeJS.Timeout, response: ServerResponse): void;
  release(timer: NodeJS.Timeout): void;
  cancelAll(): void;
}

/** Creates an empty set of fault timers. */
export function createFaultTimers(): FaultTimers {
  const pending = new Set<NodeJS.Timeout>();
  const release = (timer: NodeJS.Timeout) => {
    clearTimeout(timer);
    pending.delete(timer);
  };
  return {
    track(timer, response) {
      pending.add(timer);
      response.once("close", () => release(timer));
    },
    release,
    cancelAll() {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}

/** Where a faulted request was headed. */
export interface FaultTarget {
  readonly emulator: VendorEmulator;
  readonly mount: Mount;
  /** The request's path below the vendor's mount, with its query. */
  readonly pathBelowMount: string;
}

/**
 * Applies the faults that stand in for the vendor's answer (status, redirect, hang, reset).
 * Returns false for the ones that reshape the real answer, which the caller computes first.
 */
export function replaceAnswer(request: IncomingMessage, response: ServerResponse, fired: FiredFault, target: FaultTarget): boolean {
  const { fault, id } = fired;
  switch (fault.kind) {
    case "status":
      write(response, request.method, buildStatusAnswer(fault, id, target));
      return true;
    case "redirect": {
      const location = fault.preservePath ? `${fault.location.replace(/\/+$/, "")}${target.pathBelowMount}` : fault.location;
      write(response, request.method, { status: fault.status ?? 307, headers: { location, [FAULT_HEADER]: id } });
      return true;
    }
    case "hang":
      // Take the whole request, so the client is left waiting for an answer, not for its upload.
      request.resume();
      return true;
    case "reset":
      request.socket.resetAndDestroy();
      return true;
    default:
      return false;
  }
}

/** The vendor's error answer for a `status` fault, or the body and headers the fault gives. */
function buildStatusAnswer(fault: StatusFault, id: string, target: FaultTarget): SandboxResponse {
  const { status, retryAfter } = fault;
  const message = fault.message ?? `${status} ${readReasonPhrase(status)} (a fault injected by the tokenkit sandbox)`;
  const seconds = typeof retryAfter === "number" ? retryAfter : undefined;
  const base = target.emulator.refuse(status, message, target.mount, seconds);
  const headers: Record<string, string> = { ...base.headers, [FAULT_HEADER]: id };
  if (retryAfter !== undefined) headers["retry-after"] = typeof retryAfter === "number" ? String(retryAfter) : retryAfter.toUTCString();
  let body = base.body;
  if (fault.body !== undefined) {
    body = fault.body;
    headers["content-type"] = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
  }
  for (const [name, value] of Object.entries(fault.headers ?? {})) headers[name.toLowerCase()] = value;
  // These statuses carry no body in HTTP.
  return status === 204 || status === 304 ? { status, headers } : { status, headers, body };
}

/** What reshaping a real answer needs. */
export interface ReshapeContext {
  readonly emulator: VendorEmulator;
  readonly timers: FaultTimers;
  /** The sandbox clock when the request arrived (ms). */
  readonly now: number;
}

/** Sends the real answer `result` reshaped by a drip, slow, malformed, expired or oversized fault. */
export async function sendReshaped(response: ServerResponse, method: string | undefined, result: SandboxResponse, fired: FiredFault, context: ReshapeContext): Promise<void> {
  const { fault, id } = fired;
  const tagged: SandboxResponse = { ...result, headers: { ...result.headers, [FAULT_HEADER]: id } };
  switch (fault.kind) {
    case "expired":
      return write(response, method, await context.emulator.expire(tagged, context.now - (fault.agoSeconds ?? 60) * 1000));
    case "slow": {
      const timer = setTimeout(() => {
        context.timers.release(timer);
        write(response, method, tagged);
      }, fault.delayMs);
      return context.timers.track(timer, response);
    }
    case "drip":
      return drip(response, method, tagged, fault.intervalMs ?? 1000, context.timers);
    case "malformed":
      return write(response, method, malform(tagged, fault.variant ?? "truncated-json"));
    case "oversized":
      return pad(response, method, tagged, fault.bytes);
    default:
      return write(response, method, tagged);
  }
}

/** A status that may carry a body: a bodiless success becomes 200 so the broken body reaches the client. */
function withBodyStatus(status: number): number {
  return status === 204 || status === 304 ? 200 : status;
}

function malform(result: SandboxResponse, variant: MalformedVariant): SandboxResponse {
  const { "content-type": contentType, ...headers } = result.headers ?? {};
  const status = withBodyStatus(result.status);
  if (variant === "wrong-content-type") return { status, headers: { ...headers, "content-type": "text/html; charset=utf-8" }, body: HTML_PAGE };
  if (variant === "empty-body") return { status, headers: { ...headers, "content-type": contentType ?? "application/json; charset=utf-8" } };
  // The real answer as JSON (a plain-text token becomes a JSON string), cut in half.
  const isJson = contentType?.includes("json") ?? false;
  const json = result.body === undefined ? '{"' : typeof result.body === "string" && !isJson ? JSON.stringify(result.body) : (encodeBody(result)?.toString("utf8") ?? '{"');
  return { status, headers: { ...headers, "content-type": "application/json; charset=utf-8" }, body: json.slice(0, Math.max(1, Math.floor(json.length / 2))) };
}

/** Status and headers at once, then one byte per interval. */
function drip(response: ServerResponse, method: string | undefined, result: SandboxResponse, intervalMs: number, timers: FaultTimers): void {
  const payload = encodeBody(result) ?? Buffer.alloc(0);
  response.writeHead(withBodyStatus(result.status), { ...result.headers, "content-length": String(payload.length) });
  response.flushHeaders();
  if (method === "HEAD" || payload.length === 0) return void response.end();
  let sent = 0;
  const timer = setInterval(() => {
    response.write(payload.subarray(sent, sent + 1));
    sent++;
    if (sent < payload.length) return;
    timers.release(timer);
    response.end();
  }, intervalMs);
  timers.track(timer, response);
}

/** The real answer followed by spaces (still valid JSON, and trimmed from plain text) up to `bytes`, streamed. */
async function pad(response: ServerResponse, method: string | undefined, result: SandboxResponse, bytes: number): Promise<void> {
  const payload = encodeBody(result) ?? Buffer.alloc(0);
  const total = Math.max(bytes, payload.length);
  response.writeHead(withBodyStatus(result.status), { ...result.headers, "content-length": String(total) });
  if (method === "HEAD") return void response.end();
  let open = response.write(payload) || (await waitForDrain(response));
  for (let left = total - payload.length; left > 0 && open; ) {
    const size = Math.min(left, PADDING_CHUNK.length);
    left -= size;
    open = response.write(PADDING_CHUNK.subarray(0, size)) || (await waitForDrain(response));
  }
  if (open) response.end();
}

/** True once the response can take more, false when its connection closed first. */
function waitForDrain(response: ServerResponse): Promise<boolean> {
  if (response.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const settle = (value: boolean) => () => {
      response.off("drain", onDrain);
      response.off("close", onClose);
      resolve(value);
    };
    const onDrain = settle(true);
    const onClose = settle(false);
    response.once("drain", onDrain);
    response.once("close", onClose);
  });
}
