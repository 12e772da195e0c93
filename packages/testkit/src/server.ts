// A local HTTP server for wire tests: records every request and answers with a scripted reply.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

/** One request as the server received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  /** The raw query string including `?`, or "" when there is none. */
  readonly search: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** What the server answers; `json` or `text` set the Content-Type unless `headers` does. */
export interface Reply {
  readonly status?: number;
  readonly json?: unknown;
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A running server; `respond` sets the reply for the requests that follow. */
export interface LocalServer {
  readonly url: string;
  readonly received: Received[];
  respond(reply: Reply | ((request: Received) => Reply)): void;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 and an ephemeral port; it answers 200 `{}` until told otherwise. */
export async function startServer(): Promise<LocalServer> {
  const received: Received[] = [];
  let responder = (_request: Received): Reply => ({ json: {} });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const request = { method: req.method ?? "", path: url.pathname, search: url.search, headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(request);
      const reply = responder(request);
      const type = reply.json !== undefined ? "application/json" : reply.text !== undefined ? "text/plain" : undefined;
      res.writeHead(reply.status ?? 200, { ...(type ? { "Content-Type": type } : {}), ...reply.headers });
      res.end(reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? ""));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respond(reply) {
      responder = typeof reply === "function" ? reply : () => reply;
    },
    close() {
      // fetch keeps connections alive; drop them so close() does not wait for the idle timeout.
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Starts a server before the calling file's tests and closes it after them. The handle reads the
 * running server, so use it inside tests and hooks, not at the top level of the file.
 */
export function useServer(): LocalServer {
  let server: LocalServer | undefined;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());
  const running = (): LocalServer => {
    if (!server) throw new Error("useServer(): the server starts in beforeAll; use it inside a test or hook");
    return server;
  };
  return {
    get url() {
      return running().url;
    },
    get received() {
      return running().received;
    },
    respond: (reply) => running().respond(reply),
    close: () => running().close(),
  };
}
