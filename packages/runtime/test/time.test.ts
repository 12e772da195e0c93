import { afterEach, describe, expect, test } from "vitest";
import { RequestError } from "../src/index.js";
import { catchError, catchThrown, createTestClient, startRawServer, type RawServer } from "./fixture.js";

let server: RawServer | undefined;
afterEach(() => server?.close());

/** A server that takes the request and never answers. */
const startHangingServer = () => startRawServer(() => {});

/** A server that sends its headers, then one byte every `ms`, never ending the body. */
const startDrippingServer = (ms: number) =>
  startRawServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.write("[");
    const timer = setInterval(() => res.write(" "), ms);
    res.on("close", () => clearInterval(timer));
  });

describe("timeoutMs", () => {
  test("a hanging server: TimeoutError ERR_TIMEOUT naming the method, origin and path, and the socket closed", async () => {
    server = await startHangingServer();
    const started = Date.now();
    // 1 s: time enough for the request to reach the server on a loaded machine, so it can be seen there.
    const error = await catchError(createTestClient(server.url, { timeoutMs: 1000 }).GET("/r/{step}", { params: { path: { step: "wait" }, query: { secret: "q" } } }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ name: "TimeoutError", code: "ERR_TIMEOUT", method: "GET", origin: server.origin, path: "/r/wait" });
    expect(error.message).toBe(`GET ${server.origin}/r/wait: no complete response within 1000 ms`);
    expect(error.elapsedMs).toBeGreaterThanOrEqual(990);
    expect(server.seen).toEqual(["GET /r/wait?secret=q"]);
    // The abort reached fetch: the connection is closed, not left to hang.
    await server.closed();
  });

  test("a body dripping one byte at a time ends at the timeout too (the body is part of the call)", async () => {
    server = await startDrippingServer(20);
    const error = await catchError(createTestClient(server.url, { timeoutMs: 300 }).GET("/open"));
    expect(error).toMatchObject({ name: "TimeoutError", code: "ERR_TIMEOUT" });
    await server.closed();
  });

  test("a response within the time is returned", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"ok":true}');
    });
    const { data } = await createTestClient(server.url, { timeoutMs: 1_000 }).GET("/open");
    expect(data).toEqual({ ok: true });
  });

  test.each([0, -5, 1.5, Number.NaN, Infinity, 2_147_483_648, "500", true])("timeoutMs %s is refused with a TypeError", (value) => {
    const error = catchThrown(() => createTestClient("http://127.0.0.1:1", { timeoutMs: value as number }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "timeoutMs" });
    expect(error.message).toMatch(/^@example\/vendor: option "timeoutMs" must be an integer from 1 to 2147483647; received /);
  });

  test.each([1, 2_147_483_647])("timeoutMs %i is accepted", (value) => {
    expect(() => createTestClient("http://127.0.0.1:1", { timeoutMs: value })).not.toThrow();
  });
});

describe("the caller's signal", () => {
  test("aborted before the call: ERR_ABORTED, and no request reaches the server", async () => {
    server = await startHangingServer();
    const reason = new Error("shutting down");
    const error = await catchError(createTestClient(server.url).GET("/open", { signal: AbortSignal.abort(reason) }));
    expect(error).toMatchObject({ name: "AbortError", code: "ERR_ABORTED", method: "GET", origin: server.origin, path: "/open" });
    expect(error.message).toBe(`GET ${server.origin}/open: aborted by the caller's signal before it was sent`);
    expect(error.cause).toBe(reason);
    // Give a request that was sent anyway the time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.seen).toEqual([]);
  });

  test.each([
    ["without a timeout", undefined],
    ["with a longer timeout", 10_000],
  ])("aborted while the server holds the request (%s): AbortError ERR_ABORTED, cause = the reason, socket closed", async (_label, timeoutMs) => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    server = await startRawServer(() => arrived());
    const controller = new AbortController();
    const client = createTestClient(server.url, timeoutMs ? { timeoutMs } : {});
    const pending = catchError(client.GET("/r/{step}", { params: { path: { step: "slow" } }, signal: controller.signal }));
    await received;
    const reason = new Error("user cancelled");
    controller.abort(reason);
    const error = await pending;
    expect(RequestError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "AbortError", code: "ERR_ABORTED", method: "GET", origin: server.origin, path: "/r/slow" });
    expect(error.message).toBe(`GET ${server.origin}/r/slow: aborted by the caller's signal`);
    expect(error.cause).toBe(reason);
    await server.closed();
  });

  test("aborted while the body drips: ERR_ABORTED", async () => {
    server = await startDrippingServer(20);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("enough")), 150);
    const error = await catchError(createTestClient(server.url, { timeoutMs: 5_000 }).GET("/open", { signal: controller.signal }));
    expect(error).toMatchObject({ name: "AbortError", code: "ERR_ABORTED" });
    expect((error.cause as Error).message).toBe("enough");
    await server.closed();
  });

  test("a signal that never aborts does not stop the call, and its listener is removed afterwards", async () => {
    server = await startRawServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end("{}");
    });
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;
    await createTestClient(server.url).GET("/open", { signal });
    expect(added).toBe(1);
    expect(removed).toBe(1);
  });
});
