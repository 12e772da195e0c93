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

test.each(["baseUrl", "loginUrl"] as const)("a non-URL %s is refused, naming the option", (option) => {
  for (const value of ["not a url", "api.mypurecloud.com", "file:///etc/passwd", null]) {
    const error = thrown(() => createClient({ [option]: value }));
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
    expect(error.message).toContain(`"${option}"`);
  }
});

test.each(["baseUrl", "loginUrl"] as const)("http:// %s to a non-loopback host needs allowInsecureHttp", (option) => {
  const error = thrown(() => createClient({ [option]: "http://api.genesys.example" }));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
  expect(error.message).toMatch(/allowInsecureHttp/);
  expect(() => createClient({ [option]: "http://api.genesys.example", allowInsecureHttp: true })).not.toThrow();
  expect(() => createClient()).not.toThrow();
});

test.each([["mypurecloud.com/evil"], ["https://api.mypurecloud.ie"], ["evil.com:8080"], [""], [42]])("region %j is refused, naming the option", (region) => {
  const error = thrown(() => createClient({ region: region as string }));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "region" });
  expect(error.message).toContain('"region"');
});

test.each([
  ["auth.clientSecret", { auth: { clientId: "c", clientSecret: 1234 } }],
  ["auth.token", { auth: { token: "t" } }],
  ["options", null],
  ["fetch", { fetch: {} }],
])("a bad %s is refused, naming the option", (option, options) => {
  const error = thrown(() => createClient(options as never));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
  expect(error.message).toContain(option);
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "::", auth: { clientId: "c", clientSecret: CANARY, accessToken: CANARY } })),
    thrown(() => createClient({ region: "x/y", auth: { clientId: "c", clientSecret: CANARY, accessToken: CANARY } })),
    thrown(() => createClient({ loginUrl: `https://c:${CANARY}@login.mypurecloud.com` })),
    thrown(() => createClient({ auth: { clientSecret: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { clientSecret: CANARY } });
  errors.push(await client.POST("/oauth/token", { body: { grant_type: "client_credentials" } }).catch((error: unknown) => error));
  errors.push(await client.GET("/api/v2/tokens/me").catch((error: unknown) => error));
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
