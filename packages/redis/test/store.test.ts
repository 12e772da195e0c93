// The store against a real redis-server (standalone) and a real 3-master Redis Cluster, with the
// token source on top of it against the sandbox. Ends with a secret scan of both keyspaces.
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { createClient, createCluster } from "redis";
import { createTokenClient, createTokenSource, serializeToken, type Token, type TokenEvent, type TokenStore } from "tokenkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { dumpKeyspace, NEEDS_REDIS, REDIS_MISSING, startRedis, startRedisCluster, type RedisClusterServers, type RedisServer } from "./servers.js";

const KEY_A = new Uint8Array(32).fill(7);
const KEY_B = Buffer.alloc(32, 9).toString("base64");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sandbox: Sandbox;
let server: RedisServer;
let cluster: RedisClusterServers;
const connections: { close(): Promise<void> }[] = [];
const stores: { close(): Promise<void> }[] = [];
// Everything secret the tests saw: none of it may be in Redis, an event or an error.
const secrets = new Set<string>();
const events: TokenEvent[] = [];

async function connect() {
  const client = createClient({ url: server.url });
  client.on("error", () => {});
  await client.connect();
  connections.push(client);
  return client;
}

async function connectCluster() {
  const client = createCluster({ rootNodes: cluster.rootNodes });
  client.on("error", () => {});
  await client.connect();
  connections.push(client);
  return client;
}

function track<S extends { close(): Promise<void> }>(store: S): S {
  stores.push(store);
  return store;
}

function sftpgoClient() {
  const options = sandbox.clientOptions("sftpgo");
  secrets.add(options.credentials.password);
  return createTokenClient("sftpgo", { ...options, onEvent: (event) => events.push(event) });
}

function remember(token: Token): Token {
  secrets.add(token.accessToken);
  return token;
}

/** A token as a source would store it, issued by the sandbox. */
async function issueToken(): Promise<Token> {
  return remember(await sftpgoClient().issue());
}

beforeAll(async () => {
  if (REDIS_MISSING) return;
  sandbox = await startSandbox({ port: 0 });
  server = await startRedis();
  cluster = await startRedisCluster();
}, 60_000);

afterAll(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(connections.splice(0).map((client) => client.close().catch(() => {})));
  await server?.stop();
  await cluster?.stop();
  await sandbox?.close();
});

let keyCounter = 0;
const freshKey = () => `sftpgo:test${(keyCounter += 1)}`;

