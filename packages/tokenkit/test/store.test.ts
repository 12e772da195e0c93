import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { createMemoryTokenStore, createTokenClient, createTokenSource, type TokenEvent, type TokenStore } from "../src/index.js";
import { json, stubFetch } from "./helpers.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.resetRequestCounts());

const T0 = Date.parse("2030-01-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** A sandbox SFTPGo client that records its events. */
function sftpgo() {
  const events: TokenEvent[] = [];
  const client = createTokenClient("sftpgo", { ...sandbox.clientOptions("sftpgo"), onEvent: (event) => events.push(event) });
  return { client, events };
}

/** A store whose every call rejects (or never settles), as a Redis that is down or hung would. */
function brokenStore(mode: "reject" | "hang"): TokenStore & { calls: number } {
  const state = { calls: 0 };
  const fail = () => {
    state.calls += 1;
    return mode === "reject" ? Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:6379")) : new Promise<never>(() => {});
  };
  return Object.assign(state, { get: fail, set: fail, delete: fail, acquire: fail, release: fail });
}

/** A store that works or fails as `broken.on` says. */
function switchableStore() {
  const inner = createMemoryTokenStore();
  const broken = { on: false };
  const wrap =
    <A extends unknown[], R>(method: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      broken.on ? Promise.reject(new Error("store down")) : method(...args);
  const store: TokenStore = {
    get: wrap(inner.get),
    set: wrap(inner.set),
    delete: wrap(inner.delete),
    acquire: wrap(inner.acquire),
    release: wrap(inner.release),
  };
  return { store, broken, inner };
}

describe("createTokenSource with a store", () => {
  it("shares one issue call between sources of one credential (4 sources × 500 concurrent callers)", async () => {
    const store = createMemoryTokenStore();
    const sources = Array.from({ length: 4 }, () => createTokenSource(sftpgo().client, { store }));
    const tokens = await Promise.all(sources.flatMap((source) => Array.from({ length: 500 }, () => source.getToken())));
    expect(sandbox.requestCount("sftpgo")).toBe(1);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
  });

  it("keeps the cached path in front of the store: the same resolved promise, no store call", async () => {
    let gets = 0;
    const inner = createMemoryTokenStore();
    const store: TokenStore = { ...inner, get: (key) => ((gets += 1), inner.get(key)) };
    const source = createTokenSource(sftpgo().client, { store });
    await source.getToken();
    const before = gets;
    expect(source.getToken()).toBe(source.getToken());
    expect(gets).toBe(before);
  });

  it("emits cached events: from the store when adopting another source's token, then from memory", async () => {
    const store = createMemoryTokenStore();
    await createTokenSource(sftpgo().client, { store }).getToken();
    const { client, events } = sftpgo();
    const source = createTokenSource(client, { store });
    await source.getToken();
    await source.getToken();
    const cached = events.filter((event) => event.type === "cached");
    expect(cached.map((event) => event.type === "cached" && event.from)).toEqual(["store", "memory"]);
    expect(events.some((event) => event.type === "issued")).toBe(false);
    expect(sandbox.requestCount("sftpgo")).toBe(1);
  });

  it("refreshes ahead exactly once for all sources, which keep serving the valid token meanwhile", async () => {
    const clock = { now: T0 };
    let issued = 0;
    const fetch = stubFetch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      issued += 1;
      return json({ access_token: `token-${issued}`, expires_at: iso(clock.now + 10 * 60_000) });
    });
    const store = createMemoryTokenStore({ now: () => clock.now });
    const sources = Array.from({ length: 3 }, () =>
      createTokenSource(createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" }, fetch, retry: false }), {
        store,
        now: () => clock.now,
        refreshWindowMs: 60_000,
      }),
    );
    await Promise.all(sources.map((source) => source.getToken()));
    expect(issued).toBe(1);
    clock.now += 9.5 * 60_000; // inside the window
    const served = await Promise.all(sources.flatMap((source) => [source.getToken(), source.getToken()]));
    expect(served.every((token) => token.accessToken === "token-1")).toBe(true);
    await expect.poll(async () => (await Promise.all(sources.map((s) => s.getToken()))).map((t) => t.accessToken)).toEqual(["token-2", "token-2", "token-2"]);
    expect(issued).toBe(2);
  });

  it("waits for the lease holder, and takes over when its lease lapses (the holder died)", async () => {
    const store = createMemoryTokenStore();
    const { client } = sftpgo();
    const source = createTokenSource(client, { store, leaseMs: 300 });
    const key = `sftpgo:${await hashIdentity(client)}`;
    // A process that took the lease and died: nobody will release it.
    expect(await store.acquire(key, 300)).toBeDefined();
    const started = Date.now();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => source.getToken()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(new Set(tokens.map((token) => token.accessToken)).size).toBe(1);
    expect(sandbox.requestCount("sftpgo")).toBe(1);
    expect((await store.get(key))?.accessToken).toBe(tokens[0]?.accessToken);
  });

  it.each(["reject", "hang"] as const)("issues locally when every store call %ss, and reports store-fallback (no secret in it)", async (mode) => {
    const store = brokenStore(mode);
    const { client, events } = sftpgo();
    const source = createTokenSource(client, { store, storeTimeoutMs: 50 });
    const token = await source.getToken();
    expect(token.accessToken).toEqual(expect.any(String));
    expect(sandbox.requestCount("sftpgo")).toBe(1);
    const fallbacks = events.filter((event) => event.type === "store-fallback");
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatchObject({ reason: mode === "reject" ? expect.stringMatching(/store key|store get/) : expect.stringContaining("took longer than 50 ms") });
    const printed = JSON.stringify(events);
    expect(printed).not.toContain(token.accessToken);
    expect(printed).not.toContain(sandbox.credentials.sftpgo.password);
  });

  it("shares again when the store is back", async () => {
    const { store, broken, inner } = switchableStore();
    broken.on = true;
    const first = createTokenSource(sftpgo().client, { store });
    await first.getToken();
    broken.on = false;
    const second = createTokenSource(sftpgo().client, { store });
    const third = createTokenSource(sftpgo().client, { store });
    const [a, b] = await Promise.all([second.getToken(), third.getToken()]);
    expect(a.accessToken).toBe(b.accessToken);
    expect(sandbox.requestCount("sftpgo")).toBe(2); // one while the store was down, one shared
    expect(inner).toBeDefined();
  });

  it("revoke() removes the token from the store and from other sources, and revokes it at the vendor", async () => {
    const store = createMemoryTokenStore();
    const one = createTokenSource(sftpgo().client, { store });
    const two = createTokenSource(sftpgo().client, { store });
    const token = await one.getToken();
    expect((await two.getToken()).accessToken).toBe(token.accessToken);
    await one.revoke();
    expect(sandbox.requestCount("sftpgo", "logout")).toBe(1);
    // `two` was told by the store's notification and no longer serves the revoked token.
    await expect.poll(async () => (await two.getToken()).accessToken).not.toBe(token.accessToken);
    expect((await one.getToken()).accessToken).toBe((await two.getToken()).accessToken);
  });

  it("invalidate() does not adopt the store's copy of the refused token again", async () => {
    const store = createMemoryTokenStore();
    const one = createTokenSource(sftpgo().client, { store });
    const token = await one.getToken();
    one.invalidate(token);
    const next = await one.getToken();
    expect(next.accessToken).not.toBe(token.accessToken);
    expect((await createTokenSource(sftpgo().client, { store }).getToken()).accessToken).toBe(next.accessToken);
  });
});

