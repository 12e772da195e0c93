// Every operation over real HTTP: the wire (method, path, query, headers) and the typed data/error.
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from "vitest";
import { createClient, type components } from "../src/index.js";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";

type TokenDocument = components["schemas"]["AuthenticationTokenType"];
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.respond({ text: "vidi-token-1" });
});

const withBasic = () => createClient({ baseUrl: server.url, auth: { username: "admin", password: "pässword" } });
const withToken = () => createClient({ baseUrl: server.url, auth: { token: "tok-1" } });

describe("getAuthToken", () => {
  test("GETs /API/token with the query and HTTP Basic (UTF-8), and types the JSON document", async () => {
    server.respond({ json: { token: "vidi-token-1", user: "admin" } });
    const { data, error, response } = await withBasic().GET("/API/token", {
      params: { query: { autoRefresh: true, seconds: 3600 } },
      headers: { Accept: "application/json" },
    });
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual({ token: "vidi-token-1", user: "admin" });
    expectTypeOf(data).toEqualTypeOf<TokenDocument | string | undefined>();
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: "GET", path: "/API/token", search: "?autoRefresh=true&seconds=3600", body: "" });
    expect(server.received[0]?.headers).toMatchObject({ authorization: basic("admin", "pässword"), accept: "application/json" });
  });

  test("a text/plain answer arrives as the token string", async () => {
    const { data } = await withBasic().GET("/API/token");
    expect(data).toBe("vidi-token-1");
    expect(server.received[0]?.search).toBe("");
  });

  test("with only a token configured, sends Authorization: token <t>", async () => {
    await withToken().GET("/API/token", { params: { query: { seconds: 60 } } });
    expect(server.received[0]?.headers.authorization).toBe("token tok-1");
    expect(server.received[0]?.search).toBe("?seconds=60");
  });

  test("Basic wins when username, password and token are all configured", async () => {
    await createClient({ baseUrl: server.url, auth: { username: "u", password: "p", token: "t" } }).GET("/API/token");
    expect(server.received[0]?.headers.authorization).toBe(basic("u", "p"));
  });

  test("a username without a password falls back to the token", async () => {
    await createClient({ baseUrl: server.url, auth: { username: "u", token: "t" } }).GET("/API/token");
    expect(server.received[0]?.headers.authorization).toBe("token t");
  });

  test.each([
    [400, 'Query parameter "seconds" may be at most 60 for users without the _administrator role'],
    [401, "Unauthorized"],
    [409, "The user is disabled"],
  ])("types the %i error text", async (status, text) => {
    server.respond({ status, text });
    const { data, error, response } = await withBasic().GET("/API/token");
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(error).toBe(text);
    expectTypeOf(error).toEqualTypeOf<string | undefined>();
  });
});

describe("getUserAuthToken", () => {
  test("GETs /API/user/{username}/token with the name percent-encoded, and types the text token", async () => {
    const { data, error } = await withToken().GET("/API/user/{username}/token", {
      params: { path: { username: "jane doe/2" }, query: { autoRefresh: false } },
    });
    expect(error).toBeUndefined();
    expect(data).toBe("vidi-token-1");
    expectTypeOf(data).toEqualTypeOf<string | undefined>();
    expect(server.received[0]).toMatchObject({ method: "GET", path: "/API/user/jane%20doe%2F2/token", search: "?autoRefresh=false" });
    expect(server.received[0]?.headers.authorization).toBe("token tok-1");
  });

  test("parseAs: 'text' still returns the raw text", async () => {
    const { data } = await withBasic().GET("/API/user/{username}/token", { params: { path: { username: "admin" } }, parseAs: "text" });
    expect(data).toBe("vidi-token-1");
    expect(server.received[0]?.headers.authorization).toBe(basic("admin", "pässword"));
  });

  test.each([
    [400, 'Query parameter "seconds" may be at most 60 for users without the _administrator role'],
    [401, "Unauthorized"],
    [403, "Only users with the _administrator role may get a token for another user"],
    [404, "No user with this name exists"],
    [409, "The user is disabled"],
  ])("types the %i error text", async (status, text) => {
    server.respond({ status, text });
    const { error, response } = await withToken().GET("/API/user/{username}/token", { params: { path: { username: "jane" } } });
    expect(response.status).toBe(status);
    expect(error).toBe(text);
    expectTypeOf(error).toEqualTypeOf<string | undefined>();
  });
});

describe("missing credentials", () => {
  test.each([
    ["no auth", {}],
    ["only a username", { username: "u" }],
    ["only a password", { password: "p" }],
  ])("with %s nothing is sent and the error names the options", async (_name, auth) => {
    const client = createClient({ baseUrl: server.url, auth });
    const failure = await client.GET("/API/user/{username}/token", { params: { path: { username: "u" } } }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL" });
    expect((failure as Error).message).toContain("auth.username + auth.password or auth.token");
    expect(server.received).toHaveLength(0);
  });

  test("defaults to http://localhost:8080", async () => {
    const seen: string[] = [];
    const client = createClient({ auth: { token: "t" }, fetch: async (request) => (seen.push(request.url), new Response("x")) });
    await client.GET("/API/token");
    expect(seen).toEqual(["http://localhost:8080/API/token"]);
  });
});
