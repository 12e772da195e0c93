// Every operation over real HTTP: the wire (method, path, headers, body) and the typed data/error.
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test, vi } from "vitest";
import { createClient, type components } from "../src/index.js";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";

type IssueResponse = components["schemas"]["IssueResponse"];
type ErrorBody = components["schemas"]["MindbodyErrorResponse"];

const issued: IssueResponse = {
  TokenType: "Bearer",
  AccessToken: "staff-token-1",
  Expires: "2025-06-02T14:30:00Z",
  User: { Id: 7, FirstName: "Anna", LastName: "Lopez", Type: "Staff" },
};
const failure: ErrorBody = { Error: { Message: "The user name or password is incorrect.", Code: "InvalidUserCredentials" } };
const version = { path: { version: "6" } };

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.respond({ json: {} });
});

const client = () => createClient({ baseUrl: server.url, auth: { apiKey: "key-1", siteId: "-99", staffToken: "staff-token-1" } });

describe("issueToken", () => {
  test("POSTs the JSON credentials with API-Key and siteId, and no Authorization", async () => {
    server.respond({ json: issued });
    const { data, error, response } = await client().POST("/public/v{version}/usertoken/issue", {
      params: version,
      body: { Username: "anna", Password: "pw" },
    });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual(issued);
    expectTypeOf(data).toEqualTypeOf<IssueResponse | undefined>();
    const [request] = server.received;
    expect(server.received).toHaveLength(1);
    expect(request).toMatchObject({ method: "POST", path: "/public/v6/usertoken/issue", search: "" });
    expect(request?.headers).toMatchObject({ "api-key": "key-1", siteid: "-99", "content-type": "application/json" });
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(request?.body ?? "")).toEqual({ Username: "anna", Password: "pw" });
  });

  test.each([400, 401, 500])("types the %i error body", async (status) => {
    server.respond({ status, json: failure });
    const { data, error, response } = await client().POST("/public/v{version}/usertoken/issue", {
      params: version,
      body: { Username: "anna", Password: "wrong" },
    });
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(error).toEqual(failure);
    expectTypeOf(error).toEqualTypeOf<ErrorBody | undefined>();
  });
});

describe("renewToken", () => {
  test("POSTs with API-Key, siteId and Authorization: Bearer <staff token>, no body", async () => {
    server.respond({ json: { ...issued, Expires: "2025-06-03T14:30:00Z" } });
    const { data } = await client().POST("/public/v{version}/usertoken/renew", { params: version });
    expect(data?.Expires).toBe("2025-06-03T14:30:00Z");
    expectTypeOf(data).toEqualTypeOf<IssueResponse | undefined>();
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: "POST", path: "/public/v6/usertoken/renew", body: "" });
    expect(server.received[0]?.headers).toMatchObject({ "api-key": "key-1", siteid: "-99", authorization: "Bearer staff-token-1" });
  });

  test.each([400, 401, 500])("types the %i error body", async (status) => {
    server.respond({ status, json: failure });
    const { error, response } = await client().POST("/public/v{version}/usertoken/renew", { params: version });
    expect(response.status).toBe(status);
    expect(error).toEqual(failure);
    expectTypeOf(error).toEqualTypeOf<ErrorBody | undefined>();
  });
});

describe("revokeToken", () => {
  test("DELETEs with API-Key, siteId and Authorization: Bearer <staff token>", async () => {
    server.respond({ json: {} });
    const { data, response } = await client().DELETE("/public/v{version}/usertoken/revoke", { params: version });
    expect(response.status).toBe(200);
    expect(data).toEqual({});
    // Mindbody names no fields of the revoke body: the spec leaves it open, so the type is an open record.
    expectTypeOf(data).toEqualTypeOf<{ [key: string]: unknown } | undefined>();
    expect(server.received[0]).toMatchObject({ method: "DELETE", path: "/public/v6/usertoken/revoke" });
    expect(server.received[0]?.headers).toMatchObject({ "api-key": "key-1", siteid: "-99", authorization: "Bearer staff-token-1" });
  });

  test.each([400, 401, 500])("types the %i error body", async (status) => {
    server.respond({ status, json: failure });
    const { error, response } = await client().DELETE("/public/v{version}/usertoken/revoke", { params: version });
    expect(response.status).toBe(status);
    expect(error).toEqual(failure);
  });
});

