import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { VENDOR_IDS, type Sandbox, type VendorId } from "../src/index.js";
import { call, createFakeClock, startTestSandbox, type FakeClock, type Reply } from "./helpers.js";
import { VENDOR_CALLS } from "./vendor-calls.js";

/** What each vendor's own error body looks like for an injected 429 with `message`. */
const RATE_LIMITED_BODY: Record<VendorId, (message: string) => unknown> = {
  mindbody: (message) => ({ Error: { Message: message, Code: "TooManyRequests" } }),
  vidispine: (message) => message,
  sftpgo: (message) => ({ message: "Too Many Requests", error: message }),
  // Genesys issues on its OAuth login host, whose errors are RFC 6749 bodies.
  genesys: (message) => ({ error: "temporarily_unavailable", error_description: message }),
  authapi: (message) => ({ code: "rate_limited", message }),
};

/** Resolves to "closed" when `promise` settles within `ms`, else "still waiting". */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<"settled" | "still waiting"> {
  return Promise.race([
    promise.then(
      () => "settled" as const,
      () => "settled" as const,
    ),
    new Promise<"still waiting">((resolve) => setTimeout(() => resolve("still waiting"), ms).unref()),
  ]);
}

/** Reads a response body chunk by chunk, noting when each chunk arrived. */
async function readChunks(response: Response): Promise<{ text: string; chunks: number; lastAt: number }> {
  const reader = response.body!.getReader();
  const parts: Uint8Array[] = [];
  let lastAt = performance.now();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    lastAt = performance.now();
  }
  return { text: Buffer.concat(parts).toString("utf8"), chunks: parts.length, lastAt };
}

