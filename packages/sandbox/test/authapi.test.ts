import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { call, createFakeClock, jsonInit, startTestSandbox, type FakeClock } from "./helpers.js";

describe("authapi", () => {
  let sandbox: Sandbox;
  let clock: FakeClock;
  let api: string;

  beforeAll(async () => {
    clock = createFakeClock();
    sandbox = await startTestSandbox({ now: clock.now });
    api = `${sandbox.baseUrls.authapi}/auth/tokens`;
  });
  afterAll(() => sandbox.close());

  const longRequest = (extra: Record<string, unknown> = {}) => ({
    grant_type: "client_credentials",
    client_id: sandbox.credentials.authapi.clientId,
    client_secret: sandbox.credentials.authapi.clientSecret,
    ...extra,
  });
  const issueLong = async (extra: Record<string, unknown> = {}) => {
    const reply = await call(`${api}/long`, jsonInit("POST", longRequest(extra), { "X-Client-Id": sandbox.credentials.authapi.clientId }));
    expect(reply.status, reply.text).toBe(201);
    return reply;
  };
  const issueShort = (longToken: string, body?: unknown) =>
    call(`${api}/short`, body === undefined ? { method: "POST", headers: { Authorization: `Bearer ${longToken}` } } : jsonInit("POST", body, { Authorization: `Bearer ${longToken}` }));
  const revoke = (tokenId: string, callerToken: string) => call(`${api}/${tokenId}/revoke`, { method: "POST", headers: { Authorization: `Bearer ${callerToken}` } });

  it("issues a long-term token (30 days by default) with X-Token-Id", async () => {
    const reply = await issueLong();
    expect(reply.headers.get("x-token-id")).toBe(reply.body.token_id);
    expect(reply.body).toMatchObject({ token_type: "Bearer", expires_in: 30 * 86_400, scopes: expect.arrayContaining(["tokens:revoke"]) });
    expect(Date.parse(reply.body.expires_at)).toBe(clock.now() + 30 * 86_400_000);
    expect((await issueLong({ ttl_seconds: 3600 })).body.expires_in).toBe(3600);
  });

  it("keeps ttl_seconds within 3600–7776000 and refuses unknown fields, naming them", async () => {
    const headers = { "X-Client-Id": sandbox.credentials.authapi.clientId };
    const tooShort = await call(`${api}/long`, jsonInit("POST", longRequest({ ttl_seconds: 3599 }), headers));
    expect(tooShort.status).toBe(400);
    expect(tooShort.body).toEqual({ code: "invalid_request", message: 'Body field "ttl_seconds" must be >= 3600' });
    const tooLong = await call(`${api}/long`, jsonInit("POST", longRequest({ ttl_seconds: 7_776_001 }), headers));
    expect(tooLong.body.message).toBe('Body field "ttl_seconds" must be <= 7776000');
    const extra = await call(`${api}/long`, jsonInit("POST", longRequest({ password: "x" }), headers));
    expect(extra.status).toBe(400);
    expect(extra.body.message).toBe('Body field "password" is not allowed');
    const noClient = await call(`${api}/long`, jsonInit("POST", { grant_type: "client_credentials" }, headers));
    expect(noClient.body.message).toBe('Body field "client_id" is required');
  });

  it("checks the client key and the client secret", async () => {
    const noKey = await call(`${api}/long`, jsonInit("POST", longRequest()));
    expect(noKey.status).toBe(401);
    expect(noKey.body.code).toBe("invalid_client");
    const wrongSecret = await call(
      `${api}/long`,
      jsonInit("POST", longRequest({ client_secret: "hunter2-wrong" }), { "X-Client-Id": sandbox.credentials.authapi.clientId }),
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.code).toBe("invalid_grant");
    expect(wrongSecret.text).not.toContain("hunter2-wrong");
    const noSecret = await call(
      `${api}/long`,
      jsonInit("POST", { grant_type: "client_credentials", client_id: sandbox.credentials.authapi.clientId }, { "X-Client-Id": sandbox.credentials.authapi.clientId }),
    );
    expect(noSecret.status).toBe(400);
    expect(noSecret.body.message).toContain("client_secret");
  });

  it("exchanges a long-term token for 900-second short-term JWTs, narrowing scopes on request", async () => {
    const long = (await issueLong()).body.access_token as string;
    const short = await issueShort(long);
    expect(short.status).toBe(201);
    expect(short.body).toMatchObject({ token_type: "Bearer", expires_in: 900, token_id: expect.stringMatching(/^tok_st_/) });
    expect(short.body.access_token.split(".")).toHaveLength(3);
    const narrowed = await issueShort(long, { scopes: ["jobs:read"] });
    expect(narrowed.body.scopes).toEqual(["jobs:read"]);
    const widened = await issueShort((await issueLong({ scopes: ["jobs:read"] })).body.access_token, { scopes: ["tokens:write"] });
    expect(widened.status).toBe(400);
    expect(widened.body.code).toBe("invalid_scope");
    const shortAsLong = await issueShort(short.body.access_token);
    expect(shortAsLong.status).toBe(401);
    expect(shortAsLong.body.code).toBe("invalid_token");
  });

  it("revokes idempotently by token id (204, 204), 404 for unknown ids", async () => {
    const long = (await issueLong()).body.access_token as string;
    const short = (await issueShort(long)).body;
    expect((await revoke(short.token_id, long)).status).toBe(204);
    expect((await revoke(short.token_id, long)).status).toBe(204);
    const unknown = await revoke("tok_st_doesnotexist", long);
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("not_found");
    expect((await revoke(short.token_id, short.access_token)).status).toBe(401);
  });

  it("stops short-token issuance from a revoked long-term token", async () => {
    const issued = (await issueLong()).body;
    const short = (await issueShort(issued.access_token)).body.access_token as string;
    expect((await revoke(issued.token_id, short)).status).toBe(204);
    const refused = await issueShort(issued.access_token);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ code: "invalid_token", message: "The token has been revoked" });
  });

  it("needs the tokens:revoke scope to revoke and tokens:write to rotate with a short-term token", async () => {
    const long = (await issueLong()).body;
    const readOnly = (await issueShort(long.access_token, { scopes: ["jobs:read"] })).body.access_token as string;
    const refused = await revoke(long.token_id, readOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("insufficient_scope");
    const rotateRefused = await call(`${api}/long`, jsonInit("POST", { grant_type: "client_credentials", client_id: sandbox.credentials.authapi.clientId }, { Authorization: `Bearer ${readOnly}` }));
    expect(rotateRefused.status).toBe(403);
    const writer = (await issueShort(long.access_token, { scopes: ["tokens:write"] })).body.access_token as string;
    const rotated = await call(`${api}/long`, jsonInit("POST", { grant_type: "client_credentials", client_id: sandbox.credentials.authapi.clientId }, { Authorization: `Bearer ${writer}` }));
    expect(rotated.status).toBe(201);
    expect(rotated.headers.get("x-token-id")).toMatch(/^tok_lt_/);
  });

  it("refuses expired short- and long-term tokens", async () => {
    const long = (await issueLong({ ttl_seconds: 3600 })).body;
    const short = (await issueShort(long.access_token)).body;
    clock.advance(900_000);
    expect((await revoke(long.token_id, short.access_token)).status).toBe(401);
    expect((await issueShort(long.access_token)).status).toBe(201);
    clock.advance(2_700_000);
    expect((await issueShort(long.access_token)).status).toBe(401);
  });
});
