// Bad options fail fast with a clear error, and no secret ever shows in an error or in inspect().
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
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

test.each([["not a url"], ["authapi.example.com"], ["file:///etc/passwd"], [null]])("baseUrl %j is refused, naming the option", (baseUrl) => {
  const error = thrown(() => createClient({ baseUrl: baseUrl as string }));
  expect(error).toBeInstanceOf(TypeError);
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "baseUrl" });
  expect(error.message).toContain('"baseUrl"');
});

test("http:// to a non-loopback host needs allowInsecureHttp", () => {
  const error = thrown(() => createClient({ baseUrl: "http://authapi.example.com:8080" }));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "baseUrl" });
  expect(error.message).toMatch(/allowInsecureHttp/);
  expect(() => createClient({ baseUrl: "http://authapi.example.com:8080", allowInsecureHttp: true })).not.toThrow();
  expect(() => createClient()).not.toThrow();
});

test.each([
  ["auth.longToken", { auth: { longToken: 1234 } }],
  ["auth.clientSecret", { auth: { clientId: "c", clientSecret: "s" } }],
  ["options", null],
  ["fetch", { fetch: {} }],
])("a bad %s is refused, naming the option", (option, options) => {
  const error = thrown(() => createClient(options as never));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
  expect(error.message).toContain(option);
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "::", auth: { clientId: CANARY, longToken: CANARY, shortToken: CANARY } })),
    thrown(() => createClient({ baseUrl: `https://admin:${CANARY}@api.example.com/v1` })),
    thrown(() => createClient({ auth: { longToken: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { clientId: CANARY } });
  errors.push(await client.POST("/auth/tokens/short").catch((error: unknown) => error));
  errors.push(await client.POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId: "t" } } }).catch((error: unknown) => error));
  expect(server.received).toHaveLength(0);
  for (const error of errors) {
    expect(error).toBeInstanceOf(Error);
    const err = error as Error;
    for (const text of [err.message, err.stack, inspect(err, { depth: 5, showHidden: true }), JSON.stringify(err)]) {
      expect(text).not.toContain(CANARY);
    }
  }
  expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(CANARY);
});
