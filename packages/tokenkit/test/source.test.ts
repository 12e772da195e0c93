import { describe, expect, it } from "vitest";
import { createTokenClient, createTokenSource, TokenError } from "../src/index.js";
import { json, stubFetch } from "./helpers.js";

const T0 = Date.parse("2030-01-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/** An SFTPGo stub whose tokens expire `lifetimeMs` after the fake clock's current time. */
function sftpgo(clock: { now: number }, lifetimeMs = 20 * 60_000, fail?: (index: number) => boolean) {
  let issued = 0;
  const fetch = stubFetch(async (_request, index) => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (fail?.(index)) return json({ message: "Internal Server Error" }, 500);
    issued += 1;
    return json({ access_token: `token-${issued}`, expires_at: iso(clock.now + lifetimeMs) });
  });
  const client = createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" }, fetch, retry: false });
  return { client, fetch };
}

/** A Mindbody stub: issue and renew (renew answers per `renew`). */
function mindbody(clock: { now: number }, renew: (index: number) => Response | undefined = () => undefined) {
  let n = 0;
  const fetch = stubFetch((request, index) => {
    const renewed = request.url.endsWith("/renew") ? renew(index) : undefined;
    if (renewed) return renewed;
    n += 1;
    return json({ TokenType: "Bearer", AccessToken: `mb-${n}`, Expires: iso(clock.now + 24 * 3_600_000) });
  });
  const client = createTokenClient("mindbody", {
    baseUrl: "https://mb.test",
    credentials: { apiKey: "k", siteId: "-99", username: "u", password: "p" },
    fetch,
    retry: false,
  });
  return { client, fetch };
}