describe.each(VENDOR_IDS)("%s: every fault kind, over HTTP", (vendor) => {
  const calls = VENDOR_CALLS[vendor];
  let sandbox: Sandbox;
  let clock: FakeClock;
  const issueOnce = () => call(...calls.issueRequest(sandbox));

  beforeAll(async () => {
    clock = createFakeClock(Date.now());
    sandbox = await startTestSandbox({ now: clock.now });
  });
  afterEach(() => {
    sandbox.clearFaults();
  });
  afterAll(() => sandbox.close());

  it("status: a 429 burst with Retry-After in the vendor's own error shape, then the real answer; every request counted", async () => {
    const before = sandbox.requestCount(vendor);
    const handle = sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "status", status: 429, retryAfter: 2, message: "slow down" }, times: 2 });
    for (let attempt = 1; attempt <= 2; attempt++) {
      const reply = await issueOnce();
      expect(reply.status).toBe(429);
      expect(reply.headers.get("retry-after")).toBe("2");
      expect(reply.headers.get("x-sandbox-fault")).toBe(handle.id);
      expect(reply.body).toEqual(RATE_LIMITED_BODY[vendor]("slow down"));
      if (vendor === "sftpgo") expect(reply.headers.get("x-retry-in")).toBe("2s");
    }
    expect(handle).toMatchObject({ hits: 2, active: false });
    expect(sandbox.stats().faults).toEqual([]);
    const real = await issueOnce();
    expect(real.status).toBe(calls.issueStatus);
    expect(real.headers.get("x-sandbox-fault")).toBeNull();
    expect(sandbox.requestCount(vendor) - before).toBe(3);
  });

  it("status: any code, and Retry-After as an HTTP date", async () => {
    const at = new Date(Date.UTC(2031, 0, 2, 3, 4, 5));
    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "status", status: 503, retryAfter: at }, times: 1 });
    const reply = await issueOnce();
    expect(reply.status).toBe(503);
    expect(reply.headers.get("retry-after")).toBe("Thu, 02 Jan 2031 03:04:05 GMT");
    expect(reply.text).toContain("503 Service Unavailable (a fault injected by the tokenkit sandbox)");
  });

  it("hang: the request is never answered, and close() still ends it promptly", async () => {
    const own = await startTestSandbox();
    own.injectFault({ vendor, fault: "hang" });
    const [url, init] = calls.issueRequest(own);
    const pending = fetch(url, init);
    pending.catch(() => undefined);
    // Arrived (on a loaded machine that can take a while), and still unanswered.
    await vi.waitFor(() => expect(own.requestCount(vendor)).toBe(1), { timeout: 5000 });
    expect(await settlesWithin(pending, 300)).toBe("still waiting");
    expect(await settlesWithin(own.close(), 5_000)).toBe("settled");
    await expect(pending).rejects.toThrow("fetch failed");
  });

  it("drip: status and headers at once, then the body one byte at a time", async () => {
    const intervalMs = 3;
    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "drip", intervalMs }, times: 1 });
    const [url, init] = calls.issueRequest(sandbox);
    const response = await fetch(url, init);
    const headersAt = performance.now();
    expect(response.status).toBe(calls.issueStatus);
    const length = Number(response.headers.get("content-length"));
    const { text, chunks, lastAt } = await readChunks(response);
    expect(Buffer.byteLength(text)).toBe(length);
    expect(JSON.parse(text)).toBeTruthy();
    // One write per byte: many small chunks, spread over at least (bytes − 1) intervals.
    expect(chunks).toBeGreaterThan(length / 4);
    expect(lastAt - headersAt).toBeGreaterThanOrEqual((length - 1) * intervalMs * 0.9);
  });

  it("slow: the real answer, after the delay", async () => {
    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "slow", delayMs: 250 }, times: 1 });
    const started = performance.now();
    const reply = await issueOnce();
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(reply.status).toBe(calls.issueStatus);
    expect(calls.readToken(reply)).toMatch(/\S{8}/);
  });

  it("reset: the connection is torn down without an answer", async () => {
    const before = sandbox.requestCount(vendor);
    sandbox.injectFault({ vendor, operation: "issue", fault: "reset", times: 1 });
    const [url, init] = calls.issueRequest(sandbox);
    const failure = await fetch(url, init).then(
      () => undefined,
      (error: Error & { cause?: { code?: string } }) => error,
    );
    expect(failure?.message).toBe("fetch failed");
    expect(["ECONNRESET", "UND_ERR_SOCKET", "EPIPE"]).toContain(failure?.cause?.code);
    expect(sandbox.requestCount(vendor) - before).toBe(1);
    expect((await issueOnce()).status).toBe(calls.issueStatus);
  });

  it("redirect: the status and Location given, here to the same route on another sandbox", async () => {
    const other = await startTestSandbox();
    try {
      const [url, init] = calls.issueRequest(sandbox);
      const mount = vendor === "genesys" ? sandbox.genesysLoginUrl : sandbox.baseUrls[vendor];
      const target = vendor === "genesys" ? other.genesysLoginUrl : other.baseUrls[vendor];
      sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "redirect", location: target, status: 307, preservePath: true }, times: 1 });
      const reply = await fetch(url, { ...init, redirect: "manual" });
      expect(reply.status).toBe(307);
      const location = reply.headers.get("location")!;
      expect(location).toBe(`${target}${url.slice(mount.length)}`);
      // Fetch drops Authorization on a cross-origin redirect, so follow it by hand, as a careful client would.
      const followed = await call(location, init);
      expect(followed.status).toBe(calls.issueStatus);
      expect(other.requestCount(vendor)).toBe(1);
    } finally {
      await other.close();
    }
  });

  it("malformed: truncated JSON, a wrong content type, an empty body", async () => {
    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "malformed", variant: "truncated-json" }, times: 1 });
    const truncated = await fetch(...calls.issueRequest(sandbox));
    expect(truncated.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await truncated.text();
    expect(text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(text)).toThrow(SyntaxError);

    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "malformed", variant: "wrong-content-type" }, times: 1 });
    const html = await call(...calls.issueRequest(sandbox));
    expect(html.status).toBe(calls.issueStatus);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.text).toMatch(/^<!doctype html>/);

    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "malformed", variant: "empty-body" }, times: 1 });
    const empty = await call(...calls.issueRequest(sandbox));
    expect(empty.status).toBe(calls.issueStatus);
    expect(empty.headers.get("content-length")).toBe("0");
    expect(empty.text).toBe("");
  });

  it("expired: the token handed out is already dead, in the vendor's expiry format and on the server", async () => {
    const live = await calls.issue(sandbox);
    expect((await call(...calls.useToken(sandbox, calls.readToken(live)))).status).toBeLessThan(300);

    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "expired", agoSeconds: 120 }, times: 1 });
    const dead: Reply = await calls.issue(sandbox);
    expect(dead.status).toBe(calls.issueStatus);
    const expiry = calls.readExpiry(dead, clock.now());
    if (vendor === "vidispine") expect(expiry).toBeUndefined();
    else if (vendor === "genesys") expect(dead.body.expires_in).toBe(0);
    else if (vendor === "sftpgo") expect(expiry).toBe(Math.floor((clock.now() - 120_000) / 1000) * 1000);
    else expect(expiry).toBe(clock.now() - 120_000);
    const used = await call(...calls.useToken(sandbox, calls.readToken(dead)));
    expect(used.status).toBe(401);
  });

  it("oversized: the real answer padded to exactly N bytes, still parseable", async () => {
    const bytes = 300_000;
    sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "oversized", bytes }, times: 1 });
    const reply = await call(...calls.issueRequest(sandbox));
    expect(reply.status).toBe(calls.issueStatus);
    expect(reply.headers.get("content-length")).toBe(String(bytes));
    expect(Buffer.byteLength(reply.text)).toBe(bytes);
    expect(JSON.parse(reply.text)).toBeTruthy();
  });
});

