import { describe, expect, it } from "vitest";
import { ExpiringStore } from "../src/token-store.js";
import { basic, call, createFakeClock, jsonInit, startTestSandbox } from "./helpers.js";

describe("expired entries are purged", () => {
  it("drops every vendor's expired tokens and deny-list entries from memory", async () => {
    const clock = createFakeClock();
    const sandbox = await startTestSandbox({ now: clock.now });
    try {
      const { mindbody, vidispine, sftpgo, genesys, authapi } = sandbox.credentials;
      const genesysClient = basic(genesys.clientId, genesys.clientSecret);
      for (let index = 0; index < 10; index++) {
        await call(
          `${sandbox.baseUrls.mindbody}/public/v6/usertoken/issue`,
          jsonInit("POST", { Username: mindbody.username, Password: mindbody.password }, { "API-Key": mindbody.apiKey, siteId: mindbody.siteId }),
        );
        await call(`${sandbox.baseUrls.vidispine}/API/token`, { headers: { Authorization: basic(vidispine.username, vidispine.password) } });
        await call(`${sandbox.genesysLoginUrl}/oauth/token`, {
          method: "POST",
          headers: { Authorization: genesysClient, "content-type": "application/x-www-form-urlencoded" },
          body: "grant_type=client_credentials",
        });
        await call(
          `${sandbox.baseUrls.authapi}/auth/tokens/long`,
          jsonInit("POST", { grant_type: "client_credentials", client_id: authapi.clientId, client_secret: authapi.clientSecret, ttl_seconds: 3600 }, { "X-Client-Id": authapi.clientId }),
        );
        const jwt = (await call(`${sandbox.baseUrls.sftpgo}/api/v2/token`, { headers: { Authorization: basic(sftpgo.username, sftpgo.password) } })).body.access_token as string;
        await call(`${sandbox.baseUrls.sftpgo}/api/v2/logout`, { headers: { Authorization: `Bearer ${jwt}` } });
      }
      const before = sandbox.stats().storedEntries;
      expect(before).toMatchObject({ mindbody: 10, vidispine: 10, genesys: 10, authapi: 10 });
      expect(before.sftpgo).toBeGreaterThanOrEqual(10); // deny-list entries (+ the rate limiter's bucket)

      clock.advance(2 * 24 * 60 * 60 * 1000);
      await call(`${sandbox.url}/`); // any request sweeps once the sandbox clock has moved on
      expect(sandbox.stats().storedEntries).toEqual({ mindbody: 0, vidispine: 0, sftpgo: 0, genesys: 0, authapi: 0 });
    } finally {
      await sandbox.close();
    }
  });

  it("keeps live entries when sweeping", async () => {
    const clock = createFakeClock();
    const sandbox = await startTestSandbox({ now: clock.now });
    try {
      const { vidispine } = sandbox.credentials;
      await call(`${sandbox.baseUrls.vidispine}/API/token?seconds=10`, { headers: { Authorization: basic(vidispine.username, vidispine.password) } });
      await call(`${sandbox.baseUrls.vidispine}/API/token?seconds=60`, { headers: { Authorization: basic(vidispine.username, vidispine.password) } });
      clock.advance(30_000);
      sandbox.sweep();
      expect(sandbox.stats().storedEntries.vidispine).toBe(1);
    } finally {
      await sandbox.close();
    }
  });
});

describe("ExpiringStore", () => {
  it("refuses and drops dead entries on access, sweeps the rest, and reports drops", () => {
    const dropped: string[] = [];
    const store = new ExpiringStore<{ until: number }>(
      (entry) => entry.until,
      (key) => dropped.push(key),
    );
    store.set("a", { until: 100 });
    store.set("b", { until: 200 });
    store.set("c", { until: 300 });
    expect(store.get("a", 99)).toEqual({ until: 100 });
    expect(store.get("a", 100)).toBeUndefined();
    expect(store.size).toBe(2);
    expect(store.peek("b")).toEqual({ until: 200 });
    expect(store.sweep(250)).toBe(1);
    expect(store.size).toBe(1);
    expect(dropped).toEqual(["a", "b"]);
    expect(store.delete("c")).toBe(true);
    expect(store.size).toBe(0);
  });
});