describe("createTokenSource", () => {
  it("makes exactly one upstream call for 10,000 concurrent getToken() calls on a cold cache", async () => {
    const clock = { now: T0 };
    const { client, fetch } = sftpgo(clock);
    const source = createTokenSource(client, { now: () => clock.now });
    const tokens = await Promise.all(Array.from({ length: 10_000 }, () => source.getToken()));
    expect(fetch.seen).toHaveLength(1);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]?.accessToken).toBe("token-1");
  });

  it("serves the cached token from the same resolved promise (no allocation per call)", async () => {
    const clock = { now: T0 };
    const { client } = sftpgo(clock);
    const source = createTokenSource(client, { now: () => clock.now });
    await source.getToken();
    expect(source.getToken()).toBe(source.getToken());
  });

  it("never caches a failure: the next call tries again", async () => {
    const clock = { now: T0 };
    const { client, fetch } = sftpgo(clock, undefined, (index) => index === 0);
    const source = createTokenSource(client, { now: () => clock.now });
    const results = await Promise.allSettled([source.getToken(), source.getToken(), source.getToken()]);
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(TokenError);
    expect(fetch.seen).toHaveLength(1);
    expect((await source.getToken()).accessToken).toBe("token-1");
    expect(fetch.seen).toHaveLength(2);
  });

  it("refreshes ahead of expiry on a fake clock, in the background, and reissues after expiry", async () => {
    const clock = { now: T0 };
    const { client, fetch } = sftpgo(clock, 10 * 60_000);
    const source = createTokenSource(client, { now: () => clock.now, refreshWindowMs: 60_000 });
    const first = await source.getToken();
    clock.now += 8 * 60_000; // 2 minutes left: outside the 1-minute window
    expect(await source.getToken()).toBe(first);
    expect(fetch.seen).toHaveLength(1);
    clock.now += 90_000; // 30 s left: inside the window
    expect(await source.getToken()).toBe(first); // old token served while the refresh runs
    await expect.poll(() => fetch.seen.length).toBe(2);
    await expect.poll(async () => (await source.getToken()).accessToken).toBe("token-2");
    clock.now += 11 * 60_000; // past token-2's expiry: callers wait for a new one
    expect((await source.getToken()).accessToken).toBe("token-3");
  });

  it("treats tokens as expiring clockSkewMs early", async () => {
    const clock = { now: T0 };
    const { client } = sftpgo(clock, 10 * 60_000);
    const source = createTokenSource(client, { now: () => clock.now, refreshWindowMs: 0, clockSkewMs: 60_000 });
    await source.getToken();
    clock.now += 9 * 60_000 + 1; // 59.999 s before expiry: expired under the skew
    expect((await source.getToken()).accessToken).toBe("token-2");
  });

  it("caps the refresh window at half the remaining lifetime (Vidispine's 60 s tokens)", async () => {
    const clock = { now: T0 };
    const { client, fetch } = sftpgo(clock, 60_000);
    const source = createTokenSource(client, { now: () => clock.now }); // window 120 s > lifetime
    await source.getToken();
    clock.now += 29_000;
    await source.getToken();
    expect(fetch.seen).toHaveLength(1);
    clock.now += 2_000; // past half-life: background refresh
    await source.getToken();
    await expect.poll(() => fetch.seen.length).toBe(2);
  });

  it("keeps serving the old token while it is valid when a refresh fails, and retries on the next call", async () => {
    const clock = { now: T0 };
    const { client, fetch } = sftpgo(clock, 10 * 60_000, (index) => index === 1 || index === 2);
    const source = createTokenSource(client, { now: () => clock.now, refreshWindowMs: 60_000 });
    const first = await source.getToken();
    clock.now += 9.5 * 60_000;
    expect(await source.getToken()).toBe(first); // starts refresh #1 (fails)
    await expect.poll(() => fetch.seen.length).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await source.getToken()).toBe(first); // starts refresh #2 (fails)
    await expect.poll(() => fetch.seen.length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await source.getToken()).toBe(first); // refresh #3 succeeds
    await expect.poll(async () => (await source.getToken()).accessToken).toBe("token-2");
  });

  it("surfaces the failure once the old token has expired", async () => {
    const clock = { now: T0 };
    const { client } = sftpgo(clock, 10 * 60_000, (index) => index > 0);
    const source = createTokenSource(client, { now: () => clock.now });
    await source.getToken();
    clock.now += 10 * 60_000;
    await expect(source.getToken()).rejects.toMatchObject({ code: "server_error" });
  });

  it("refreshes with renew where the vendor supports it", async () => {
    const clock = { now: T0 };
    const { client, fetch } = mindbody(clock, () => json({ TokenType: "Bearer", AccessToken: "mb-renewed", Expires: iso(clock.now + 48 * 3_600_000) }));
    const source = createTokenSource(client, { now: () => clock.now });
    const first = await source.getToken();
    clock.now += 24 * 3_600_000 - 60_000;
    expect(await source.getToken()).toBe(first);
    await expect.poll(async () => (await source.getToken()).accessToken).toBe("mb-renewed");
    expect(fetch.seen.map((r) => r.url.split("/").pop())).toEqual(["issue", "renew"]);
    expect(fetch.seen[1]?.headers.authorization).toBe("Bearer mb-1");
  });

  it("falls back to issue when renew is refused (unauthorized / invalid)", async () => {
    for (const refusal of [json({ Error: { Code: "InvalidToken", Message: "renew limit" } }, 400), json({}, 401)]) {
      const clock = { now: T0 };
      const { client, fetch } = mindbody(clock, () => refusal.clone());
      const source = createTokenSource(client, { now: () => clock.now });
      await source.getToken();
      clock.now += 24 * 3_600_000 - 60_000;
      await source.getToken();
      await expect.poll(async () => (await source.getToken()).accessToken).toBe("mb-2");
      expect(fetch.seen.map((r) => r.url.split("/").pop())).toEqual(["issue", "renew", "issue"]);
    }
  });

  it("does not fall back to issue when renew fails for a transient reason", async () => {
    const clock = { now: T0 };
    const { client, fetch } = mindbody(clock, () => json({}, 503));
    const source = createTokenSource(client, { now: () => clock.now });
    const first = await source.getToken();
    clock.now += 24 * 3_600_000 - 60_000;
    expect(await source.getToken()).toBe(first);
    await expect.poll(() => fetch.seen.length).toBe(2);
    expect(fetch.seen.map((r) => r.url.split("/").pop())).toEqual(["issue", "renew"]);
  });

  it("issues instead of renewing once the cached token has expired", async () => {
    const clock = { now: T0 };
    const { client, fetch } = mindbody(clock);
    const source = createTokenSource(client, { now: () => clock.now });
    await source.getToken();
    clock.now += 25 * 3_600_000;
    await source.getToken();
    expect(fetch.seen.map((r) => r.url.split("/").pop())).toEqual(["issue", "issue"]);
  });

  it("keeps tokens without an expiry until invalidated; invalidate(other) is a no-op", async () => {
    let n = 0;
    const fetch = stubFetch(() => json({ access_token: `t-${++n}` }));
    const client = createTokenClient("sftpgo", { baseUrl: "https://s.test", credentials: { username: "u", password: "p" }, fetch });
    const clock = { now: T0 };
    const source = createTokenSource(client, { now: () => clock.now });
    const first = await source.getToken();
    expect(first.expiresAt).toBeUndefined();
    clock.now += 365 * 24 * 3_600_000;
    expect(await source.getToken()).toBe(first);
    source.invalidate({ ...first });
    expect(await source.getToken()).toBe(first);
    source.invalidate(first);
    expect((await source.getToken()).accessToken).toBe("t-2");
    source.invalidate();
    expect((await source.getToken()).accessToken).toBe("t-3");
  });

  it("checks its arguments", () => {
    expect(() => createTokenSource({ vendor: "sftpgo", capabilities: { issue: true, renew: false, revoke: false, introspect: false }, issue: async () => ({}) as never })).toThrow(
      expect.objectContaining({ code: "invalid_argument", operation: "createTokenSource" }),
    );
    const { client } = sftpgo({ now: T0 });
    expect(() => createTokenSource(client, { refreshWindowMs: -1 })).toThrow(/refreshWindowMs/);
    expect(() => createTokenSource(client, { clockSkewMs: 1.5 })).toThrow(/clockSkewMs/);
    expect(() => createTokenSource(client, { now: 5 as never })).toThrow(/now/);
  });
});
