// One process of a fleet, for the fault tests and the fleet bench: a tokenkit token source over the
// BUILT @tokenkit/redis store, driven by its parent over IPC. Credentials arrive over IPC, never argv.
import { createClient, createCluster } from "redis";
import { createTokenClient, createTokenSource } from "tokenkit";
import { createRedisTokenStore } from "@tokenkit/redis";

const send = (message) => process.send?.(message);
process.on("unhandledRejection", (reason) => send({ type: "unhandled", message: String(reason?.stack ?? reason) }));
process.on("uncaughtException", (error) => send({ type: "unhandled", message: String(error?.stack ?? error) }));

let redis;
let store;
let client;
let source;
let sourceOptions;
// The bench moves this process's clock (Date.now itself, so expiry checks against the sandbox's
// shifted Date header agree) into a refresh-ahead window together with the sandbox's.
let clockOffsetMs = 0;
const realNow = Date.now;
Date.now = () => realNow() + clockOffsetMs;

async function init({ redisUrl, rootNodes, vendor, clientOptions, encryptionKeys, options }) {
  // Initialised again (another vendor, say): the previous connection goes first.
  await store?.close();
  await redis?.close().catch(() => {});
  clockOffsetMs = 0;
  if (rootNodes) {
    redis = createCluster({ rootNodes });
  } else {
    redis = createClient({ url: redisUrl });
  }
  redis.on("error", () => {}); // node-redis reconnects by itself; the test watches the outcome
  await redis.connect();
  store = createRedisTokenStore({ client: redis, encryptionKeys });
  // Every event but the per-call "cached from memory" one (an IPC message per getToken() would be the
  // bench's cached figure).
  client = createTokenClient(vendor, { ...clientOptions, onEvent: (event) => event.type === "cached" && event.from === "memory" ? undefined : send({ type: "event", event }) });
  sourceOptions = { ...options, store };
  source = createTokenSource(client, sourceOptions);
}

/** `count` concurrent getToken() calls; what each caller got (access tokens come back to the test only). */
async function getTokens({ count, fresh }) {
  if (fresh) source = createTokenSource(client, sourceOptions);
  const started = performance.now();
  const settled = await Promise.allSettled(Array.from({ length: count }, () => source.getToken()));
  const ms = performance.now() - started;
  const tokens = new Set();
  const errors = [];
  let expiresAt;
  for (const result of settled) {
    if (result.status === "fulfilled") {
      tokens.add(result.value.accessToken);
      expiresAt = Math.min(expiresAt ?? Infinity, result.value.expiresAt?.getTime() ?? Infinity);
    }
    else errors.push(`${result.reason?.code ?? "?"}: ${result.reason?.message ?? result.reason}`);
  }
  return { fulfilled: settled.length - errors.length, rejected: errors.length, tokens: [...tokens], errors: errors.slice(0, 5), ms, expiresAt };
}

/** Cached getToken() latencies in ns (the in-process layer in front of the store): p50 and p99, the median of 3 rounds after a warm-up. */
async function measureCached({ count }) {
  await source.getToken();
  const samples = new Float64Array(count);
  const round = async () => {
    for (let index = 0; index < count; index++) {
      const start = process.hrtime.bigint();
      await source.getToken();
      samples[index] = Number(process.hrtime.bigint() - start);
    }
    samples.sort();
    return { p50: samples[Math.floor(count * 0.5)], p99: samples[Math.floor(count * 0.99)] };
  };
  await round();
  const rounds = [await round(), await round(), await round()].sort((a, b) => a.p99 - b.p99);
  return rounds[1];
}

/** A store hit (GET + decrypt + parse) against a bare GET of the same key, each `count` times, in µs. */
async function measureStoreHit({ count }) {
  const key = `bench:${Math.random().toString(16).slice(2)}`;
  await store.set(key, await source.getToken(), { ttlMs: 60_000 });
  const name = `tokenkit:{${key}}:token`;
  const time = async (run) => {
    for (let index = 0; index < 200; index++) await run();
    const samples = new Float64Array(count);
    for (let index = 0; index < count; index++) {
      const start = process.hrtime.bigint();
      await run();
      samples[index] = Number(process.hrtime.bigint() - start) / 1000;
    }
    samples.sort();
    return samples[Math.floor(count / 2)];
  };
  const bare = await time(() => redis.get(name));
  const hit = await time(() => store.get(key));
  await store.delete(key);
  return { bareGetUs: bare, storeHitUs: hit };
}

const handlers = {
  init,
  get: getTokens,
  cached: measureCached,
  storeHit: measureStoreHit,
  clock: ({ offsetMs }) => {
    clockOffsetMs = offsetMs;
  },
  ping: () => ({ ready: redis.isReady === true }),
  exit: async () => {
    await store?.close();
    await redis?.close().catch(() => {});
    setImmediate(() => process.exit(0));
  },
};

process.on("message", async ({ id, type, ...args }) => {
  try {
    const result = await handlers[type](args);
    send({ type: "result", id, result });
  } catch (error) {
    send({ type: "result", id, error: `${error?.code ?? ""} ${error?.message ?? error}` });
  }
});
send({ type: "up" });
