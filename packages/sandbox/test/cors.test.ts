import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, call, jsonInit, startTestSandbox } from "./helpers.js";

const PAGE = "http://127.0.0.1:5173";
const OTHER_PAGE = "http://127.0.0.1:6000";
const CORS_HEADERS = ["access-control-allow-origin", "access-control-expose-headers", "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age"];
const MUST_EXPOSE = ["Retry-After", "X-Retry-In", "X-Request-Id", "X-Correlation-Id", "inin-correlation-id", "X-Token-Id", "WWW-Authenticate"];

/** Asserts a response to an allowed origin: the origin echoed, Vary, and the exposed headers. */
function expectCorsFor(headers: Headers, origin: string): void {
  expect(headers.get("access-control-allow-origin")).toBe(origin);
  expect(headers.get("vary")).toBe("Origin");
  const exposed = (headers.get("access-control-expose-headers") ?? "").split(",").map((name) => name.trim().toLowerCase());
  expect(exposed).toEqual(expect.arrayContaining(MUST_EXPOSE.map((name) => name.toLowerCase())));
}

/** Asserts a response carries no CORS header at all. */
function expectNoCors(headers: Headers): void {
  for (const name of CORS_HEADERS) expect(headers.get(name), name).toBeNull();
  expect(headers.get("vary")).toBeNull();
}

/** A preflight as a browser sends it before a cross-origin POST with a JSON body and Authorization. */
function preflight(url: string, origin: string): Promise<Response> {
  return fetch(url, {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type,x-client-id" },
  });
}

