import type { ServerResponse } from "node:http";
import type { SandboxResponse } from "./types.js";

/** The bytes of an answer's body: a string as is, anything else as JSON; undefined without a body. */
export function encodeBody(result: SandboxResponse): Buffer | undefined {
  if (result.body === undefined) return undefined;
  return Buffer.from(typeof result.body === "string" ? result.body : JSON.stringify(result.body), "utf8");
}

/** Writes a whole answer with its Content-Length (no body for HEAD). */
export function write(response: ServerResponse, method: string | undefined, result: SandboxResponse): void {
  const headers: Record<string, string> = { ...result.headers };
  const payload = encodeBody(result);
  if (payload) headers["content-length"] = String(payload.length);
  else if (result.status !== 204 && result.status !== 304) headers["content-length"] = "0";
  response.writeHead(result.status, headers);
  response.end(method === "HEAD" ? undefined : payload);
}