describe("injectFault", () => {
  let sandbox: Sandbox;
  let dice: number[];

  beforeAll(async () => {
    sandbox = await startTestSandbox({ random: () => dice.shift() ?? 0 });
  });
  afterEach(() => {
    sandbox.clearFaults();
  });
  afterAll(() => sandbox.close());

  it("refuses unknown vendors, operations and faults with a TypeError naming the valid ones", () => {
    // @ts-expect-error -- not a vendor
    expect(() => sandbox.injectFault({ vendor: "okta", fault: "hang" })).toThrow(new TypeError('unknown vendor "okta" (valid: mindbody, vidispine, sftpgo, genesys, authapi)'));
    expect(() => sandbox.injectFault({ vendor: "vidispine", operation: "renew", fault: "hang" })).toThrow(new TypeError("vidispine has no renew operation (valid for vidispine: issue)"));
    // @ts-expect-error -- not an operation
    expect(() => sandbox.injectFault({ vendor: "genesys", operation: "refresh", fault: "hang" })).toThrow(
      new TypeError('unknown operation "refresh" (valid for genesys: issue, revoke, introspect)'),
    );
    expect(() => sandbox.injectFault({ vendor: "sftpgo", operation: "introspect", fault: "hang" })).toThrow(
      "SFTPGo's introspect decodes the JWT's claims locally, so no request reaches the sandbox (valid for sftpgo: issue, revoke)",
    );
    // @ts-expect-error -- not a fault
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: "explode" })).toThrow(
      new TypeError('unknown fault "explode" (valid: status, hang, drip, slow, reset, redirect, malformed, expired, oversized; by name alone: hang, drip, reset, malformed, expired)'),
    );
    // @ts-expect-error -- slow needs its delay
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: "slow" })).toThrow(TypeError);
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "status", status: 42 } })).toThrow("the status fault needs a status from 200 to 599, got 42");
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "status", status: 429, retryAfter: -1 } })).toThrow(/retryAfter must be whole seconds/);
    // @ts-expect-error -- an unknown setting
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "drip", interval: 5 } })).toThrow('the drip fault has no setting "interval" (valid: intervalMs)');
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "redirect", location: "/relative" } })).toThrow(/absolute http\(s\) location/);
    // @ts-expect-error -- not a redirect status
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "redirect", location: "http://127.0.0.1:1/", status: 200 } })).toThrow(/301, 302, 303, 307, 308/);
    // @ts-expect-error -- not a variant
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "malformed", variant: "xml" } })).toThrow(/valid: truncated-json, wrong-content-type, empty-body/);
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: { kind: "oversized", bytes: 0 } })).toThrow(/1 or more/);
    expect(() => sandbox.injectFault({ vendor: "genesys", operation: "revoke", fault: "expired" })).toThrow(
      "the expired fault needs an operation that hands out a token (valid for genesys: issue)",
    );
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: "hang", times: 0 })).toThrow("times must be a whole number of at least 1, got 0");
    expect(() => sandbox.injectFault({ vendor: "genesys", fault: "hang", probability: 1.5 })).toThrow("probability must be a number from 0 to 1, got 1.5");
    expect(sandbox.stats().faults).toEqual([]);
  });

  it("targets one operation: a revoke fault leaves issue alone", async () => {
    sandbox.injectFault({ vendor: "genesys", operation: "revoke", fault: { kind: "status", status: 500 } });
    const issued = await VENDOR_CALLS.genesys.issue(sandbox);
    expect(issued.status).toBe(200);
    const revoked = await call(`${sandbox.baseUrls.genesys}/api/v2/tokens/me`, { method: "DELETE", headers: { Authorization: `Bearer ${issued.body.access_token as string}` } });
    expect(revoked.status).toBe(500);
    expect(revoked.body).toMatchObject({ code: "internal.server.error", status: 500 });
  });

  it("without an operation, faults every request to the vendor and no other vendor", async () => {
    sandbox.injectFault({ vendor: "genesys", fault: { kind: "status", status: 502 } });
    expect((await call(`${sandbox.baseUrls.genesys}/api/v2/tokens/timeout`)).status).toBe(502);
    expect((await call(`${sandbox.baseUrls.genesys}/no/such/route`)).status).toBe(502);
    expect((await VENDOR_CALLS.genesys.issue(sandbox)).status).toBe(502);
    expect((await VENDOR_CALLS.sftpgo.issue(sandbox)).status).toBe(200);
  });

  it("fires with its probability, and the first matching fault wins", async () => {
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "status", status: 503 }, probability: 0.5 });
    sandbox.injectFault({ vendor: "sftpgo", fault: { kind: "status", status: 418 }, times: 1 });
    dice = [0.9, 0.1, 0.2];
    // 0.9 misses the first fault, so the second fires; then 0.1 and 0.2 hit the first.
    const statuses = [];
    for (let index = 0; index < 3; index++) statuses.push((await VENDOR_CALLS.sftpgo.issue(sandbox)).status);
    expect(statuses).toEqual([418, 503, 503]);
  });

  it("lists active faults in stats(), and a handle or clearFaults() removes them", async () => {
    const first = sandbox.injectFault({ vendor: "mindbody", operation: "renew", fault: { kind: "status", status: 429, retryAfter: 5 }, times: 3 });
    const second = sandbox.injectFault({ vendor: "authapi", fault: "drip", probability: 0.25 });
    expect(sandbox.stats().faults).toEqual([
      { id: first.id, vendor: "mindbody", operation: "renew", fault: { kind: "status", status: 429, retryAfter: 5 }, remaining: 3, probability: 1, hits: 0 },
      { id: second.id, vendor: "authapi", fault: { kind: "drip", intervalMs: 1000 }, remaining: null, probability: 0.25, hits: 0 },
    ]);
    expect(first.remove()).toBe(true);
    expect(first.remove()).toBe(false);
    expect(first.active).toBe(false);
    expect(sandbox.stats().faults.map((fault) => fault.id)).toEqual([second.id]);
    expect(sandbox.clearFaults()).toBe(1);
    expect(second.active).toBe(false);
    expect(sandbox.stats().faults).toEqual([]);
  });

  it("AuthAPI: an expired fault on issue kills the short-term token; the long-term step passes", async () => {
    sandbox.injectFault({ vendor: "authapi", operation: "issue", fault: "expired", times: 1 });
    const reply = await VENDOR_CALLS.authapi.issue(sandbox);
    expect(reply.status).toBe(201);
    expect(reply.body.expires_in).toBe(0);
    expect(Date.parse(reply.body.expires_at as string)).toBeLessThan(Date.now() - 59_000);
    expect(sandbox.stats().faults).toEqual([]);
  });
});

