// Every operation over real HTTP: the wire (host, method, path, query, headers, body) and the typed data/error.
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from "vitest";
import { createClient, type components } from "../src/index.js";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";

type Schemas = components["schemas"];
const errorBody: Schemas["ErrorBody"] = { message: "Invalid token", code: "bad.credentials", status: 401 };
const tokenInfo: Schemas["TokenInfo"] = { organization: { id: "org-1", name: "Acme" }, authorizedScope: ["users"], dateTokenIdles: "2025-01-01T12:00:00Z" };
const timeout: Schemas["IdleTokenTimeout"] = { idleTokenTimeoutSeconds: 1800, enableIdleTokenTimeout: true };
const apiErrors = [400, 401, 403, 404, 429, 500] as const;

let api: LocalServer;
let login: LocalServer;
beforeAll(async () => {
  [api, login] = await Promise.all([startServer(), startServer()]);
});
afterAll(() => Promise.all([api.close(), login.close()]));
beforeEach(() => {
  for (const server of [api, login]) {
    server.received.length = 0;
    server.respond({ json: {} });
  }
});

const client = () =>
  createClient({ baseUrl: api.url, loginUrl: login.url, auth: { accessToken: "access-1", clientId: "client-1", clientSecret: "s3cret:ü" } });

describe("requestClientCredentialsToken", () => {
  test("POSTs a form body with HTTP Basic (id and secret form-urlencoded, RFC 6749 §2.3.1) to the LOGIN host, and types the token", async () => {
    const issued: Schemas["ClientCredentialsTokenResponse"] = { access_token: "access-2", token_type: "bearer", expires_in: 86400 };
    login.respond({ json: issued });
    const { data, error, response } = await client().POST("/oauth/token", { body: { grant_type: "client_credentials" } });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual(issued);
    expectTypeOf(data).toEqualTypeOf<Schemas["ClientCredentialsTokenResponse"] | undefined>();
    expect(api.received).toHaveLength(0);
    expect(login.received).toHaveLength(1);
    expect(login.received[0]).toMatchObject({ method: "POST", path: "/oauth/token", body: "grant_type=client_credentials" });
    expect(login.received[0]?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from("client-1:s3cret%3A%C3%BC").toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    });
  });

  test.each([400, 401])("types the %i OAuth error", async (status) => {
    login.respond({ status, json: { error: "invalid_client", error_description: "bad secret" } });
    const { data, error, response } = await client().POST("/oauth/token", { body: { grant_type: "client_credentials" } });
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(error).toEqual({ error: "invalid_client", error_description: "bad secret" });
    expectTypeOf(error).toEqualTypeOf<Schemas["OAuthError"] | undefined>();
  });

  test("is not sent without clientId and clientSecret, and names them", async () => {
    const genesys = createClient({ baseUrl: api.url, loginUrl: login.url, auth: { accessToken: "a", clientId: "c" } });
    const failure = await genesys.POST("/oauth/token", { body: { grant_type: "client_credentials" } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "ERR_MISSING_CREDENTIAL" });
    expect((failure as Error).message).toContain("auth.clientId + auth.clientSecret");
    expect(login.received).toHaveLength(0);
  });
});

describe("the /api/v2/tokens operations send Authorization: Bearer to the API host", () => {
  test("getTokensMe passes preserveIdleTTL and types TokenInfo", async () => {
    api.respond({ json: tokenInfo });
    const { data } = await client().GET("/api/v2/tokens/me", { params: { query: { preserveIdleTTL: true } } });
    expect(data).toEqual(tokenInfo);
    expectTypeOf(data).toEqualTypeOf<Schemas["TokenInfo"] | undefined>();
    expect(api.received[0]).toMatchObject({ method: "GET", path: "/api/v2/tokens/me", search: "?preserveIdleTTL=true" });
    expect(api.received[0]?.headers.authorization).toBe("Bearer access-1");
    expect(login.received).toHaveLength(0);
  });

  test("headTokensMe: 200 for a valid token, 401 (status only) for an invalid one", async () => {
    api.respond({ status: 200 });
    const ok = await client().HEAD("/api/v2/tokens/me");
    api.respond({ status: 401 });
    const rejected = await client().HEAD("/api/v2/tokens/me");
    expect([ok.response.status, rejected.response.status]).toEqual([200, 401]);
    expect(rejected.error).toBeUndefined(); // openapi-fetch gives no error body for HEAD
    expect(api.received.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
      ["HEAD", "/api/v2/tokens/me", "Bearer access-1"],
      ["HEAD", "/api/v2/tokens/me", "Bearer access-1"],
    ]);
  });

  test("deleteTokensMe: DELETE, 204 without data", async () => {
    api.respond({ status: 204 });
    const { data, response } = await client().DELETE("/api/v2/tokens/me");
    expect(response.status).toBe(204);
    expect(data).toBeUndefined();
    expect(api.received[0]).toMatchObject({ method: "DELETE", path: "/api/v2/tokens/me" });
    expect(api.received[0]?.headers.authorization).toBe("Bearer access-1");
  });

  test("deleteToken: DELETE with the user id percent-encoded", async () => {
    api.respond({ status: 204 });
    const { response } = await client().DELETE("/api/v2/tokens/{userId}", { params: { path: { userId: "a/b c" } } });
    expect(response.status).toBe(204);
    expect(api.received[0]).toMatchObject({ method: "DELETE", path: "/api/v2/tokens/a%2Fb%20c" });
    expect(api.received[0]?.headers.authorization).toBe("Bearer access-1");
  });

  test("getTokensTimeout types IdleTokenTimeout", async () => {
    api.respond({ json: timeout });
    const { data } = await client().GET("/api/v2/tokens/timeout");
    expect(data).toEqual(timeout);
    expectTypeOf(data).toEqualTypeOf<Schemas["IdleTokenTimeout"] | undefined>();
    expect(api.received[0]).toMatchObject({ method: "GET", path: "/api/v2/tokens/timeout" });
    expect(api.received[0]?.headers.authorization).toBe("Bearer access-1");
  });

  test("putTokensTimeout PUTs the JSON body", async () => {
    api.respond({ json: timeout });
    const { data } = await client().PUT("/api/v2/tokens/timeout", { body: timeout });
    expect(data).toEqual(timeout);
    expect(api.received[0]).toMatchObject({ method: "PUT", path: "/api/v2/tokens/timeout" });
    expect(api.received[0]?.headers).toMatchObject({ authorization: "Bearer access-1", "content-type": "application/json" });
    expect(JSON.parse(api.received[0]?.body ?? "")).toEqual(timeout);
  });
});

