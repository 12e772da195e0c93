import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";
import * as source from "../src/index.js";
import { RequestError } from "../src/index.js";
import { catchError, createTestClient, createVendor, spec, startRawServer, type Paths } from "./fixture.js";

// The two builds a user gets (turbo builds dist before this package's tests); typed as the source they come from.
type Runtime = typeof source;
const esm = (await import(new URL("../dist/index.js", import.meta.url).href)) as Runtime;
const cjs = createRequire(import.meta.url)("../dist/index.cjs") as Runtime;

describe("network failures", () => {
  test("a refused connection: ERR_NETWORK with ECONNREFUSED, the origin and the path in the message", async () => {
    const closed = await startRawServer(() => {});
    await closed.close();
    const error = await catchError(createTestClient(closed.url).GET("/r/{step}", { params: { path: { step: "x" }, query: { token: "canary-q" } } }));
    expect(RequestError.is(error)).toBe(true);
    expect(error).toMatchObject({ name: "RequestError", code: "ERR_NETWORK", reason: "ECONNREFUSED", method: "GET", origin: closed.origin, path: "/r/x" });
    expect(error.message).toBe(`GET ${closed.origin}/r/x: the request failed: ECONNREFUSED`);
    expect(error.message).not.toContain("canary");
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  test("port 9 (a port fetch refuses to use): ERR_NETWORK with its reason", async () => {
    const error = await catchError(createTestClient("http://127.0.0.1:9").GET("/open"));
    expect(error).toMatchObject({ code: "ERR_NETWORK", reason: "bad port", origin: "http://127.0.0.1:9", path: "/open" });
    expect(error.message).toBe("GET http://127.0.0.1:9/open: the request failed: bad port");
  });

  test("an unknown host: ERR_NETWORK with ENOTFOUND and the host", async () => {
    const error = await catchError(createTestClient("http://no-such-host.invalid", { allowInsecureHttp: true }).GET("/open"));
    expect(error).toMatchObject({ code: "ERR_NETWORK", origin: "http://no-such-host.invalid" });
    expect(error.reason).toMatch(/^(ENOTFOUND|EAI_AGAIN) no-such-host\.invalid$/);
  });
});

describe("RequestError.is across module formats", () => {
  test("the ESM and CommonJS builds are two classes, and each recognises the other's errors", async () => {
    expect(cjs.RequestError).not.toBe(esm.RequestError);
    expect(esm.RequestError).not.toBe(source.RequestError);
    const closed = await startRawServer(() => {});
    await closed.close();
    const fromCjs = await catchError(cjs.createRuntimeClient<Paths>({ baseUrl: closed.url, auth: { apiKey: "k" } }, { ...spec, hooks: [] }, createVendor()).GET("/open"));
    const fromEsm = await catchError(esm.createRuntimeClient<Paths>({ baseUrl: closed.url, auth: { apiKey: "k" } }, { ...spec, hooks: [] }, createVendor()).GET("/open"));
    expect(fromCjs).toBeInstanceOf(cjs.RequestError);
    expect(fromCjs).not.toBeInstanceOf(esm.RequestError);
    expect(esm.RequestError.is(fromCjs)).toBe(true);
    expect(cjs.RequestError.is(fromEsm)).toBe(true);
    expect(RequestError.is(fromCjs)).toBe(true);
  });

  test.each([undefined, null, "RequestError", new Error("x"), { code: "ERR_NETWORK", name: "RequestError" }, Object.create(null)])("%s is no RequestError", (value) => {
    expect(RequestError.is(value)).toBe(false);
  });
});

describe("per-call options", () => {
  let api: LocalServer;
  let other: LocalServer;
  beforeAll(async () => {
    [api, other] = await Promise.all([startServer(), startServer()]);
  });
  afterAll(() => Promise.all([api.close(), other.close()]));

  test("a per-call fetch goes through the redirect rules: a cross-origin redirect is refused, nothing sent there", async () => {
    api.respond({ status: 307, headers: { Location: `${other.url}/steal` } });
    const calls: { url: string; redirect?: RequestRedirect }[] = [];
    const callFetch = (input: Request, init?: RequestInit) => {
      calls.push({ url: input.url, redirect: init?.redirect });
      return fetch(input, init);
    };
    const error = await catchError(createTestClient(api.url).POST("/r/{step}", { params: { path: { step: "a" } }, body: { secret: "s" }, fetch: callFetch }));
    expect(error).toMatchObject({ code: "ERR_REDIRECT", redirectOrigin: other.url });
    expect(calls).toEqual([{ url: `${api.url}/r/a`, redirect: "manual" }]);
    expect(other.received).toEqual([]);
  });

  test("a per-call fetch follows a same-origin redirect through that fetch", async () => {
    api.respond((request) => (request.path === "/r/a" ? { status: 302, headers: { Location: "/r/b" } } : { json: { at: request.path } }));
    const urls: string[] = [];
    const { data } = await createTestClient(api.url).GET("/r/{step}", {
      params: { path: { step: "a" } },
      fetch: (input: Request, init?: RequestInit) => (urls.push(input.url), fetch(input, init)),
    });
    expect(data).toEqual({ at: "/r/b" });
    expect(urls).toEqual([`${api.url}/r/a`, `${api.url}/r/b`]);
  });

  test("a per-call fetch goes through the body cap", async () => {
    api.respond({ json: { big: "x".repeat(2_000) } });
    const error = await catchError(createTestClient(api.url, { maxResponseBytes: 1_000 }).GET("/open", { fetch: (input: Request, init?: RequestInit) => fetch(input, init) }));
    expect(error).toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE" });
  });

  test("a client-level fetch is used for every call; a per-call one wins over it", async () => {
    api.respond({ json: {} });
    const used: string[] = [];
    const client = createTestClient(api.url, { fetch: (input, init) => (used.push("client"), fetch(input, init)) });
    await client.GET("/open");
    await client.GET("/open", { fetch: (input: Request, init?: RequestInit) => (used.push("call"), fetch(input, init)) });
    expect(used).toEqual(["client", "call"]);
  });

  test("a header given per call wins over the configured credential", async () => {
    api.received.length = 0;
    api.respond({ json: {} });
    await createTestClient(api.url).GET("/r/{step}", { params: { path: { step: "a" } }, headers: { "X-Api-Key": "per-call" } });
    expect(api.received[0]!.headers["x-api-key"]).toBe("per-call");
  });

  test("without the credential nothing is sent: MissingCredentialError naming the auth option", async () => {
    api.received.length = 0;
    const client = esm.createRuntimeClient<Paths>({ baseUrl: api.url }, spec, createVendor());
    const error = await catchError(client.GET("/r/{step}", { params: { path: { step: "a" } } }));
    expect(error).toMatchObject({ name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL" });
    expect(error.message).toBe("@example/vendor: GET /r/{step} needs auth.apiKey, which is not configured; the request was not sent");
    expect(api.received).toEqual([]);
    // An operation without security needs none.
    await client.GET("/open");
    expect(api.received.map((request) => request.path)).toEqual(["/open"]);
  });
});
