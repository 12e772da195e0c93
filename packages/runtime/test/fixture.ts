// A hand-written spec and vendor for createRuntimeClient (no vendor package involved), and raw
// node:http servers for what the recording server cannot do: hang, stream, compress.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Client } from "openapi-fetch";
import { createRuntimeClient, encodeFormBody, readTextBody, useOperationServer, type BaseClientOptions, type ClientSpec, type VendorRuntime } from "../src/index.js";

type Json = Record<string, unknown>;
type Operation<Body = never, Path = never> = {
  parameters: { query?: Record<string, string>; header?: never; cookie?: never } & ([Path] extends [never] ? { path?: never } : { path: Path });
  responses: { 200: { content: { "application/json": Json } }; default: { content: { "application/json": Json } } };
} & ([Body] extends [never] ? { requestBody?: never } : { requestBody: { content: { "application/json": Body } } });
interface TextOperation {
  parameters: { query?: Record<string, string>; header?: never; path?: never; cookie?: never };
  requestBody?: never;
  responses: { 200: { content: { "text/plain": string } } };
}
type Methods<Ops> = { parameters: { query?: never; header?: never; path?: never; cookie?: never } } & Ops;
type Step = { step: string };

/** The tiny API the tests call: any path segment under /r, /form, /login, /text and /open. */
export interface Paths {
  "/r/{step}": Methods<{ get: Operation<never, Step>; post: Operation<Json, Step>; put: Operation<Json, Step>; delete: Operation<Json, Step> }>;
  "/form": Methods<{ post: Operation<Record<string, string>> }>;
  "/login": Methods<{ post: Operation<Record<string, string>> }>;
  "/text": Methods<{ get: TextOperation }>;
  "/open": Methods<{ get: Operation }>;
}

/** An API key in X-Api-Key on every operation except GET /open; form bodies, a login server and a text body by hooks. */
export const spec: ClientSpec = {
  baseUrl: "https://api.example.test",
  schemes: { ApiKey: ["X-Api-Key"] },
  security: [["ApiKey"]],
  operations: { "GET /open": [] },
  hooks: [
    [encodeFormBody, "POST /form", "POST /login"],
    [useOperationServer, "POST /login"],
    [readTextBody, "GET /text"],
  ],
};

export const API_KEY = "canary-api-key-7f3e";

export function createVendor(loginUrl?: string): VendorRuntime {
  return { packageName: "@example/vendor", auth: { ApiKey: "apiKey" }, ...(loginUrl && { operationBaseUrls: { "POST /login": loginUrl } }) };
}

/** A client of the tiny API on `baseUrl`, with the API key configured. */
export function createTestClient(baseUrl: string, options: BaseClientOptions & { loginUrl?: string } = {}): Client<Paths> {
  const { loginUrl, ...rest } = options;
  return createRuntimeClient<Paths>({ ...rest, baseUrl, auth: { apiKey: API_KEY } }, spec, createVendor(loginUrl));
}

/** A raw server whose handler the test writes; it remembers its sockets and whether each one closed. */
export interface RawServer {
  readonly url: string;
  readonly origin: string;
  /** Requests seen (method and URL), in order. */
  readonly seen: string[];
  /** Resolves when the socket of the last request closes (the client gave up on it). */
  closed(): Promise<void>;
  close(): Promise<void>;
}

export async function startRawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<RawServer> {
  const seen: string[] = [];
  let last: Socket | undefined;
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    last = req.socket;
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    origin: url,
    seen,
    closed: () => new Promise((resolve) => (!last || last.destroyed ? resolve() : last.once("close", () => resolve()))),
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The rejection of `promise`, which must reject. */
export async function catchError(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected the call to reject, but it resolved");
}

/** Sends `method` with a JSON body to /r/{step} (one of the methods with a body, chosen at run time). */
export function sendWithBody(client: Client<Paths>, method: "POST" | "PUT" | "DELETE", step: string, body: Json) {
  const init = { params: { path: { step } }, body };
  return method === "POST" ? client.POST("/r/{step}", init) : method === "PUT" ? client.PUT("/r/{step}", init) : client.DELETE("/r/{step}", init);
}

/** What `run` throws; it must throw. */
export function catchThrown(run: () => unknown): Error & Record<string, unknown> {
  try {
    run();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a throw, but nothing was thrown");
}
