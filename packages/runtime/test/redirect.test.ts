import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";
import { RequestError } from "../src/index.js";
import { API_KEY, catchError, createTestClient, sendWithBody } from "./fixture.js";

let api: LocalServer;
let other: LocalServer;
beforeAll(async () => {
  [api, other] = await Promise.all([startServer(), startServer()]);
});
afterAll(() => Promise.all([api.close(), other.close()]));
beforeEach(() => {
  api.received.length = 0;
  other.received.length = 0;
  other.respond({ json: { stolen: true } });
});

/** The API server: /r/start redirects with `status` to `location`, everything else answers with what it got. */
function redirectOnce(status: number, location: string) {
  api.respond((request) =>
    request.path === "/r/start" ? { status, headers: { Location: location } } : { json: { method: request.method, path: request.path, search: request.search } },
  );
}

describe("same-origin redirects", () => {
  test.each([301, 302])("%i after a POST turns into a GET without a body or its headers", async (status) => {
    redirectOnce(status, "/r/next");
    const { data, response } = await createTestClient(api.url).POST("/r/{step}", { params: { path: { step: "start" } }, body: { grant: "x" } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ method: "GET", path: "/r/next", search: "" });
    const [, second] = api.received;
    expect(api.received).toHaveLength(2);
    expect(second).toMatchObject({ method: "GET", path: "/r/next", body: "" });
    expect(second!.headers["content-type"]).toBeUndefined();
    expect(second!.headers["content-length"]).toBeUndefined();
    // Same origin: the credential may follow.
    expect(second!.headers["x-api-key"]).toBe(API_KEY);
  });

  test.each([301, 302])("%i after a PUT keeps the method and body (as fetch does)", async (status) => {
    redirectOnce(status, "/r/next");
    await createTestClient(api.url).PUT("/r/{step}", { params: { path: { step: "start" } }, body: { a: 1 } });
    expect(api.received[1]).toMatchObject({ method: "PUT", path: "/r/next", body: '{"a":1}' });
  });

  test.each(["POST", "PUT", "DELETE"] as const)("303 after a %s turns into a GET without a body", async (method) => {
    redirectOnce(303, "/r/next");
    await sendWithBody(createTestClient(api.url), method, "start", { a: 1 });
    expect(api.received[1]).toMatchObject({ method: "GET", path: "/r/next", body: "" });
    expect(api.received[1]!.headers["content-type"]).toBeUndefined();
  });

  test.each([307, 308])("%i keeps the method, the body and the headers", async (status) => {
    redirectOnce(status, "/r/next");
    const { data } = await createTestClient(api.url, { headers: { "X-Trace": "t-1" } }).POST("/r/{step}", {
      params: { path: { step: "start" } },
      body: { grant: "client_credentials", secret: "s3cret" },
    });
    expect(data).toEqual({ method: "POST", path: "/r/next", search: "" });
    const [first, second] = api.received;
    expect(second).toMatchObject({ method: "POST", path: "/r/next", body: '{"grant":"client_credentials","secret":"s3cret"}' });
    for (const header of ["content-type", "x-api-key", "x-trace"]) expect(second!.headers[header], header).toBe(first!.headers[header]);
  });

  test("a relative Location resolves against the request URL, query included", async () => {
    redirectOnce(302, "next?page=2");
    const { data } = await createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } });
    expect(data).toEqual({ method: "GET", path: "/r/next", search: "?page=2" });
  });

  test("an absolute Location on the same origin is followed", async () => {
    redirectOnce(307, `${api.url}/r/elsewhere`);
    const { data } = await createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } });
    expect(data).toMatchObject({ path: "/r/elsewhere" });
  });

  test("a 3xx without Location is returned as it is", async () => {
    api.respond({ status: 300, json: { choices: ["/a", "/b"] } });
    const { data, error, response } = await createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } });
    expect(response.status).toBe(300);
    expect(data).toBeUndefined();
    expect(error).toEqual({ choices: ["/a", "/b"] });
    expect(api.received).toHaveLength(1);
  });

  test("a 304 with a Location is not followed", async () => {
    api.respond({ status: 304, headers: { Location: "/r/next" } });
    const { response } = await createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } });
    expect(response.status).toBe(304);
    expect(api.received).toHaveLength(1);
  });

  test("more than 5 hops is an ERR_REDIRECT after 6 requests", async () => {
    api.respond((request) => ({ status: 302, headers: { Location: `/r/${Number(request.path.slice(3)) + 1}` } }));
    const error = await catchError(createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "0" } } }));
    expect(RequestError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "RequestError", code: "ERR_REDIRECT", status: 302, method: "GET", origin: api.url, path: "/r/5" });
    expect(error.message).toBe(`GET ${api.url}/r/5: more than 5 redirects`);
    expect(api.received.map((request) => request.path)).toEqual(["/r/0", "/r/1", "/r/2", "/r/3", "/r/4", "/r/5"]);
  });

  test("5 hops are followed", async () => {
    api.respond((request) => (request.path === "/r/5" ? { json: { done: true } } : { status: 307, headers: { Location: `/r/${Number(request.path.slice(3)) + 1}` } }));
    const { data } = await createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "0" } } });
    expect(data).toEqual({ done: true });
  });
});

