// Fault tests with real processes: each worker is a child process running a token source over the
// BUILT @tokenkit/redis store, against a real redis-server and the sandbox. (`npm run test:fleet`.)
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import type { TokenEvent } from "tokenkit";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dumpKeyspace, NEEDS_REDIS, startRedis, type RedisServer } from "../test/servers.js";
import { startWorker, type GetResult, type Worker } from "./harness.mjs";

const KEY = Buffer.alloc(32, 5).toString("base64");
const OTHER_KEY = Buffer.alloc(32, 6).toString("base64");

let sandbox: Sandbox;
let server: RedisServer;
const running: Worker[] = [];
// Everything the workers reported and every token they handed out, for the secret scan.
const allEvents: TokenEvent[] = [];
const allErrors: string[] = [];
const handedOut = new Set<string>();

async function startFleet(size: number, options: Record<string, unknown> = {}, encryptionKeys: string[] = [KEY]): Promise<Worker[]> {
  const started = await Promise.allSettled(Array.from({ length: size }, () => startWorker()));
  const workers = started.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  running.push(...workers);
  const failed = started.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
  await Promise.all(
    workers.map((worker) => worker.call("init", { redisUrl: server.url, vendor: "sftpgo", clientOptions: sandbox.clientOptions("sftpgo"), encryptionKeys, options })),
  );
  return workers;
}

function record(result: GetResult): GetResult {
  result.tokens.forEach((token) => handedOut.add(token));
  allErrors.push(...result.errors);
  return result;
}

async function getTokens(worker: Worker, count: number, fresh = false): Promise<GetResult> {
  return record(await worker.call("get", { count, fresh }));
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const issues = () => sandbox.requestCount("sftpgo", "getToken");

describe("a fleet of processes sharing tokens through Redis", NEEDS_REDIS, () => {
  beforeAll(async () => {
    [sandbox, server] = await Promise.all([startSandbox({ port: 0 }), startRedis()]);
  });

  beforeEach(async () => {
    await server.cli("flushall");
    sandbox.clearFaults();
    sandbox.resetRequestCounts();
  });

  afterEach(async () => {
    for (const worker of running.splice(0)) {
      allEvents.push(...worker.events);
      expect(worker.unhandled, `worker ${worker.pid}: unhandled rejection or exception`).toEqual([]);
      await worker.stop();
    }
  });

  afterAll(async () => {
    await server?.stop();
    await sandbox?.close();
  });

  it("8 processes × 1,000 concurrent callers on a cold store: one issue call", async () => {
    const workers = await startFleet(8);
    const results = await Promise.all(workers.map((worker) => getTokens(worker, 1_000)));
    expect(results.every((result) => result.fulfilled === 1_000 && result.rejected === 0)).toBe(true);
    expect(new Set(results.flatMap((result) => result.tokens)).size).toBe(1);
    expect(issues()).toBe(1);
  });

  it("the lease holder killed with SIGKILL mid-issue: another takes over after the lease, ≤ 2 upstream calls, every caller gets a token", async () => {
    const [holder, ...others] = await startFleet(3, { leaseMs: 1_500 });
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "hang" }, times: 1 });
    holder!.call("get", { count: 10 }).catch(() => {});
    await until(async () => issues() === 1 && (await server.cli("--scan")).includes(":lease"), "the holder's issue call and lease");
    expect((await holder!.kill("SIGKILL")).signal).toBe("SIGKILL");
    const results = await Promise.all(others.map((worker) => getTokens(worker, 1_000)));
    expect(results.map((result) => result.fulfilled)).toEqual([1_000, 1_000]);
    expect(new Set(results.flatMap((result) => result.tokens)).size).toBe(1);
    expect(issues()).toBe(2);
  });

  it("Redis killed mid-run: callers keep getting tokens (store-fallback), no unhandled rejection; restarted: sharing resumes", async () => {
    const workers = await startFleet(3, { storeTimeoutMs: 300, leaseMs: 2_000 });
    const before = await Promise.all(workers.map((worker) => getTokens(worker, 200)));
    expect(new Set(before.flatMap((result) => result.tokens)).size).toBe(1);
    expect(issues()).toBe(1);

    await server.kill();
    // Cached tokens never touch the store; new (cold) sources issue here and say why.
    const cached = await Promise.all(workers.map((worker) => getTokens(worker, 200)));
    expect(cached.map((result) => result.tokens)).toEqual(before.map((result) => result.tokens));
    const cold = await Promise.all(workers.map((worker) => getTokens(worker, 200, true)));
    expect(cold.map((result) => result.fulfilled)).toEqual([200, 200, 200]);
    expect(issues()).toBe(1 + workers.length);
    for (const worker of workers) expect(worker.events.some((event) => event.type === "store-fallback")).toBe(true);

    await server.restart();
    await until(async () => (await Promise.all(workers.map((worker) => worker.call("ping")))).every((answer) => answer.ready), "the workers to reconnect");
    sandbox.resetRequestCounts();
    const after = await Promise.all(workers.map((worker) => getTokens(worker, 200, true)));
    expect(after.map((result) => result.fulfilled)).toEqual([200, 200, 200]);
    expect(new Set(after.flatMap((result) => result.tokens)).size).toBe(1);
    expect(issues()).toBe(1);
  });

  it("a stale lease holder cannot overwrite the newer token", async () => {
    const [slow, fast, reader] = await startFleet(3, { leaseMs: 1_000 });
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "slow", delayMs: 2_500 }, times: 1 });
    const slowResult = slow!.call("get", { count: 5 });
    await until(() => issues() === 1, "the slow holder's issue call");
    // The lease lapses after 1 s: `fast` takes over and stores its token while `slow` still waits.
    const fastResult = await getTokens(fast!, 100);
    const slowDone = record(await slowResult);
    expect(slowDone.tokens).toHaveLength(1);
    expect(slowDone.tokens[0]).not.toBe(fastResult.tokens[0]);
    const read = await getTokens(reader!, 10);
    expect(read.tokens).toEqual(fastResult.tokens);
    expect(issues()).toBe(2);
  });

  it("a wrong encryption key means a re-issue, never a crash", async () => {
    const [writer] = await startFleet(1);
    const written = await getTokens(writer!, 10);
    const [reader] = await startFleet(1, {}, [OTHER_KEY]);
    const read = await getTokens(reader!, 10);
    expect(read.fulfilled).toBe(10);
    expect(read.tokens[0]).not.toBe(written.tokens[0]);
    expect(issues()).toBe(2);
  });

  it("secret scan: no credential and no plaintext access token in any key or value, error or event", async () => {
    // The last test's entries are still in the keyspace (nothing flushes after it).
    const [worker] = await startFleet(1);
    await getTokens(worker!, 10);
    const keyspace = await dumpKeyspace(server);
    expect(keyspace).toMatch(/tokenkit:\{sftpgo:[0-9a-f]{64}\}:token = tk1\./);
    expect(handedOut.size).toBeGreaterThanOrEqual(5);
    const forbidden = [sandbox.credentials.sftpgo.password, ...handedOut];
    const printed = JSON.stringify(allEvents.concat(worker!.events)) + allErrors.join("\n");
    for (const secret of forbidden) {
      expect(keyspace.includes(secret), "a secret in Redis").toBe(false);
      expect(printed.includes(secret), "a secret in an event or error").toBe(false);
    }
  });
});
