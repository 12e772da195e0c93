// §8 Fleet: 8 processes share one token per credential through @tokenkit/redis on a real loopback
// redis-server (Debian's), against the sandbox. Each process is packages/redis/fleet/worker.mjs (the
// built packages), driven over IPC.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT, VENDORS } from "./workspace.mjs";

const PROCESSES = 8;
const CALLERS = 1_000;
const CACHED_CALLS = 200_000;
const STORE_HIT_CALLS = 2_000;
const KEY = Buffer.alloc(32, 11).toString("base64");
const execFileAsync = promisify(execFile);

function findBinary(name) {
  for (const dir of [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin"]) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error(`${name} is not installed (apt-get install redis-server): the fleet section needs a real Redis`);
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** redis-server on a free loopback port, persistence off, in a temp dir. */
async function startRedis() {
  const server = findBinary("redis-server");
  const cli = findBinary("redis-cli");
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "tokenkit-bench-redis-"));
  const child = spawn(server, ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--loglevel", "warning"], { stdio: "ignore" });
  const redisCli = async (...args) => (await execFileAsync(cli, ["-h", "127.0.0.1", "-p", String(port), ...args])).stdout.trim();
  const deadline = Date.now() + 15_000;
  while ((await redisCli("ping").catch(() => "")) !== "PONG") {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error("redis-server did not start");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    cli: redisCli,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function until(check, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** HTTP requests one issue() (or renew(), where the vendor has it) takes, measured alone. */
async function measureRequestsPerCall(sandbox, createTokenClient, vendor) {
  const client = createTokenClient(vendor, sandbox.clientOptions(vendor));
  sandbox.resetRequestCounts();
  const token = await client.issue();
  const perIssue = sandbox.requestCount(vendor);
  sandbox.resetRequestCounts();
  if (client.capabilities.renew) await client.renew(token);
  else await client.issue();
  return { perIssue, perRefresh: sandbox.requestCount(vendor), refresh: client.capabilities.renew ? "renew" : "issue" };
}

/** One vendor: a cold shared store, then a refresh-ahead window, across the whole fleet. */
async function measureVendor({ sandbox, redis, workers, clock, createTokenClient }, vendor) {
  const { perIssue, perRefresh, refresh } = await measureRequestsPerCall(sandbox, createTokenClient, vendor);
  await redis.cli("flushall");
  clock.offsetMs = 0;
  await Promise.all(workers.map((worker) => worker.call("init", { redisUrl: redis.url, vendor, clientOptions: sandbox.clientOptions(vendor), encryptionKeys: [KEY], options: {} })));

  sandbox.resetRequestCounts();
  const cold = await Promise.all(workers.map((worker) => worker.call("get", { count: CALLERS })));
  const coldRequests = sandbox.requestCount(vendor);
  const coldTokens = new Set(cold.flatMap((result) => result.tokens));
  const coldFailed = cold.reduce((sum, result) => sum + result.rejected, 0);
  const coldMs = Math.max(...cold.map((result) => result.ms));
  const issues = coldRequests / perIssue;
  const rows = [
    {
      measure: `fleet: ${vendor}: upstream issue() calls, ${PROCESSES} processes × ${CALLERS.toLocaleString("en-US")} concurrent getToken(), cold shared store`,
      value: coldTokens.size === 1 && coldFailed === 0 ? issues : Number.NaN,
      shown: `${issues} (${coldRequests} HTTP request${coldRequests === 1 ? "" : "s"}; ${coldTokens.size} distinct token${coldTokens.size === 1 ? "" : "s"}; ${coldFailed} failed; slowest process settled in ${coldMs.toFixed(0)} ms)`,
      target: { op: "=", limit: 1, shown: "exactly 1" },
      noise: 0,
      baseline: `no shared store: ${PROCESSES}`,
    },
  ];

  // Into the refresh-ahead window on every clock at once (the sandbox's and each process's).
  const expiresAt = Math.min(...cold.map((result) => result.expiresAt ?? Infinity));
  if (!Number.isFinite(expiresAt)) {
    rows.push({ measure: `fleet: ${vendor}: refreshes across a refresh-ahead window`, value: Number.NaN, shown: "the token has no expiry", target: { op: "=", limit: 1, shown: "exactly 1" }, noise: 0 });
    return rows;
  }
  const remaining = expiresAt - Date.now();
  sandbox.resetRequestCounts();
  clock.offsetMs = remaining - Math.min(60_000, remaining / 4);
  await Promise.all(workers.map((worker) => worker.call("clock", { offsetMs: clock.offsetMs })));
  const [old] = coldTokens;
  const inWindow = await Promise.all(workers.map((worker) => worker.call("get", { count: CALLERS })));
  const servedOld = inWindow.every((result) => result.tokens.length === 1 && result.tokens[0] === old);
  // Every process moves to the one new token (notified through Redis); then stragglers get a moment.
  await until(async () => {
    const now = await Promise.all(workers.map((worker) => worker.call("get", { count: 1 })));
    const tokens = new Set(now.flatMap((result) => result.tokens));
    const expiries = new Set(now.map((result) => result.expiresAt));
    // A renew may keep the secret and move the expiry (Mindbody).
    return tokens.size === 1 && expiries.size === 1 && (!tokens.has(old) || now[0].expiresAt > expiresAt);
  }, `every ${vendor} process to serve the refreshed token`);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const refreshRequests = sandbox.requestCount(vendor);
  const refreshes = refreshRequests / perRefresh;
  rows.push({
    measure: `fleet: ${vendor}: refreshes (${refresh}) across a refresh-ahead window, ${PROCESSES} processes × ${CALLERS.toLocaleString("en-US")} getToken()`,
    value: servedOld ? refreshes : Number.NaN,
    shown: `${refreshes} (${refreshRequests} HTTP request${refreshRequests === 1 ? "" : "s"}; the old token served meanwhile: ${servedOld ? "yes" : "no"})`,
    target: { op: "=", limit: 1, shown: "exactly 1" },
    noise: 0,
    baseline: `no shared store: ${PROCESSES}`,
  });
  return rows;
}

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const { startSandbox } = await import("@tokenkit/sandbox");
  const { createTokenClient } = await import("tokenkit");
  const { startWorker } = await import(path.join(REPO_ROOT, "packages", "redis", "fleet", "harness.mjs"));
  const clock = { offsetMs: 0 };
  const redis = await startRedis();
  const sandbox = await startSandbox({ port: 0, now: () => Date.now() + clock.offsetMs });
  const workers = [];
  const rows = [];
  try {
    for (let index = 0; index < PROCESSES; index++) workers.push(await startWorker());
    const context = { sandbox, redis, workers, clock, createTokenClient };
    for (const vendor of VENDORS) {
      try {
        rows.push(...(await measureVendor(context, vendor)));
      } catch (error) {
        rows.push({ measure: `fleet: ${vendor}`, value: Number.NaN, shown: `failed: ${String(error?.message ?? error).split("\n")[0]}`, target: { op: "=", limit: 1, shown: "exactly 1" }, noise: 0 });
      }
    }

    // The in-process layer in front of the store, and a store hit against a bare GET.
    clock.offsetMs = 0;
    await redis.cli("flushall");
    // One process measures; the others go, so their idle connections are not in its figures.
    const [worker, ...others] = workers;
    await Promise.all(others.map((other) => other.stop()));
    await worker.call("init", { redisUrl: redis.url, vendor: "sftpgo", clientOptions: sandbox.clientOptions("sftpgo"), encryptionKeys: [KEY], options: {} });
    const cached = await worker.call("cached", { count: CACHED_CALLS });
    rows.push({
      measure: `fleet: cached getToken() p99 with a Redis store (${CACHED_CALLS.toLocaleString("en-US")} calls in one process)`,
      value: cached.p99 / 1000,
      shown: `${(cached.p99 / 1000).toFixed(2)} µs (p50 ${(cached.p50 / 1000).toFixed(2)} µs)`,
      target: { op: "<=", limit: 5, shown: "≤ 5 µs" },
      noise: 0,
      baseline: "section 2 (no store)",
    });
    const hit = await worker.call("storeHit", { count: STORE_HIT_CALLS });
    const ratio = hit.storeHitUs / hit.bareGetUs;
    rows.push({
      measure: "fleet: store hit (GET + AES-GCM decrypt + parse) ÷ bare Redis GET, loopback, median",
      value: ratio,
      shown: `×${ratio.toFixed(2)} (${hit.storeHitUs.toFixed(0)} µs vs ${hit.bareGetUs.toFixed(0)} µs)`,
      noise: 0,
      baseline: "bare node-redis GET of the same key",
    });
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
    await sandbox.close();
    await redis.stop();
  }
  return {
    rows,
    notes: [
      `Fleet: ${PROCESSES} child processes (packages/redis/fleet/worker.mjs, the built tokenkit and @tokenkit/redis), each with its own node-redis connection to one redis-server on 127.0.0.1 (Debian's, persistence off) and a token source over createRedisTokenStore (AES-256-GCM). Per vendor: an empty store, then ${CALLERS.toLocaleString("en-US")} concurrent getToken() in every process at once; upstream calls = requests the sandbox counted ÷ requests of one issue() measured alone. Then the sandbox's clock and every process's clock jump into the refresh-ahead window together, every process calls getToken() ${CALLERS.toLocaleString("en-US")} times (all must get the old, still valid token), and the section waits until every process serves one new token, plus 1.5 s; refreshes = requests counted ÷ requests of one renew() (or issue()) measured alone.`,
      `Fleet, cached: one process (the other seven stopped), after a warm-up round, the median of three rounds of ${CACHED_CALLS.toLocaleString("en-US")} sequential awaited getToken() on a warm source with a Redis store (the in-process layer answers; Redis is not touched). Store hit: median of ${STORE_HIT_CALLS.toLocaleString("en-US")} sequential store.get() (GET, AES-256-GCM decrypt, deserializeToken) against the median of as many bare GETs of the same key on the same connection, after 200 warm-up calls each.`,
    ],
  };
}
