import { execFile } from "node:child_process";
import { networkInterfaces } from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackAddress } from "../src/admin.js";
import type { Sandbox } from "../src/index.js";
import { call, jsonInit, startTestSandbox } from "./helpers.js";
import { VENDOR_CALLS } from "./vendor-calls.js";

/** Runs a script in a separate node process; resolves to its stdout. */
function runNode(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/** An IPv4 address of this machine off loopback, if it has one. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry?.family === "IPv4" && !entry.internal)?.address;

describe("/__sandbox/faults", () => {
  const page = "http://127.0.0.1:5173";
  let sandbox: Sandbox;
  let admin: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ cors: [page] });
    admin = `${sandbox.url}/__sandbox/faults`;
  });
  afterEach(() => {
    sandbox.clearFaults();
  });
  afterAll(() => sandbox.close());

  it("adds (JSON or --fault text), lists and clears faults; its own requests are not counted", async () => {
    const added = await call(admin, jsonInit("POST", { vendor: "genesys", operation: "issue", fault: { kind: "status", status: 429, retryAfter: 3 }, times: 2 }));
    expect(added.status).toBe(201);
    expect(added.body.fault).toEqual({ id: expect.any(String), vendor: "genesys", operation: "issue", fault: { kind: "status", status: 429, retryAfter: 3 }, remaining: 2, probability: 1, hits: 0 });
    expect(added.headers.get("location")).toBe(`/__sandbox/faults/${added.body.fault.id as string}`);
    const text = await call(admin, { method: "POST", body: "sftpgo:revoke:reset" });
    expect(text.status).toBe(201);
    expect(text.body.fault).toMatchObject({ vendor: "sftpgo", operation: "revoke", fault: { kind: "reset" }, remaining: null });

    const listed = await call(admin);
    expect(listed.status).toBe(200);
    expect(listed.body.faults.map((fault: { id: string }) => fault.id)).toEqual([added.body.fault.id, text.body.fault.id]);
    expect(sandbox.stats().faults).toEqual(listed.body.faults);

    const limited = await VENDOR_CALLS.genesys.issue(sandbox);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("3");
    expect((await call(admin)).body.faults[0]).toMatchObject({ remaining: 1, hits: 1 });

    expect((await call(admin, { method: "DELETE" })).body).toEqual({ cleared: 2 });
    expect(sandbox.stats().faults).toEqual([]);
    expect((await VENDOR_CALLS.genesys.issue(sandbox)).status).toBe(200);
    // Only the two issue calls: the admin requests count nowhere.
    const total = Object.values(sandbox.stats().requests).flatMap((perOperation) => Object.values(perOperation)).reduce((sum, n) => sum + n, 0);
    expect(total).toBe(2);
  });

  it("removes one fault by id, and says when there is none", async () => {
    const { id } = sandbox.injectFault({ vendor: "mindbody", fault: "hang" });
    const kept = sandbox.injectFault({ vendor: "vidispine", fault: "hang" });
    expect((await call(`${admin}/${id}`, { method: "DELETE" })).status).toBe(204);
    expect(sandbox.stats().faults.map((fault) => fault.id)).toEqual([kept.id]);
    const again = await call(`${admin}/${id}`, { method: "DELETE" });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: `no fault with id "${id}" is in place` });
  });

  it("answers a bad fault with 400 and the same message injectFault throws; not a vendor's error shape", async () => {
    const unknown = await call(admin, jsonInit("POST", { vendor: "okta", fault: "hang" }));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ error: 'unknown vendor "okta" (valid: mindbody, vidispine, sftpgo, genesys, authapi)' });
    const badText = await call(admin, { method: "POST", body: "genesys:issue:status=429,retry=2" });
    expect(badText.status).toBe(400);
    expect(badText.body.error).toContain('the status fault has no setting "retry"');
    const badJson = await call(admin, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(badJson.body).toEqual({ error: "the body is not valid JSON" });
    const dated = await call(admin, jsonInit("POST", { vendor: "authapi", fault: { kind: "status", status: 503, retryAfter: "2031-01-02T03:04:05Z" } }));
    expect(dated.status).toBe(201);
    expect((await VENDOR_CALLS.authapi.issue(sandbox)).headers.get("retry-after")).toBe("Thu, 02 Jan 2031 03:04:05 GMT");
    expect((await call(`${sandbox.url}/__sandbox/other`)).status).toBe(404);
    const wrongMethod = await call(admin, { method: "PUT" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD, POST, DELETE");
  });

  it("serves pages on an allowed origin with CORS, preflight included, and refuses other origins", async () => {
    const preflight = await fetch(admin, { method: "OPTIONS", headers: { Origin: page, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(page);
    const fromPage = await call(admin, jsonInit("POST", { vendor: "sftpgo", fault: "hang" }, { Origin: page }));
    expect(fromPage.status).toBe(201);
    expect(fromPage.headers.get("access-control-allow-origin")).toBe(page);
    // A simple cross-site POST needs no preflight, so without this check any web page could rewire the sandbox.
    const elsewhere = await call(admin, { method: "POST", headers: { Origin: "http://evil.example" }, body: "sftpgo:hang" });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.error).toBe("/__sandbox refuses pages from origin http://evil.example: start the sandbox with cors allowing it");
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
    expect(sandbox.stats().faults).toHaveLength(1);
  });

  it("is used from a second process", async () => {
    const script = `
      const admin = process.env.ADMIN;
      const added = await fetch(admin, { method: "POST", body: "vidispine:issue:status=500,times=1" }).then((r) => r.json());
      const listed = await fetch(admin).then((r) => r.json());
      console.log(JSON.stringify({ added: added.fault.id, listed: listed.faults.map((f) => f.id) }));
    `;
    const out = JSON.parse(await runNode(script, { ADMIN: admin })) as { added: string; listed: string[] };
    expect(out.listed).toEqual([out.added]);
    const failed = await VENDOR_CALLS.vidispine.issue(sandbox);
    expect(failed.status).toBe(500);
    expect(failed.headers.get("x-sandbox-fault")).toBe(out.added);
    expect(sandbox.stats().faults).toEqual([]);
  });
});

describe("the admin endpoint off loopback", () => {
  it("tells loopback peers from others", () => {
    for (const address of ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1", "::FFFF:127.0.0.2"]) expect(isLoopbackAddress(address), address).toBe(true);
    for (const address of ["192.0.2.2", "10.0.0.1", "::ffff:192.0.2.2", "fd00::2", "::", "0.0.0.0", "1270.0.0.1", undefined]) expect(isLoopbackAddress(address), String(address)).toBe(false);
  });

  it.skipIf(outsideAddress === undefined)("refuses a peer on another interface with 403, while vendors still answer it", async () => {
    const open = await startTestSandbox({ host: "0.0.0.0" });
    try {
      const port = new URL(open.url).port;
      const outside = `http://${outsideAddress}:${port}`;
      const refused = await call(`${outside}/__sandbox/faults`, { method: "POST", body: "sftpgo:hang" });
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe(`/__sandbox answers loopback clients only; this request came from ${outsideAddress}`);
      expect(open.stats().faults).toEqual([]);
      expect((await call(`${outside}/__sandbox/faults`)).status).toBe(403);
      expect((await call(`http://127.0.0.1:${port}/__sandbox/faults`)).status).toBe(200);
      const { username, password } = open.credentials.vidispine;
      expect((await call(`${outside}/vidispine/API/token`, { headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}` } })).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