describe("credentials and headers", () => {
  test("a siteId passed per call wins over auth.siteId", async () => {
    await client().POST("/public/v{version}/usertoken/renew", { params: { ...version, header: { siteId: "123" } } });
    expect(server.received[0]?.headers.siteid).toBe("123");
  });

  test("without auth.siteId the call's siteId header is sent", async () => {
    const mindbody = createClient({ baseUrl: server.url, auth: { apiKey: "key-1" } });
    await mindbody.POST("/public/v{version}/usertoken/issue", { params: { ...version, header: { siteId: "-99" } }, body: {} });
    expect(server.received[0]?.headers).toMatchObject({ siteid: "-99", "api-key": "key-1" });
  });

  test("secret functions are called per request, so rotated tokens are picked up", async () => {
    let n = 0;
    const mindbody = createClient({ baseUrl: server.url, auth: { apiKey: "key-1", siteId: "-99", staffToken: async () => `staff-${++n}` } });
    await mindbody.POST("/public/v{version}/usertoken/renew", { params: version });
    await mindbody.POST("/public/v{version}/usertoken/renew", { params: version });
    expect(server.received.map((r) => r.headers.authorization)).toEqual(["Bearer staff-1", "Bearer staff-2"]);
  });

  test("an Authorization header the caller sets satisfies the staff token and is sent unchanged", async () => {
    const mindbody = createClient({ baseUrl: server.url, auth: { apiKey: "key-1", siteId: "-99" } });
    await mindbody.DELETE("/public/v{version}/usertoken/revoke", { params: version, headers: { Authorization: "Bearer from-caller" } });
    expect(server.received[0]?.headers.authorization).toBe("Bearer from-caller");
  });

  test("the injected fetch carries every request", async () => {
    const fetch = vi.fn((request: Request) => globalThis.fetch(request));
    const mindbody = createClient({ baseUrl: server.url, fetch, auth: { apiKey: "key-1", siteId: "-99" } });
    await mindbody.POST("/public/v{version}/usertoken/issue", { params: version, body: {} });
    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch.mock.calls[0]?.[0].url).toBe(`${server.url}/public/v6/usertoken/issue`);
  });

  test("defaults to Mindbody's server", async () => {
    const fetch = vi.fn(async (_request: Request) => Response.json(issued));
    await createClient({ fetch, auth: { apiKey: "k", siteId: "-99" } }).POST("/public/v{version}/usertoken/issue", { params: version, body: {} });
    expect(fetch.mock.calls[0]?.[0].url).toBe("https://api.mindbodyonline.com/public/v6/usertoken/issue");
  });
});

describe("missing credentials", () => {
  test.each([
    ["issue without auth.apiKey", "auth.apiKey", () => createClient({ baseUrl: server.url, auth: { siteId: "-99" } }).POST("/public/v{version}/usertoken/issue", { params: version, body: {} })],
    ["renew without auth.staffToken", "auth.staffToken", () => createClient({ baseUrl: server.url, auth: { apiKey: "k", siteId: "-99" } }).POST("/public/v{version}/usertoken/renew", { params: version })],
    ["revoke without any auth", "auth.apiKey + auth.staffToken", () => createClient({ baseUrl: server.url }).DELETE("/public/v{version}/usertoken/revoke", { params: { ...version, header: { siteId: "-99" } } })],
  ])("%s is not sent and names %s", async (_name, option, call) => {
    const failure = await call().then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL" });
    expect(String((failure as Error).message)).toContain(option);
    expect(server.received).toHaveLength(0);
  });

  test("a secret function that returns nothing stops the request", async () => {
    const mindbody = createClient({ baseUrl: server.url, auth: { apiKey: () => "", siteId: "-99" } });
    await expect(mindbody.POST("/public/v{version}/usertoken/issue", { params: version, body: {} })).rejects.toThrow(/auth\.apiKey/);
    expect(server.received).toHaveLength(0);
  });
});
