import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, startTestSandbox } from "./helpers.js";

const TOTAL = 10_000;
const IN_FLIGHT = 50;

describe("load", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  it(`serves ${TOTAL} requests with ${IN_FLIGHT} in flight without an error`, { timeout: 180_000 }, async () => {
    const { mindbody, vidispine, sftpgo, genesys, authapi } = sandbox.credentials;
    const genesysToken = ((await (
      await fetch(`${sandbox.genesysLoginUrl}/oauth/token`, {
        method: "POST",
        headers: { Authorization: basic(genesys.clientId, genesys.clientSecret), "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      })
    ).json()) as { access_token: string }).access_token;
    const longToken = ((await (
      await fetch(`${sandbox.baseUrls.authapi}/auth/tokens/long`, {
        method: "POST",
        headers: { "X-Client-Id": authapi.clientId, "content-type": "application/json" },
        body: JSON.stringify({ grant_type: "client_credentials", client_id: authapi.clientId, client_secret: authapi.clientSecret }),
      })
    ).json()) as { access_token: string }).access_token;

    // One request of each vendor's main operation, in rotation.
    const requests: (() => [string, RequestInit])[] = [
      () => [
        `${sandbox.baseUrls.mindbody}/public/v6/usertoken/issue`,
        {
          method: "POST",
          headers: { "API-Key": mindbody.apiKey, siteId: mindbody.siteId, "content-type": "application/json" },
          body: JSON.stringify({ Username: mindbody.username, Password: mindbody.password }),
        },
      ],
      () => [`${sandbox.baseUrls.vidispine}/API/token?seconds=30`, { headers: { Authorization: basic(vidispine.username, vidispine.password) } }],
      () => [`${sandbox.baseUrls.sftpgo}/api/v2/user/token`, { headers: { Authorization: basic(sftpgo.username, sftpgo.password) } }],
      () => [`${sandbox.baseUrls.genesys}/api/v2/tokens/me`, { headers: { Authorization: `Bearer ${genesysToken}` } }],
      () => [`${sandbox.baseUrls.authapi}/auth/tokens/short`, { method: "POST", headers: { Authorization: `Bearer ${longToken}` } }],
    ];

    const latencies: number[] = [];
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < TOTAL) {
        const index = next++;
        const [url, init] = (requests[index % requests.length] as () => [string, RequestInit])();
        const started = performance.now();
        try {
          const response = await fetch(url, init);
          await response.arrayBuffer();
          if (!response.ok) failures.push(`${init.method ?? "GET"} ${url} → ${response.status}`);
        } catch (error) {
          failures.push(`${url} → ${(error as Error).message}`);
        }
        latencies.push(performance.now() - started);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const seconds = (performance.now() - started) / 1000;

    latencies.sort((a, b) => a - b);
    const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
    console.log(
      `sandbox load: ${latencies.length} requests, ${IN_FLIGHT} in flight, ${(latencies.length / seconds).toFixed(0)} req/s, ` +
        `p50 ${percentile(50).toFixed(1)} ms, p99 ${percentile(99).toFixed(1)} ms, ${failures.length} errors`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(latencies).toHaveLength(TOTAL);
  });
});
