import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";
import { API_KEY, catchError, createTestClient } from "./fixture.js";

let api: LocalServer;
let login: LocalServer;
beforeAll(async () => {
  [api, login] = await Promise.all([startServer(), startServer()]);
});
afterAll(() => Promise.all([api.close(), login.close()]));
beforeEach(() => {
  api.received.length = 0;
  login.received.length = 0;
  api.respond({ json: { from: "api" } });
  login.respond({ json: { from: "login" } });
});

describe("encodeFormBody", () => {
  test("the operation's body goes as application/x-www-form-urlencoded", async () => {
    await createTestClient(api.url).POST("/form", { body: { grant_type: "client_credentials", scope: "a b&c" } });
    const [request] = api.received;
    expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request!.body).toBe("grant_type=client_credentials&scope=a+b%26c");
    expect(request!.headers["x-api-key"]).toBe(API_KEY);
  });

  test("a per-call header set to null removes the operation's default Content-Type (the body is JSON again)", async () => {
    await createTestClient(api.url).POST("/form", { body: { a: "1" }, headers: { "Content-Type": null } });
    const [request] = api.received;
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(request!.body).toBe('{"a":"1"}');
  });

  test("a per-call Content-Type wins over the operation's default; other per-call headers keep it", async () => {
    const client = createTestClient(api.url);
    await client.POST("/form", { body: { a: "1" }, headers: { "Content-Type": "application/json" } });
    await client.POST("/form", { body: { a: "1" }, headers: new Headers({ "X-Trace": "t" }) });
    expect(api.received.map((request) => [request.headers["content-type"], request.body])).toEqual([
      ["application/json", '{"a":"1"}'],
      ["application/x-www-form-urlencoded", "a=1"],
    ]);
    expect(api.received[1]!.headers["x-trace"]).toBe("t");
  });

  test("operations without the hook send JSON", async () => {
    await createTestClient(api.url).POST("/r/{step}", { params: { path: { step: "a" } }, body: { a: "1" } });
    expect(api.received[0]!.headers["content-type"]).toBe("application/json");
  });
});

describe("useOperationServer", () => {
  test("the operation goes to its own server, with its credential and form body; other operations to the base URL", async () => {
    const client = createTestClient(api.url, { loginUrl: login.url });
    const { data } = await client.POST("/login", { body: { grant_type: "client_credentials" } });
    expect(data).toEqual({ from: "login" });
    expect(login.received).toMatchObject([{ method: "POST", path: "/login", body: "grant_type=client_credentials" }]);
    expect(login.received[0]!.headers["x-api-key"]).toBe(API_KEY);
    await client.GET("/open");
    expect(api.received.map((request) => request.path)).toEqual(["/open"]);
  });

  test("a per-call baseUrl wins over the operation's server", async () => {
    const { data } = await createTestClient(api.url, { loginUrl: login.url }).POST("/login", { body: { a: "1" }, baseUrl: api.url });
    expect(data).toEqual({ from: "api" });
    expect(login.received).toEqual([]);
  });

  test("the operation's server is its origin: a redirect from it back to the base URL is refused", async () => {
    login.respond({ status: 307, headers: { Location: `${api.url}/login` } });
    const error = await catchError(createTestClient(api.url, { loginUrl: login.url }).POST("/login", { body: { a: "1" } }));
    expect(error).toMatchObject({ code: "ERR_REDIRECT", origin: login.url, redirectOrigin: api.url });
    expect(api.received).toEqual([]);
  });

  test("an operation server with a path prefix keeps it", async () => {
    await createTestClient(api.url, { loginUrl: `${login.url}/tenant/7` }).POST("/login", { body: { a: "1" } });
    expect(login.received[0]!.path).toBe("/tenant/7/login");
  });
});

describe("readTextBody", () => {
  test("a text/plain success body is the data, as a string", async () => {
    api.respond({ text: "plain token 123" });
    const { data } = await createTestClient(api.url).GET("/text");
    expect(data).toBe("plain token 123");
  });

  test("a JSON body on the same operation is still parsed as JSON", async () => {
    api.respond({ json: "quoted" });
    const { data } = await createTestClient(api.url).GET("/text");
    expect(data).toBe("quoted");
  });

  test("a text/plain error body is not turned into data", async () => {
    api.respond({ status: 500, text: "boom" });
    const { data, response } = await createTestClient(api.url).GET("/text");
    expect(data).toBeUndefined();
    expect(response.status).toBe(500);
  });
});