describe("close() with answers still pending", () => {
  const dist = new URL("../dist/index.js", import.meta.url);

  beforeAll(() => {
    // turbo builds before testing; a bare `vitest run` in a fresh checkout builds here.
    if (!existsSync(dist)) execFileSync("npx", ["tsup"], { cwd: fileURLToPath(new URL("..", import.meta.url)), stdio: "ignore" });
  }, 120_000);

  it("cancels slow and dripping answers, so nothing keeps the process alive", async () => {
    // Ten-minute timers: if close() left them, the process would outlive the 20 s limit below.
    const script = `
      import { startSandbox } from ${JSON.stringify(dist.href)};
      const sandbox = await startSandbox();
      sandbox.injectFault({ vendor: "sftpgo", fault: { kind: "slow", delayMs: 600000 }, times: 1 });
      sandbox.injectFault({ vendor: "sftpgo", fault: { kind: "drip", intervalMs: 600000 } });
      const url = sandbox.baseUrls.sftpgo + "/api/v2/token";
      const slow = fetch(url).then(() => "answered", () => "cut off");
      const drip = await fetch(url);
      const body = drip.text().then(() => "answered", () => "cut off");
      await sandbox.close();
      console.log(JSON.stringify({ dripStatus: drip.status, slow: await slow, body: await body }));
    `;
    const result = await new Promise<{ error: (Error & { signal?: string | null }) | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 }, (error, stdout, stderr) => resolve({ error, stdout, stderr }));
    });
    expect(result.error, result.stderr).toBeNull();
    expect(JSON.parse(result.stdout)).toEqual({ dripStatus: 401, slow: "cut off", body: "cut off" });
  });
});
