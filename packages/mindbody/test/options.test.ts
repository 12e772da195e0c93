// Bad options fail fast with a clear error, and no secret ever shows in an error or in inspect().
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import * as pkg from "../src/index.js";
import { createClient } from "../src/index.js";
import { startServer, type LocalServer } from "./server.js";

const CANARY = "canary-s3cr3t-7f1d";

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

function thrown(fn: () => unknown): Error & { code?: string; option?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

test("the root exports createClient and nothing else at runtime", () => {
  expect(Object.keys(pkg).sort()).toEqual(["createClient"]);
});

test.each([["not a url"], ["/relative/path"], ["ftp://api.mindbodyonline.com"], [42]])("baseUrl %j is refused, naming the option", (baseUrl) => {
  const error = thrown(() => createClient({ baseUrl: baseUrl as string }));
  expect(error).toBeInstanceOf(TypeError);
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "baseUrl" });
  expect(error.message).toContain('"baseUrl"');
});

test("http:// to a non-loopback host needs allowInsecureHttp", () => {
  const error = thrown(() => createClient({ baseUrl: "http://api.mindbodyonline.com" }));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "baseUrl" });
  expect(error.message).toMatch(/allowInsecureHttp/);
  expect(() => createClient({ baseUrl: "http://api.mindbodyonline.com", allowInsecureHttp: true })).not.toThrow();
  expect(() => createClient({ baseUrl: "http://localhost:8080" })).not.toThrow();
  expect(() => createClient({ baseUrl: "http://127.0.0.1:8080" })).not.toThrow();
});

test("a per-call http:// baseUrl to a non-loopback host is refused before sending", async () => {
  const fetch = vi.fn(async (_request: Request) => Response.json({}));
  const client = createClient({ fetch, auth: { apiKey: CANARY, siteId: "-99" } });
  const call = client.POST("/public/v{version}/usertoken/issue", { baseUrl: "http://evil.example", params: { path: { version: "6" } }, body: {} });
  await expect(call).rejects.toMatchObject({ code: "ERR_INVALID_OPTION" });
  expect(fetch).not.toHaveBeenCalled();
});

test.each([
  ["auth.apiKey", { auth: { apiKey: 42 } }],
  ["auth.staffToken", { auth: { staffToken: { token: "x" } } }],
  ["auth.ApiKey", { auth: { ApiKey: "x" } }],
  ["auth", { auth: "key" }],
  ["fetch", { fetch: "fetch" }],
  ["headers", { headers: "x" }],
  ["allowInsecureHttp", { allowInsecureHttp: "yes" }],
])("a bad %s is refused, naming the option", (option, options) => {
  const error = thrown(() => createClient(options as never));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
  expect(error.message).toContain(option);
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const secrets = { apiKey: CANARY, staffToken: CANARY };
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "not a url", auth: secrets })),
    thrown(() => createClient({ baseUrl: `https://user:${CANARY}@api.mindbodyonline.com` })),
    thrown(() => createClient({ auth: { ...secrets, bogus: CANARY } as never })),
    thrown(() => createClient({ auth: { apiKey: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { apiKey: CANARY } });
  errors.push(
    await client
      .POST("/public/v{version}/usertoken/renew", { params: { path: { version: "6" }, header: { siteId: "-99" } } })
      .catch((error: unknown) => error),
  );
  expect(server.received).toHaveLength(0);
  for (const error of errors) {
    expect(error).toBeInstanceOf(Error);
    const err = error as Error;
    for (const text of [err.message, err.stack, inspect(err, { depth: 5, showHidden: true }), JSON.stringify(err)]) {
      expect(text).not.toContain(CANARY);
    }
  }
  expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(CANARY);
  expect(JSON.stringify(client)).not.toContain(CANARY);
});
