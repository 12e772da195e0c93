import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, test } from "vitest";
import { DEFAULT_MAX_RESPONSE_BYTES, RequestError } from "../src/index.js";
import { catchError, catchThrown, createTestClient, startRawServer, type RawServer } from "./fixture.js";

let server: RawServer | undefined;
afterEach(() => server?.close());

const CAP = 1024;

describe("maxResponseBytes", () => {
  test("a declared Content-Length over the cap is refused before the body is read", async () => {
    // Only the headers and a few bytes arrive, then nothing: reading the body would hang until the timeout.
    server = await startRawServer((_req, res) => {
      res.writeHead(500, { "Content-Type": "text/html", "Content-Length": String(10 * 1024 * 1024) });
      res.write("<html>");
    });
    const error = await catchError(createTestClient(server.url, { maxResponseBytes: CAP, timeoutMs: 5_000 }).GET("/open"));
    expect(RequestError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "RequestError", code: "ERR_RESPONSE_TOO_LARGE", status: 500, method: "GET", origin: server.origin, path: "/open" });
    expect(error.message).toBe(`GET ${server.origin}/open: the response body (500) is larger than ${CAP} bytes; reading stopped there`);
    expect(error.elapsedMs).toBeLessThan(5_000);
    // The connection is dropped rather than drained.
    await server.closed();
  });

  test("a chunked body over the cap is cut off mid-stream", async () => {
    let written = 0;
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      // 256-byte chunks, never ending: only the cap stops the client.
      const timer = setInterval(() => {
        if (res.destroyed) return clearInterval(timer);
        written += 256;
        res.write(" ".repeat(256));
      }, 1);
      res.on("close", () => clearInterval(timer));
    });
    const error = await catchError(createTestClient(server.url, { maxResponseBytes: CAP, timeoutMs: 5_000 }).GET("/open"));
    expect(error).toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE", status: 200 });
    await server.closed();
    expect(written).toBeGreaterThan(CAP);
    // Stopped soon after the cap, not after the whole (endless) body.
    expect(written).toBeLessThan(CAP * 64);
  });

  test("a gzip body that inflates past the cap is cut off, though its Content-Length is under it", async () => {
    const inflated = JSON.stringify({ padding: "x".repeat(200_000) });
    const compressed = gzipSync(inflated);
    expect(compressed.length).toBeLessThan(CAP);
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(compressed.length) });
      res.end(compressed);
    });
    const error = await catchError(createTestClient(server.url, { maxResponseBytes: CAP }).GET("/open"));
    expect(error).toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE", status: 200 });
  });

  test("a gzip body that inflates to under the cap is read", async () => {
    const compressed = gzipSync(JSON.stringify({ ok: "y".repeat(500) }));
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip" });
      res.end(compressed);
    });
    const { data } = await createTestClient(server.url, { maxResponseBytes: CAP }).GET("/open");
    expect(data).toEqual({ ok: "y".repeat(500) });
  });

  test.each([
    ["declared", true],
    ["chunked", false],
  ])("a %s body of exactly the cap is read whole", async (_kind, declared) => {
    const body = JSON.stringify({ fill: "z".repeat(CAP - 11) });
    expect(body.length).toBe(CAP);
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", ...(declared && { "Content-Length": String(CAP) }) });
      if (declared) res.end(body);
      else {
        res.write(body.slice(0, 500));
        setTimeout(() => res.end(body.slice(500)), 5);
      }
    });
    const { data } = await createTestClient(server.url, { maxResponseBytes: CAP }).GET("/open");
    expect(data).toEqual({ fill: "z".repeat(CAP - 11) });
  });

  test("one byte over the cap fails", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ fill: "z".repeat(CAP - 10) }));
    });
    const error = await catchError(createTestClient(server.url, { maxResponseBytes: CAP }).GET("/open"));
    expect(error).toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
  });

  test("the default cap is 65536 bytes", async () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(65_536);
    const sizes: number[] = [];
    server = await startRawServer((req, res) => {
      const size = Number(new URL(req.url!, "http://x").searchParams.get("size"));
      sizes.push(size);
      res.writeHead(200, { "Content-Type": "text/plain" });
      res.end("a".repeat(size));
    });
    const client = createTestClient(server.url);
    const { data } = await client.GET("/text", { params: { query: { size: "65536" } } });
    expect(data!.length).toBe(65_536);
    const error = await catchError(client.GET("/text", { params: { query: { size: "65537" } } }));
    expect(error).toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
    expect(error.message).toContain("larger than 65536 bytes");
  });

  test("a 204 has no body to limit", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const { response } = await createTestClient(server.url, { maxResponseBytes: 1 }).GET("/open");
    expect(response.status).toBe(204);
  });

  test.each([0, -1, 1.5, Number.NaN, "1024", null])("maxResponseBytes %s is refused with a TypeError", (value) => {
    const error = catchThrown(() => createTestClient("http://127.0.0.1:1", { maxResponseBytes: value as number }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "maxResponseBytes" });
    expect(error.message).toMatch(/^@example\/vendor: option "maxResponseBytes" must be an integer from 1 to 9007199254740991; received /);
  });

  test("maxResponseBytes 1 is accepted", () => {
    expect(() => createTestClient("http://127.0.0.1:1", { maxResponseBytes: 1 })).not.toThrow();
  });
});