describe("CORS for listed origins", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox({ cors: [PAGE, "http://localhost:5173"] });
  });
  afterAll(() => sandbox.close());

  it("echoes an allowed origin on a success, the root and a 404 of an unknown path", async () => {
    const { username, password } = sandbox.credentials.sftpgo;
    const token = await call(`${sandbox.baseUrls.sftpgo}/api/v2/token`, { headers: { Origin: PAGE, Authorization: basic(username, password) } });
    expect(token.status).toBe(200);
    expectCorsFor(token.headers, PAGE);
    const root = await call(`${sandbox.url}/`, { headers: { Origin: "http://localhost:5173" } });
    expect(root.status).toBe(200);
    expectCorsFor(root.headers, "http://localhost:5173");
    const unknown = await call(`${sandbox.url}/nope`, { headers: { Origin: PAGE } });
    expect(unknown.status).toBe(404);
    expectCorsFor(unknown.headers, PAGE);
  });

  it("adds the headers to vendor error responses, keeping the vendor's own headers", async () => {
    const refused = await call(`${sandbox.baseUrls.sftpgo}/api/v2/token`, { headers: { Origin: PAGE, Authorization: basic("demo", "wrong") } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toBe('Basic realm="SFTPGo"');
    expectCorsFor(refused.headers, PAGE);
    const invalid = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, jsonInit("POST", {}, { Origin: PAGE, "X-Client-Id": sandbox.credentials.authapi.clientId }));
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: "invalid_request" });
    expectCorsFor(invalid.headers, PAGE);
  });

  it("sends nothing CORS-related to another origin, or without an Origin", async () => {
    const other = await call(`${sandbox.url}/`, { headers: { Origin: OTHER_PAGE } });
    expect(other.status).toBe(200);
    expectNoCors(other.headers);
    const prefixOfAllowed = await call(`${sandbox.url}/`, { headers: { Origin: `${PAGE}/` } });
    expectNoCors(prefixOfAllowed.headers);
    const none = await call(`${sandbox.url}/`);
    expectNoCors(none.headers);
  });

  it("answers a preflight itself with 204, without validating or counting it", async () => {
    sandbox.resetRequestCounts();
    const response = await preflight(`${sandbox.baseUrls.authapi}/auth/tokens/long`, PAGE);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    expect(response.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(response.headers.get("vary")).toBe("Origin");
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE");
    expect(response.headers.get("access-control-allow-headers")).toBe("authorization,content-type,x-client-id");
    expect(response.headers.get("access-control-max-age")).toBe("600");
    expect(sandbox.requestCount("authapi")).toBe(0);
    expect(sandbox.stats().requests.authapi).toEqual({});
  });

  it("omits Allow-Headers from a preflight that asks for none", async () => {
    const response = await fetch(`${sandbox.baseUrls.sftpgo}/api/v2/token`, { method: "OPTIONS", headers: { Origin: PAGE, "Access-Control-Request-Method": "GET" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, HEAD, POST, PUT, PATCH, DELETE");
    expect(response.headers.get("access-control-allow-headers")).toBeNull();
  });

  it("leaves a preflight from another origin, and a plain OPTIONS, to the vendor", async () => {
    sandbox.resetRequestCounts();
    const other = await preflight(`${sandbox.baseUrls.authapi}/auth/tokens/long`, OTHER_PAGE);
    expect(other.status).toBe(405);
    expectNoCors(other.headers);
    expect(((await other.json()) as { code: string }).code).toBe("method_not_allowed");
    const plain = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, { method: "OPTIONS", headers: { Origin: PAGE } });
    expect(plain.status).toBe(405);
    expectCorsFor(plain.headers, PAGE);
    expect(sandbox.requestCount("authapi")).toBe(2);
  });
});

describe("CORS for any origin", () => {
  it("echoes whatever origin calls, never *", async () => {
    const sandbox = await startTestSandbox({ cors: true });
    try {
      const reply = await call(`${sandbox.url}/`, { headers: { Origin: OTHER_PAGE } });
      expectCorsFor(reply.headers, OTHER_PAGE);
      const response = await preflight(`${sandbox.baseUrls.mindbody}/public/v6/usertoken/issue`, "https://app.example.test");
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example.test");
      expect(sandbox.requestCount("mindbody")).toBe(0);
    } finally {
      await sandbox.close();
    }
  });

  it("adds the headers to a 500", async () => {
    // An operation the spec declares but no emulator implements answers the vendor's 500.
    const file = createRequire(import.meta.url).resolve("@tokenkit/authapi/openapi.json");
    const spec = JSON.parse(readFileSync(file, "utf8")) as { paths: Record<string, unknown> };
    spec.paths["/cors-probe"] = { get: { operationId: "corsProbe", responses: { "200": { description: "OK" } } } };
    const sandbox = await startTestSandbox({ cors: true, specs: { authapi: spec } });
    try {
      const reply = await call(`${sandbox.baseUrls.authapi}/cors-probe`, { headers: { Origin: PAGE } });
      expect(reply.status).toBe(500);
      expect(reply.body).toMatchObject({ code: "server_error" });
      expectCorsFor(reply.headers, PAGE);
    } finally {
      await sandbox.close();
    }
  });
});

describe("CORS off (the default)", () => {
  it("sends no CORS headers and leaves a preflight to the vendor", async () => {
    for (const cors of [undefined, false] as const) {
      const sandbox = await startTestSandbox(cors === undefined ? {} : { cors });
      try {
        expectNoCors((await call(`${sandbox.url}/`, { headers: { Origin: PAGE } })).headers);
        const response = await preflight(`${sandbox.baseUrls.authapi}/auth/tokens/long`, PAGE);
        expect(response.status).toBe(405);
        expectNoCors(response.headers);
        expect(sandbox.requestCount("authapi")).toBe(1);
      } finally {
        await sandbox.close();
      }
    }
  });
});

describe("cors option validation", () => {
  it.each([
    ["a string", "http://127.0.0.1:5173", /^cors must be true, false or an array of origins .*, got "http:\/\/127\.0\.0\.1:5173"$/],
    ["a number", 1, /^cors must be true, false or an array of origins .*, got 1$/],
    ["null", null, /^cors must be .*, got null$/],
    ["an array holding a number", [PAGE, 5173], /^cors\[1\] must be an origin such as "http:\/\/127\.0\.0\.1:5173" .*, got 5173$/],
    ["an origin with a path", ["http://127.0.0.1:5173/app"], /^cors\[0\] must be an origin .*, got "http:\/\/127\.0\.0\.1:5173\/app"$/],
    ["an origin with a trailing slash", ["http://127.0.0.1:5173/"], /^cors\[0\] must be an origin/],
    ["a bare host", ["127.0.0.1:5173"], /^cors\[0\] must be an origin/],
    ["*", ["*"], /^cors\[0\] must be an origin .*, got "\*"$/],
  ])("refuses %s with a TypeError", async (_label, cors, message) => {
    const attempt = startTestSandbox({ cors: cors as never });
    await expect(attempt).rejects.toThrow(TypeError);
    await expect(attempt).rejects.toThrow(message);
  });
});