describe("cross-origin redirects are refused", () => {
  test.each([
    [301, "GET"],
    [302, "POST"],
    [303, "POST"],
    [307, "POST"],
    [308, "PUT"],
  ] as const)("%i after a %s: ERR_REDIRECT naming the target origin, and the other server receives nothing", async (status, method) => {
    redirectOnce(status, `${other.url}/collect?api_key=${API_KEY}&next=1`);
    const client = createTestClient(api.url);
    const error = await catchError(method === "GET" ? client.GET("/r/{step}", { params: { path: { step: "start" } } }) : sendWithBody(client, method, "start", { secret: "body-secret" }));
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ name: "RequestError", code: "ERR_REDIRECT", status, redirectOrigin: other.url, origin: api.url, path: "/r/start", method });
    expect(error.message).toBe(
      `${method} ${api.url}/r/start: the server redirected (${status}) to another origin, ${other.url}; credentials are only sent to ${api.url}, so it was not followed`,
    );
    // Neither the target's path nor its query (which may carry a secret) is echoed.
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toMatch(/collect|api_key|canary|body-secret/);
    expect(other.received).toEqual([]);
    expect(api.received).toHaveLength(1);
  });

  test("another port on the same host is another origin", async () => {
    const port = Number(new URL(api.url).port);
    redirectOnce(307, `http://127.0.0.1:${port === 65535 ? port - 1 : port + 1}/r/next`);
    const error = await catchError(createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } }));
    expect(error).toMatchObject({ code: "ERR_REDIRECT" });
  });

  test("localhost is another origin than 127.0.0.1", async () => {
    redirectOnce(302, api.url.replace("127.0.0.1", "localhost") + "/r/next");
    const error = await catchError(createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } }));
    expect(error).toMatchObject({ code: "ERR_REDIRECT", redirectOrigin: api.url.replace("127.0.0.1", "localhost") });
    expect(api.received).toHaveLength(1);
  });

  test("a same-origin hop then a cross-origin one: refused at the second, nothing sent there", async () => {
    api.respond((request) =>
      request.path === "/r/start" ? { status: 307, headers: { Location: "/r/middle" } } : { status: 307, headers: { Location: `${other.url}/steal` } },
    );
    const error = await catchError(createTestClient(api.url).POST("/r/{step}", { params: { path: { step: "start" } }, body: { a: 1 } }));
    expect(error).toMatchObject({ code: "ERR_REDIRECT", path: "/r/middle", redirectOrigin: other.url });
    expect(other.received).toEqual([]);
  });

  test("a Location that is no URL is an ERR_REDIRECT", async () => {
    redirectOnce(302, "http://[not-a-host/");
    const error = await catchError(createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "start" } } }));
    expect(error).toMatchObject({ code: "ERR_REDIRECT", status: 302 });
    expect(error.message).toBe(`GET ${api.url}/r/start: the server redirected (302) to a Location that is not a URL`);
  });
});