describe("createTokenSource never hands out an expired token", () => {
  it("rejects a vendor answer that has already expired with invalid_response", async () => {
    const fetch = stubFetch(() => json({ access_token: "old-token-value", expires_at: iso(Date.now() - 5_000) }));
    const client = createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" }, fetch, retry: false });
    const source = createTokenSource(client);
    const error = await source.getToken().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "invalid_response", operation: "issue" });
    expect(String((error as Error).message)).toMatch(/already expired/);
    expect(String((error as Error).message)).not.toContain("old-token-value");
    // Never cached: the next call asks again.
    await source.getToken().catch(() => {});
    expect(fetch.seen).toHaveLength(2);
  });

  it("re-issues instead of serving a token past its expiry", async () => {
    const clock = { now: T0 };
    let issued = 0;
    const fetch = stubFetch(() => json({ access_token: `token-${(issued += 1)}`, expires_at: iso(clock.now + 60_000) }));
    const client = createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" }, fetch, retry: false });
    const source = createTokenSource(client, { now: () => clock.now, refreshWindowMs: 0 });
    expect((await source.getToken()).accessToken).toBe("token-1");
    clock.now += 60_000;
    expect((await source.getToken()).accessToken).toBe("token-2");
  });
});

/** The store key a source derives: SHA-256 of the client's secret-free identity. */
async function hashIdentity(client: object): Promise<string> {
  const internals = (client as Record<symbol, { identity(): Promise<string> }>)[Symbol.for("tokenkit.internal")]!;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(await internals.identity()));
  return Buffer.from(digest).toString("hex");
}

describe("types", () => {
  it("takes a TokenStore, and only one", () => {
    const client = createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" } });
    expectTypeOf(createTokenSource(client, { store: createMemoryTokenStore() }).revoke).returns.resolves.toBeVoid();
    // @ts-expect-error: a Map is not a TokenStore
    expect(() => createTokenSource(client, { store: new Map() })).toThrow(/option "store" must be a TokenStore/);
  });
});