describe("createRedisTokenStore on a real redis-server", NEEDS_REDIS, () => {
  it("stores an encrypted token and reads it back with every field", async () => {
    const store = track(createRedisTokenStore({ client: await connect(), encryptionKeys: [KEY_A] }));
    const key = freshKey();
    const token = await issueToken();
    expect(await store.set(key, token, { ttlMs: 60_000 })).toBe(true);
    const back = await store.get(key);
    expect(back && serializeToken(back)).toBe(serializeToken(token));
    const value = await server.cli("get", `tokenkit:{${key}}:token`);
    expect(value).toMatch(/^tk1\.[0-9a-f]{16}\./);
    expect(value).not.toContain(token.accessToken);
    const ttl = Number(await server.cli("pttl", `tokenkit:{${key}}:token`));
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("rotates keys: the first key encrypts, every key decrypts; a store without the key reads nothing", async () => {
    const client = await connect();
    const old = track(createRedisTokenStore({ client, encryptionKeys: [KEY_A] }));
    const rotated = track(createRedisTokenStore({ client, encryptionKeys: [KEY_B, KEY_A] }));
    const key = freshKey();
    const token = await issueToken();
    await old.set(key, token, { ttlMs: 60_000 });
    expect((await rotated.get(key))?.accessToken).toBe(token.accessToken);
    await rotated.set(key, token, { ttlMs: 60_000 });
    expect(await old.get(key)).toBeUndefined();
    expect((await rotated.get(key))?.accessToken).toBe(token.accessToken);
  });

  it("ignores entries it cannot read: tampered, foreign, plaintext under keys, sealed for another key name", async () => {
    const store = track(createRedisTokenStore({ client: await connect(), encryptionKeys: [KEY_A] }));
    const key = freshKey();
    const name = `tokenkit:{${key}}:token`;
    await store.set(key, await issueToken(), { ttlMs: 60_000 });
    const sealed = (await server.cli("get", name)).trim();
    await server.cli("set", name, `${sealed.slice(0, -2)}AA`);
    expect(await store.get(key)).toBeUndefined();
    await server.cli("set", name, "not a token at all");
    expect(await store.get(key)).toBeUndefined();
    await server.cli("set", name, serializeToken(await issueToken()));
    expect(await store.get(key)).toBeUndefined();
    // A value copied from another credential's key does not open here (the key name is bound in).
    const other = freshKey();
    await store.set(other, await issueToken(), { ttlMs: 60_000 });
    await server.cli("set", name, (await server.cli("get", `tokenkit:{${other}}:token`)).trim());
    expect(await store.get(key)).toBeUndefined();
  });

  it("stores plaintext only with encryptionKeys: false, and an encrypting store ignores such entries", async () => {
    const client = await connect();
    const plain = track(createRedisTokenStore({ client, encryptionKeys: false, keyPrefix: "plain:" }));
    const key = freshKey();
    const token = await issueToken();
    await plain.set(key, token, { ttlMs: 60_000 });
    expect((await server.cli("get", `plain:{${key}}:token`)).trim()).toBe(serializeToken(token));
    expect((await plain.get(key))?.accessToken).toBe(token.accessToken);
    const sealed = track(createRedisTokenStore({ client, encryptionKeys: [KEY_A], keyPrefix: "plain:" }));
    expect(await sealed.get(key)).toBeUndefined();
    await server.cli("del", `plain:{${key}}:token`);
  });

  it("refuses bad options with a TypeError that never echoes a key", async () => {
    const client = await connect();
    const secretKey = "c2VjcmV0LWtleS10aGF0LWlzLXRvby1zaG9ydA==";
    const attempts: [unknown, RegExp][] = [
      [{ client }, /option "encryptionKeys" is required/],
      [{ client, encryptionKeys: [] }, /option "encryptionKeys" must be a non-empty array/],
      [{ client, encryptionKeys: [secretKey] }, /option "encryptionKeys\[0\]" must be a 32-byte AES-256 key .*received a string/],
      [{ client, encryptionKeys: [new Uint8Array(16)] }, /received 16 bytes/],
      [{ client: {}, encryptionKeys: false }, /option "client" must be a connected node-redis v5 client/],
      [{ client, encryptionKeys: false, keyPrefix: "a{b}" }, /option "keyPrefix"/],
    ];
    for (const [options, message] of attempts) {
      let error: (Error & { code?: string }) | undefined;
      try {
        createRedisTokenStore(options as never);
      } catch (caught) {
        error = caught as Error & { code?: string };
      }
      expect(error).toBeInstanceOf(TypeError);
      expect(error?.code).toBe("ERR_INVALID_OPTION");
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain(secretKey);
    }
  });

  it("grants a lease to one owner at a time; it lapses by itself, and only its owner releases it", async () => {
    const store = track(createRedisTokenStore({ client: await connect(), encryptionKeys: [KEY_A] }));
    const key = freshKey();
    const leases = await Promise.all(Array.from({ length: 20 }, () => store.acquire(key, 150)));
    const held = leases.filter((lease) => lease !== undefined);
    expect(held).toHaveLength(1);
    await store.release({ ...held[0]!, owner: "someone-else" });
    expect(await store.acquire(key, 150)).toBeUndefined();
    await sleep(200);
    const next = await store.acquire(key, 10_000);
    expect(next).toBeDefined();
    await store.release(next!);
    expect(await store.acquire(key, 10_000)).toBeDefined();
  });

  it("a holder whose lease lapsed cannot overwrite the newer token (checked in one Lua script)", async () => {
    const store = track(createRedisTokenStore({ client: await connect(), encryptionKeys: [KEY_A] }));
    const key = freshKey();
    const stale = (await store.acquire(key, 100))!;
    await sleep(150);
    const fresh = (await store.acquire(key, 10_000))!;
    const newer = await issueToken();
    expect(await store.set(key, newer, { ttlMs: 60_000, lease: fresh })).toBe(true);
    await store.release(fresh);
    expect(await store.set(key, await issueToken(), { ttlMs: 60_000, lease: stale })).toBe(false);
    expect((await store.get(key))?.accessToken).toBe(newer.accessToken);
    // A stale release does not free someone else's lease either.
    const third = (await store.acquire(key, 10_000))!;
    await store.release(stale);
    expect(await store.acquire(key, 10_000)).toBeUndefined();
    await store.release(third);
  });

  it("notifies subscribers of writes and deletes, over a connection of its own", async () => {
    const client = await connect();
    const store = track(createRedisTokenStore({ client, encryptionKeys: [KEY_A] }));
    const key = freshKey();
    let heard = 0;
    const unsubscribe = await store.subscribe!(key, () => (heard += 1));
    await store.set(key, await issueToken(), { ttlMs: 60_000 });
    await expect.poll(() => heard).toBe(1);
    await store.delete(key);
    await expect.poll(() => heard).toBe(2);
    expect(await store.get(key)).toBeUndefined();
    unsubscribe();
    // The caller's connection still runs commands: the store subscribed on a duplicate.
    expect(await client.ping()).toBe("PONG");
  });

  it("token sources in separate connections share one issue call, refresh once, and a revoke reaches them all", async () => {
    sandbox.resetRequestCounts();
    const sources = await Promise.all(
      Array.from({ length: 4 }, async () => createTokenSource(sftpgoClient(), { store: track(createRedisTokenStore({ client: await connect(), encryptionKeys: [KEY_A] })) })),
    );
    const tokens = await Promise.all(sources.flatMap((source) => Array.from({ length: 250 }, () => source.getToken())));
    tokens.forEach(remember);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    await sources[0]!.revoke();
    expect(sandbox.requestCount("sftpgo", "logout")).toBe(1);
    // Every other source drops the revoked token when the store tells it.
    for (const source of sources.slice(1)) await expect.poll(async () => remember(await source.getToken()).accessToken).not.toBe(tokens[0]!.accessToken);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(2);
  });

  it("a wrong encryption key means a re-issue, never a crash", async () => {
    sandbox.resetRequestCounts();
    const client = await connect();
    const writer = createTokenSource(sftpgoClient(), { store: track(createRedisTokenStore({ client, encryptionKeys: [KEY_A], keyPrefix: "wrongkey:" })) });
    const first = remember(await writer.getToken());
    const reader = createTokenSource(sftpgoClient(), { store: track(createRedisTokenStore({ client, encryptionKeys: [KEY_B], keyPrefix: "wrongkey:" })) });
    const second = remember(await reader.getToken());
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(2);
  });
});

describe("createRedisTokenStore on a real 3-master Redis Cluster", NEEDS_REDIS, () => {
  it("keeps a credential's token, lease and channel in one hash slot", async () => {
    const store = track(createRedisTokenStore({ client: await connectCluster(), encryptionKeys: [KEY_A] }));
    const key = freshKey();
    const slots = await Promise.all(["token", "lease", "changed"].map((suffix) => cluster.nodes[0]!.cli("cluster", "keyslot", `tokenkit:{${key}}:${suffix}`)));
    expect(new Set(slots).size).toBe(1);
    const lease = (await store.acquire(key, 10_000))!;
    const token = await issueToken();
    // Lua over two keys only runs when both are in one slot: this would fail with CROSSSLOT otherwise.
    expect(await store.set(key, token, { ttlMs: 60_000, lease })).toBe(true);
    await store.release(lease);
    expect((await store.get(key))?.accessToken).toBe(token.accessToken);
  });

  it("token sources on separate cluster connections share one issue call", async () => {
    sandbox.resetRequestCounts();
    const sources = await Promise.all(
      Array.from({ length: 3 }, async () => createTokenSource(sftpgoClient(), { store: track(createRedisTokenStore({ client: await connectCluster(), encryptionKeys: [KEY_A] })) })),
    );
    const tokens = await Promise.all(sources.flatMap((source) => Array.from({ length: 200 }, () => source.getToken())));
    tokens.forEach(remember);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it("notifies subscribers through the cluster", async () => {
    const store = track(createRedisTokenStore({ client: await connectCluster(), encryptionKeys: [KEY_A] }));
    const writer = track(createRedisTokenStore({ client: await connectCluster(), encryptionKeys: [KEY_A] }));
    const key = freshKey();
    let heard = 0;
    await store.subscribe!(key, () => (heard += 1));
    await writer.set(key, await issueToken(), { ttlMs: 60_000 });
    await expect.poll(() => heard).toBe(1);
  });
});

describe("secret scan", NEEDS_REDIS, () => {
  it("no credential and no plaintext access token in any Redis key or value, event or error", async () => {
    expect(secrets.size).toBeGreaterThan(3);
    const forbidden = [...secrets, sandbox.credentials.sftpgo.password];
    const dumps = [await dumpKeyspace(server), ...(await Promise.all(cluster.nodes.map(dumpKeyspace)))].join("\n");
    expect(dumps).toContain("tokenkit:{sftpgo:");
    const printedEvents = JSON.stringify(events);
    expect(events.some((event) => event.type === "cached")).toBe(true);
    for (const secret of forbidden) {
      expect(dumps.includes(secret), "a secret in Redis").toBe(false);
      expect(printedEvents.includes(secret), "a secret in an event").toBe(false);
    }
  });
});

// Keeps TokenStore's type honest for this package: a RedisTokenStore is one.
export type Check = ReturnType<typeof createRedisTokenStore> extends TokenStore ? true : never;
