import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { call, createFakeClock, jsonInit, startTestSandbox, type FakeClock } from "./helpers.js";

const HOUR = 60 * 60 * 1000;

describe("mindbody", () => {
  let sandbox: Sandbox;
  let clock: FakeClock;
  let base: string;
  let headers: Record<string, string>;

  beforeAll(async () => {
    clock = createFakeClock();
    sandbox = await startTestSandbox({ now: clock.now });
    base = `${sandbox.baseUrls.mindbody}/public/v6/usertoken`;
    headers = { "API-Key": sandbox.credentials.mindbody.apiKey, siteId: sandbox.credentials.mindbody.siteId };
  });
  afterAll(() => sandbox.close());

  const issue = async () => {
    const { username, password } = sandbox.credentials.mindbody;
    const reply = await call(`${base}/issue`, jsonInit("POST", { Username: username, Password: password }, headers));
    expect(reply.status).toBe(200);
    return reply.body as { AccessToken: string; Expires: string; TokenType: string; User: { Type: string } };
  };

  it("issues a 24-hour Bearer token for the staff user", async () => {
    const token = await issue();
    expect(token.TokenType).toBe("Bearer");
    expect(token.User.Type).toBe("Staff");
    expect(Date.parse(token.Expires) - clock.now()).toBe(24 * HOUR);
  });

  it("renews +24 h from the current expiry, 7 times, and refuses the 8th", async () => {
    const token = await issue();
    let expires = Date.parse(token.Expires);
    for (let renewal = 1; renewal <= 7; renewal++) {
      const reply = await call(`${base}/renew`, { method: "POST", headers: { ...headers, Authorization: `Bearer ${token.AccessToken}` } });
      expect(reply.status, `renewal ${renewal}`).toBe(200);
      expect(Date.parse(reply.body.Expires)).toBe(expires + 24 * HOUR);
      expires = Date.parse(reply.body.Expires);
    }
    const eighth = await call(`${base}/renew`, { method: "POST", headers: { ...headers, Authorization: token.AccessToken } });
    expect(eighth.status).toBe(400);
    expect(eighth.body.Error.Message).toMatch(/7 times/);
    expect(typeof eighth.body.Error.Code).toBe("string");
  });

  it("revokes the token in the Authorization header, raw or Bearer, and refuses it afterwards", async () => {
    for (const format of [(t: string) => t, (t: string) => `Bearer ${t}`]) {
      const token = await issue();
      const revoke = await call(`${base}/revoke`, { method: "DELETE", headers: { ...headers, Authorization: format(token.AccessToken) } });
      expect(revoke.status).toBe(200);
      expect(revoke.body).toEqual({});
      const renew = await call(`${base}/renew`, { method: "POST", headers: { ...headers, Authorization: token.AccessToken } });
      expect(renew.status).toBe(401);
      expect(renew.body.Error).toMatchObject({ Code: "DeniedAccess" });
    }
  });

  it("refuses an expired token", async () => {
    const token = await issue();
    clock.advance(24 * HOUR);
    const reply = await call(`${base}/renew`, { method: "POST", headers: { ...headers, Authorization: token.AccessToken } });
    expect(reply.status).toBe(401);
    expect(reply.body.Error.Message).toMatch(/expired/);
  });

  it("checks the API key (401) and the site id (400)", async () => {
    const { username, password } = sandbox.credentials.mindbody;
    const noKey = await call(`${base}/issue`, jsonInit("POST", { Username: username, Password: password }, { siteId: "-99" }));
    expect(noKey.status).toBe(401);
    expect(noKey.body.Error.Message).toMatch(/API-Key/);
    const wrongKey = await call(`${base}/issue`, jsonInit("POST", { Username: username, Password: password }, { ...headers, "API-Key": "nope" }));
    expect(wrongKey.status).toBe(401);
    const wrongSite = await call(`${base}/issue`, jsonInit("POST", { Username: username, Password: password }, { ...headers, siteId: "12345" }));
    expect(wrongSite.status).toBe(400);
    expect(wrongSite.body.Error.Code).toBe("InvalidSiteId");
  });

  it("names a missing siteId header in a 400", async () => {
    const reply = await call(`${base}/issue`, jsonInit("POST", { Username: "a", Password: "b" }, { "API-Key": headers["API-Key"] ?? "" }));
    expect(reply.status).toBe(400);
    expect(reply.body.Error.Message).toContain('"siteId"');
  });

  it("refuses wrong or missing user credentials without echoing them", async () => {
    const wrong = await call(`${base}/issue`, jsonInit("POST", { Username: "sandbox.staff", Password: "hunter2-wrong" }, headers));
    expect(wrong.status).toBe(400);
    expect(wrong.body.Error.Code).toBe("InvalidUserCredentials");
    expect(wrong.text).not.toContain("hunter2-wrong");
    const missing = await call(`${base}/issue`, jsonInit("POST", { Username: "sandbox.staff" }, headers));
    expect(missing.status).toBe(400);
    expect(missing.body.Error.Message).toContain("Password");
  });

  it("names a body field of the wrong type", async () => {
    const reply = await call(`${base}/issue`, jsonInit("POST", { Username: "sandbox.staff", Password: 1234 }, headers));
    expect(reply.status).toBe(400);
    expect(reply.body.Error.Message).toBe('Body field "Password" must be string');
  });

  it("answers 404 for another API version", async () => {
    const reply = await call(`${sandbox.baseUrls.mindbody}/public/v5/usertoken/issue`, jsonInit("POST", { Username: "a", Password: "b" }, headers));
    expect(reply.status).toBe(404);
  });
});
