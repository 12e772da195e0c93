import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, call, createFakeClock, jsonInit, startTestSandbox, type FakeClock } from "./helpers.js";

describe("genesys", () => {
  let sandbox: Sandbox;
  let clock: FakeClock;
  let api: string;
  let tokenUrl: string;
  let client: string;

  beforeAll(async () => {
    clock = createFakeClock();
    sandbox = await startTestSandbox({ now: clock.now });
    api = `${sandbox.baseUrls.genesys}/api/v2/tokens`;
    tokenUrl = `${sandbox.genesysLoginUrl}/oauth/token`;
    client = basic(sandbox.credentials.genesys.clientId, sandbox.credentials.genesys.clientSecret);
  });
  afterAll(() => sandbox.close());

  const form = (body: string, authorization = client): RequestInit => ({
    method: "POST",
    headers: { Authorization: authorization, "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
  const issue = async (): Promise<string> => {
    const reply = await call(tokenUrl, form("grant_type=client_credentials"));
    expect(reply.status, reply.text).toBe(200);
    return reply.body.access_token as string;
  };
  const bearer = (token: string, method = "GET") => ({ method, headers: { Authorization: `Bearer ${token}` } });
  const setIdleTimeout = (token: string, body: unknown) => call(`${api}/timeout`, jsonInit("PUT", body, { Authorization: `Bearer ${token}` }));

  it("issues client-credentials tokens valid for 86400 s", async () => {
    const reply = await call(tokenUrl, form("grant_type=client_credentials"));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 86400 });
    const token = reply.body.access_token as string;
    clock.advance(86_399_000);
    expect((await call(`${api}/me`, bearer(token, "HEAD"))).status).toBe(200);
    clock.advance(1_000);
    expect((await call(`${api}/me`, bearer(token, "HEAD"))).status).toBe(401);
  });

  it("answers OAuth errors on the login host", async () => {
    const wrongSecret = await call(tokenUrl, form("grant_type=client_credentials", basic(sandbox.credentials.genesys.clientId, "hunter2-wrong")));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe("invalid_client");
    expect(wrongSecret.text).not.toContain("hunter2-wrong");
    const missingGrant = await call(tokenUrl, form("scope=x"));
    expect(missingGrant.status).toBe(400);
    expect(missingGrant.body).toEqual({ error: "invalid_request", error_description: 'Body field "grant_type" is required' });
    const otherGrant = await call(tokenUrl, form("grant_type=password"));
    expect(otherGrant.status).toBe(400);
    expect(otherGrant.body.error).toBe("unsupported_grant_type");
    const jsonBody = await call(tokenUrl, jsonInit("POST", { grant_type: "client_credentials" }, { Authorization: client }));
    expect(jsonBody.status).toBe(415);
  });

  it("describes the current token (TokenInfo)", async () => {
    const token = await issue();
    const reply = await call(`${api}/me`, bearer(token));
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      organization: { id: expect.any(String), name: expect.any(String) },
      authorizedScope: expect.any(Array),
      OAuthClient: { id: sandbox.credentials.genesys.clientId, name: expect.any(String), authorizedGrantType: "CLIENT-CREDENTIALS" },
    });
    expect(Date.parse(reply.body.dateTokenIdles)).toBe(clock.now() + 86_400_000);
  });

  it("verifies with HEAD (200/401) and deletes the current token (204, refused afterwards)", async () => {
    const token = await issue();
    const head = await call(`${api}/me`, bearer(token, "HEAD"));
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
    expect((await call(`${api}/me`, bearer(token, "DELETE"))).status).toBe(204);
    expect((await call(`${api}/me`, bearer(token, "HEAD"))).status).toBe(401);
    const info = await call(`${api}/me`, bearer(token));
    expect(info.status).toBe(401);
    expect(info.body).toMatchObject({ status: 401, code: "bad.credentials", message: expect.any(String) });
    const none = await call(`${api}/me`);
    expect(none.body).toMatchObject({ status: 401, code: "authentication.required" });
  });

  it("deletes every token of a user", async () => {
    const [first, second, caller] = [await issue(), await issue(), await issue()];
    const deleted = await call(`${api}/${sandbox.accounts.genesys.userId}`, bearer(caller, "DELETE"));
    expect(deleted.status).toBe(204);
    for (const token of [first, second, caller]) expect((await call(`${api}/me`, bearer(token, "HEAD"))).status).toBe(401);
    const unknown = await call(`${api}/00000000-0000-4000-8000-000000000000`, bearer(await issue(), "DELETE"));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ status: 404, code: "not.found" });
  });

  it("keeps the idle timeout within 300–28800 s (299 gets a 400 ErrorBody)", async () => {
    const token = await issue();
    const current = await call(`${api}/timeout`, bearer(token));
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ idleTokenTimeoutSeconds: expect.any(Number), enableIdleTokenTimeout: false });
    const tooShort = await setIdleTimeout(token, { idleTokenTimeoutSeconds: 299 });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body).toMatchObject({ status: 400, code: "bad.request", message: 'Body field "idleTokenTimeoutSeconds" must be >= 300' });
    expect((await setIdleTimeout(token, { idleTokenTimeoutSeconds: 28_801 })).status).toBe(400);
    const wrongType = await setIdleTimeout(token, { enableIdleTokenTimeout: "yes" });
    expect(wrongType.body.message).toBe('Body field "enableIdleTokenTimeout" must be boolean');
    const ok = await setIdleTimeout(token, { idleTokenTimeoutSeconds: 28_800 });
    expect(ok.status).toBe(200);
    expect(ok.body.idleTokenTimeoutSeconds).toBe(28_800);
  });

  it("expires idle tokens; preserveIdleTTL=true does not reset the idle timer", async () => {
    const admin = await issue();
    expect((await setIdleTimeout(admin, { idleTokenTimeoutSeconds: 300, enableIdleTokenTimeout: true })).status).toBe(200);
    try {
      const token = await issue();
      clock.advance(299_000);
      expect((await call(`${api}/me`, bearer(token, "HEAD"))).status).toBe(200); // resets the idle timer
      clock.advance(200_000);
      const preserved = await call(`${api}/me?preserveIdleTTL=true`, bearer(token));
      expect(preserved.status).toBe(200);
      expect(Date.parse(preserved.body.dateTokenIdles)).toBe(clock.now() + 100_000);
      clock.advance(100_000);
      expect((await call(`${api}/me`, bearer(token, "HEAD"))).status).toBe(401);
    } finally {
      await setIdleTimeout(await issue(), { enableIdleTokenTimeout: false });
    }
  });

  it("serves the OAuth endpoint only on the login host, and the API only on the API host", async () => {
    expect((await call(`${sandbox.baseUrls.genesys}/oauth/token`, form("grant_type=client_credentials"))).status).toBe(404);
    expect((await call(`${sandbox.genesysLoginUrl}/api/v2/tokens/me`, bearer(await issue()))).status).toBe(404);
  });
});