type Genesys = ReturnType<typeof createClient>;
const calls = {
  deleteToken: (genesys: Genesys) => genesys.DELETE("/api/v2/tokens/{userId}", { params: { path: { userId: "u-1" } } }),
  deleteTokensMe: (genesys: Genesys) => genesys.DELETE("/api/v2/tokens/me"),
  getTokensMe: (genesys: Genesys) => genesys.GET("/api/v2/tokens/me"),
  getTokensTimeout: (genesys: Genesys) => genesys.GET("/api/v2/tokens/timeout"),
  putTokensTimeout: (genesys: Genesys) => genesys.PUT("/api/v2/tokens/timeout", { body: timeout }),
};

describe.each(Object.entries(calls))("%s errors", (_name, call) => {
  test.each(apiErrors)("types the %i ErrorBody", async (status) => {
    api.respond({ status, json: { ...errorBody, status } });
    const { data, error, response } = await call(client());
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(error).toEqual({ ...errorBody, status });
  });

  test("is not sent without auth.accessToken, and names it", async () => {
    const failure = await call(createClient({ baseUrl: api.url, auth: { clientId: "c", clientSecret: "s" } })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "MissingCredentialError" });
    expect((failure as Error).message).toContain("auth.accessToken");
    expect(api.received).toHaveLength(0);
  });
});

test("error bodies of the API operations are typed as ErrorBody", () => {
  const neverCalled = async () => {
    expectTypeOf((await calls.getTokensMe(client())).error).toEqualTypeOf<Schemas["ErrorBody"] | undefined>();
    expectTypeOf((await calls.putTokensTimeout(client())).error).toEqualTypeOf<Schemas["ErrorBody"] | undefined>();
    expectTypeOf((await calls.deleteToken(client())).error).toEqualTypeOf<Schemas["ErrorBody"] | undefined>();
  };
  expectTypeOf(neverCalled).toBeFunction();
});

describe("hosts", () => {
  function recordUrls(options: Parameters<typeof createClient>[0]) {
    const urls: string[] = [];
    const genesys = createClient({
      ...options,
      auth: { accessToken: "a", clientId: "c", clientSecret: "s" },
      fetch: async (request) => (urls.push(request.url), Response.json({})),
    });
    return { urls, call: () => Promise.all([genesys.GET("/api/v2/tokens/me"), genesys.POST("/oauth/token", { body: { grant_type: "client_credentials" } })]) };
  }

  test.each([
    [{}, "https://api.mypurecloud.com", "https://login.mypurecloud.com"],
    [{ region: "mypurecloud.ie" }, "https://api.mypurecloud.ie", "https://login.mypurecloud.ie"],
    [{ region: "usw2.pure.cloud" }, "https://api.usw2.pure.cloud", "https://login.usw2.pure.cloud"],
    [{ baseUrl: "https://api.genesys.example" }, "https://api.genesys.example", "https://login.genesys.example"],
    [{ baseUrl: "http://127.0.0.1:9/genesys" }, "http://127.0.0.1:9/genesys", "http://127.0.0.1:9/genesys"],
    [{ baseUrl: "http://127.0.0.1:9/g", loginUrl: "http://127.0.0.1:9/g-login" }, "http://127.0.0.1:9/g", "http://127.0.0.1:9/g-login"],
  ])("%j → API %s, login %s", async (options, apiHost, loginHost) => {
    const { urls, call } = recordUrls(options);
    await call();
    expect(urls).toEqual([`${apiHost}/api/v2/tokens/me`, `${loginHost}/oauth/token`]);
  });
});
