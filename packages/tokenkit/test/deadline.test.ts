import { createClient as createGenesysClient } from "@tokenkit/genesys";
import { createClient as createSftpgoClient } from "@tokenkit/sftpgo";
import { RequestError } from "@tokenkit/runtime";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { authMiddleware, createTokenClient, createTokenSource, TokenError, type Token, type VendorId } from "../src/index.js";
import { startServer } from "./helpers.js";

// Every call ends on time whatever fetch does: these run with --expose-gc (vitest.config.ts) and force
// collections mid-call, which in Node 20's fetch drop a signal that is only linked through a Request.
declare const gc: () => void;

const VENDORS: readonly VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];
let sandbox: Sandbox;

beforeAll(async () => {
  expect(typeof gc, "vitest.config.ts runs this file with --expose-gc").toBe("function");
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.clearFaults();
});

/** Forces a collection every `everyMs` until stopped: the collector runs while the call is in flight. */
function collectGarbage(everyMs = 50): () => void {
  const timer = setInterval(gc, everyMs);
  return () => clearInterval(timer);
}

/** How a promise settles, and after how many ms; a call still pending after `giveUpMs` is a hang. */
async function settle(promise: Promise<unknown>, giveUpMs = 10_000): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise((resolve) => (timer = setTimeout(() => resolve("still pending"), giveUpMs)));
  const error = await Promise.race([promise.then(() => "resolved", (reason: unknown) => reason), hang]);
  clearTimeout(timer);
  return { error, ms: Date.now() - started };
}

function client(vendor: VendorId, options: object) {
  return createTokenClient(vendor, { ...sandbox.clientOptions(vendor), ...options } as never) as unknown as { issue(options?: { signal?: AbortSignal }): Promise<Token> };
}

describe("timeoutMs holds under garbage collection, for every vendor", () => {
  for (const vendor of VENDORS) {
    it(`${vendor}: a login host that accepts and never answers → timeout at timeoutMs`, async () => {
      sandbox.injectFault({ vendor, operation: "issue", fault: "hang" });
      const stop = collectGarbage();
      const { error, ms } = await settle(client(vendor, { timeoutMs: 400, retry: false }).issue());
      stop();
      expect(TokenError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: "timeout", retryable: true, vendor, operation: "issue" });
      expect((error as Error).message).toMatch(/got no complete response within 400 ms \(attempt 1 of 1, \d+\.\d s in all\)$/);
      // Ends at its deadline (the margin is for a loaded machine), not minutes later.
      expect(ms).toBeGreaterThanOrEqual(390);
      expect(ms).toBeLessThan(3000);
    });

    it(`${vendor}: a caller's signal aborted mid-call ends it, after a collection`, async () => {
      sandbox.injectFault({ vendor, operation: "issue", fault: "hang" });
      const controller = new AbortController();
      const pending = client(vendor, { timeoutMs: 60_000, retry: false }).issue({ signal: controller.signal });
      setTimeout(() => gc(), 100);
      setTimeout(() => controller.abort(), 300);
      const { error, ms } = await settle(pending);
      expect(error).toMatchObject({ code: "network_error", retryable: false });
      expect((error as Error).message).toContain("was aborted by the caller's signal");
      expect(ms).toBeLessThan(3000);
    });
  }

  it("a body dripped one byte per 500 ms → timeout, the connection closed", async () => {
    sandbox.injectFault({ vendor: "genesys", operation: "issue", fault: { kind: "drip", intervalMs: 500 } });
    const stop = collectGarbage();
    const { error, ms } = await settle(client("genesys", { timeoutMs: 1200, retry: false }).issue());
    stop();
    expect(error).toMatchObject({ code: "timeout" });
    expect(ms).toBeLessThan(4000);
  });

  it("with retries: every attempt is bounded and the message counts them", async () => {
    sandbox.injectFault({ vendor: "genesys", operation: "issue", fault: "hang" });
    const stop = collectGarbage();
    const { error, ms } = await settle(client("genesys", { timeoutMs: 200, retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 10 } }).issue());
    stop();
    expect(error).toMatchObject({ code: "timeout" });
    expect((error as Error).message).toMatch(/^genesys issue: expected 200 with an access_token body, but POST http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/oauth\/token got no complete response within 200 ms \(attempt 3 of 3, \d+\.\d s in all\)$/);
    // The documented worst case: 3 × 200 ms + two backoffs of at most 10 ms.
    expect(ms).toBeLessThan(3000);
    expect(sandbox.stats().faults[0]?.hits).toBe(3);
  });
});

