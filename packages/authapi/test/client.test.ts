// Every operation over real HTTP: the wire (method, path, headers, body) and the typed data/error.
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from "vitest";
import { createClient, type AuthapiAuth, type components } from "../src/index.js";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";

type Schemas = components["schemas"];
const longToken: Schemas["LongTokenResponse"] = { token_type: "Bearer", access_token: "long-1", expires_in: 86400, expires_at: "2025-01-02T00:00:00Z", token_id: "tok-1" };
const shortToken: Schemas["ShortTokenResponse"] = { token_type: "Bearer", access_token: "short-1", expires_in: 900, expires_at: "2025-01-01T00:15:00Z" };
// The vendor names no fields of `details`: the spec leaves it open, so the type is an open record.
type AuthError = { code: string; message: string; details?: { [key: string]: unknown } };
const authError: Schemas["AuthError"] = { code: "invalid_grant", message: "The credentials were rejected." };
const longRequest: Schemas["LongTokenRequest"] = { grant_type: "client_credentials", client_id: "client-1", client_secret: "secret-1" };

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.respond({ json: {} });
});

// The server stands in for https://api.example.com/v1, path prefix included.
const client = (auth: AuthapiAuth) => createClient({ baseUrl: `${server.url}/v1`, auth });

describe("issueLongTermToken", () => {
  test("POSTs the JSON request with X-Client-Id, and types the 201 body and X-Token-Id", async () => {
    server.respond({ status: 201, json: longToken, headers: { "X-Token-Id": "tok-1" } });
    const { data, error, response } = await client({ clientId: "client-1" }).POST("/auth/tokens/long", { body: longRequest });
    expect(response.status).toBe(201);
    expect(error).toBeUndefined();
    expect(data).toEqual(longToken);
    expectTypeOf(data).toEqualTypeOf<Schemas["LongTokenResponse"] | undefined>();
    expect(response.headers.get("X-Token-Id")).toBe("tok-1");
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: "POST", path: "/v1/auth/tokens/long" });
    expect(server.received[0]?.headers).toMatchObject({ "x-client-id": "client-1", "content-type": "application/json" });
    expect(server.received[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(server.received[0]?.body ?? "")).toEqual(longRequest);
  });

  test("prefers the short token (Bearer) over the client id when both are configured", async () => {
    await client({ clientId: "client-1", shortToken: "short-1" }).POST("/auth/tokens/long", { body: longRequest });
    expect(server.received[0]?.headers.authorization).toBe("Bearer short-1");
    expect(server.received[0]?.headers["x-client-id"]).toBeUndefined();
  });

  test.each([400, 401, 403, 429])("types the %i AuthError", async (status) => {
    server.respond({ status, json: authError });
    const { data, error, response } = await client({ clientId: "client-1" }).POST("/auth/tokens/long", { body: longRequest });
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(error).toEqual(authError);
    expectTypeOf(error).toEqualTypeOf<AuthError | undefined>();
  });

  test("is not sent with only a long token, and names the alternatives", async () => {
    const failure = await client({ longToken: "long-1" }).POST("/auth/tokens/long", { body: longRequest }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "ERR_MISSING_CREDENTIAL" });
    expect((failure as Error).message).toContain("auth.shortToken or auth.clientId");
    expect(server.received).toHaveLength(0);
  });
});

describe("issueShortTermToken", () => {
  test("POSTs with Authorization: Bearer <long token>; the body is optional", async () => {
    server.respond({ status: 201, json: shortToken });
    const sdk = client({ longToken: "long-1", clientId: "client-1" });
    const { data } = await sdk.POST("/auth/tokens/short");
    await sdk.POST("/auth/tokens/short", { body: { scopes: ["jobs:submit"] } });
    expect(data).toEqual(shortToken);
    expectTypeOf(data).toEqualTypeOf<Schemas["ShortTokenResponse"] | undefined>();
    expect(server.received.map((r) => [r.method, r.path, r.headers.authorization, r.body])).toEqual([
      ["POST", "/v1/auth/tokens/short", "Bearer long-1", ""],
      ["POST", "/v1/auth/tokens/short", "Bearer long-1", '{"scopes":["jobs:submit"]}'],
    ]);
    expect(server.received[0]?.headers["x-client-id"]).toBeUndefined();
  });

  test.each([400, 401, 429])("types the %i AuthError", async (status) => {
    server.respond({ status, json: authError });
    const { error, response } = await client({ longToken: "long-1" }).POST("/auth/tokens/short");
    expect(response.status).toBe(status);
    expect(error).toEqual(authError);
    expectTypeOf(error).toEqualTypeOf<AuthError | undefined>();
  });

  test("is not sent without auth.longToken, and names it", async () => {
    const failure = await client({ clientId: "c", shortToken: "s" }).POST("/auth/tokens/short").catch((e: unknown) => e);
    expect((failure as Error).message).toContain("auth.longToken");
    expect(server.received).toHaveLength(0);
  });
});

describe("revokeToken", () => {
  test.each([
    [{ shortToken: "short-1", longToken: "long-1" }, "Bearer short-1"],
    [{ longToken: "long-1" }, "Bearer long-1"],
  ])("POSTs to /auth/tokens/{tokenId}/revoke with %j → %s; 204 has no data", async (auth, authorization) => {
    server.respond({ status: 204 });
    const { data, response } = await client(auth).POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId: "tok/1" } } });
    expect(response.status).toBe(204);
    expect(data).toBeUndefined();
    expect(server.received[0]).toMatchObject({ method: "POST", path: "/v1/auth/tokens/tok%2F1/revoke", body: "" });
    expect(server.received[0]?.headers.authorization).toBe(authorization);
  });

  test.each([
    [401, "invalid_token"],
    [403, "insufficient_scope"],
    [404, "not_found"],
  ])("types the %i AuthError", async (status, code) => {
    server.respond({ status, json: { code, message: "Refused." } });
    const { error, response } = await client({ longToken: "l" }).POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId: "x" } } });
    expect(response.status).toBe(status);
    expect(error).toEqual({ code, message: "Refused." });
    expectTypeOf(error).toEqualTypeOf<AuthError | undefined>();
  });

  test("is not sent with only a client id, and names the alternatives", async () => {
    const failure = await client({ clientId: "c" })
      .POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId: "x" } } })
      .catch((e: unknown) => e);
    expect((failure as Error).message).toContain("auth.shortToken or auth.longToken");
    expect(server.received).toHaveLength(0);
  });
});

test("defaults to https://api.example.com/v1", async () => {
  const seen: string[] = [];
  const authapi = createClient({ auth: { longToken: "l" }, fetch: async (request) => (seen.push(request.url), Response.json(shortToken, { status: 201 })) });
  await authapi.POST("/auth/tokens/short");
  expect(seen).toEqual(["https://api.example.com/v1/auth/tokens/short"]);
});