describe("a secret source that never answers", () => {
  it("mindbody: a vault that hangs while the body is built → timeout at timeoutMs, nothing sent", async () => {
    sandbox.resetRequestCounts();
    const credentials = { ...sandbox.credentials.mindbody, password: () => new Promise<string>(() => {}) };
    const { error, ms } = await settle(createTokenClient("mindbody", { baseUrl: sandbox.baseUrls.mindbody, credentials, timeoutMs: 300, retry: false }).issue());
    expect(error).toMatchObject({ code: "timeout" });
    expect(ms).toBeLessThan(3000);
    expect(sandbox.requestCount("mindbody")).toBe(0);
  });
});

describe("the vendor packages alone", () => {
  it("@tokenkit/genesys POST /oauth/token: the caller's signal ends it after a collection (AbortError with where)", async () => {
    sandbox.injectFault({ vendor: "genesys", operation: "issue", fault: "hang" });
    const { clientId, clientSecret } = sandbox.credentials.genesys;
    const genesys = createGenesysClient({ baseUrl: sandbox.baseUrls.genesys, loginUrl: sandbox.genesysLoginUrl, auth: { clientId, clientSecret } });
    const controller = new AbortController();
    const pending = genesys.POST("/oauth/token", { body: { grant_type: "client_credentials" }, signal: controller.signal });
    setTimeout(() => gc(), 100);
    setTimeout(() => controller.abort(), 300);
    const { error, ms } = await settle(pending);
    expect(RequestError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "AbortError", code: "ERR_ABORTED", method: "POST", origin: new URL(sandbox.genesysLoginUrl).origin, path: `${new URL(sandbox.genesysLoginUrl).pathname}/oauth/token` });
    expect(ms).toBeLessThan(3000);
  });

  it("@tokenkit/sftpgo with timeoutMs: a hanging server → TimeoutError naming the request", async () => {
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: "hang" });
    const { username, password } = sandbox.credentials.sftpgo;
    const sftpgo = createSftpgoClient({ baseUrl: sandbox.baseUrls.sftpgo, auth: { username, password }, timeoutMs: 300 });
    const stop = collectGarbage();
    const { error, ms } = await settle(sftpgo.GET("/api/v2/token"));
    stop();
    expect(error).toMatchObject({ name: "TimeoutError", code: "ERR_TIMEOUT" });
    expect((error as Error).message).toBe(`GET ${sandbox.baseUrls.sftpgo}/api/v2/token: no complete response within 300 ms`);
    expect(ms).toBeLessThan(3000);
  });
});

describe("authMiddleware's retry after a 401 keeps the caller's signal", () => {
  it("a retry that hangs ends when the caller aborts, after a collection", async () => {
    let calls = 0;
    // 401 to the first request, then never answers: the middleware's retry is the one that hangs.
    const api = await startServer((_req, res) => {
      if (++calls === 1) res.writeHead(401).end();
    });
    try {
      const source = createTokenSource(createTokenClient("sftpgo", sandbox.clientOptions("sftpgo")));
      const sftpgo = createSftpgoClient({ baseUrl: api.url });
      sftpgo.use(authMiddleware(source));
      const controller = new AbortController();
      const pending = sftpgo.GET("/api/v2/token", { signal: controller.signal });
      // Once the retry is on the wire: collect, then abort.
      await vi.waitFor(() => expect(calls).toBe(2), { timeout: 5000 });
      gc();
      const aborted = Date.now();
      controller.abort();
      const { error } = await settle(pending);
      const ms = Date.now() - aborted;
      expect(error).toMatchObject({ name: "AbortError", code: "ERR_ABORTED" });
      expect(ms).toBeLessThan(2000);
    } finally {
      await api.close();
    }
  });
});

describe("client.api is bounded by the client's timeoutMs", () => {
  it("genesys api GET /api/v2/tokens/me against a hanging host → TimeoutError", async () => {
    const genesys = createTokenClient("genesys", { ...sandbox.clientOptions("genesys"), timeoutMs: 300 });
    await genesys.issue();
    sandbox.injectFault({ vendor: "genesys", operation: "introspect", fault: "hang" });
    const stop = collectGarbage();
    const { error, ms } = await settle(genesys.api.GET("/api/v2/tokens/me"));
    stop();
    expect(error).toMatchObject({ name: "TimeoutError", code: "ERR_TIMEOUT" });
    expect(ms).toBeLessThan(3000);
  });
});
