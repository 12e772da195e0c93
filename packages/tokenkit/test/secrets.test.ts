import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createTokenClient, createTokenSource, TokenError, type SecretSource, type TokenErrorCode } from "../src/index.js";
import { printedForms, startServer, type TestServer } from "./helpers.js";

// Credentials given as functions (secret sources): called for each request that needs them, against
// the sandbox over real HTTP, and against a server that echoes what it was sent.
const clock = { now: Date.now() };
let sandbox: Sandbox;
let echo: TestServer;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, now: () => clock.now });
  // Answers 401 quoting the one-time code and the body it received, as a careless vendor error page might.
  echo = await startServer((_req, res, seen) =>
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: `denied: ${seen.headers["x-sftpgo-otp"] ?? ""} ${seen.body}`, error: "invalid credentials" })),
  );
});
afterAll(() => Promise.all([sandbox.close(), echo.close()]));

async function refused(promise: Promise<unknown>, code: TokenErrorCode): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  expect((error as TokenError).code).toBe(code);
  return error as TokenError;
}

/** Wraps a value in a function that counts its calls, sync or async. */
function counted(value: string, async = false) {
  const source = Object.assign(() => (source.calls++, async ? Promise.resolve(value) : value), { calls: 0 });
  return source;
}

describe("every credential field takes a function, called for each request that needs it", () => {
  it("mindbody: apiKey, siteId, username and password on issue; apiKey and siteId again on renew and revoke", async () => {
    const { apiKey, siteId, username, password } = sandbox.credentials.mindbody;
    const sources = { apiKey: counted(apiKey, true), siteId: counted(siteId), username: counted(username, true), password: counted(password) };
    const client = createTokenClient("mindbody", { baseUrl: sandbox.baseUrls.mindbody, credentials: sources });
    const token = await client.issue();
    expect(Object.values(sources).map((source) => source.calls)).toEqual([1, 1, 1, 1]);
    await client.revoke(await client.renew(token));
    expect(Object.values(sources).map((source) => source.calls)).toEqual([3, 3, 1, 1]);
  });

  it("vidispine: username and password per issue", async () => {
    const { username, password } = sandbox.credentials.vidispine;
    const sources = { username: counted(username), password: counted(password, true) };
    const client = createTokenClient("vidispine", { baseUrl: sandbox.baseUrls.vidispine, credentials: sources });
    await client.issue();
    await client.issue();
    expect([sources.username.calls, sources.password.calls]).toEqual([2, 2]);
  });

  it("genesys: client id and secret per token request (client_secret_post: see oauth.test.ts, the sandbox takes Basic only, as Genesys documents)", async () => {
    const { clientId, clientSecret } = sandbox.credentials.genesys;
    const sources = { clientId: counted(clientId, true), clientSecret: counted(clientSecret, true) };
    const client = createTokenClient("genesys", { ...sandbox.clientOptions("genesys"), credentials: sources });
    const token = await client.issue();
    await client.introspect(token);
    await client.issue();
    expect([sources.clientId.calls, sources.clientSecret.calls]).toEqual([2, 2]);
  });

  it("authapi: client id per request (header and body), secret only where the long-term token is issued", async () => {
    const { clientId, clientSecret } = sandbox.credentials.authapi;
    const sources = { clientId: counted(clientId, true), clientSecret: counted(clientSecret) };
    const client = createTokenClient("authapi", { baseUrl: sandbox.baseUrls.authapi, credentials: sources });
    const token = await client.issue();
    const afterIssue = sources.clientId.calls;
    expect(afterIssue).toBeGreaterThanOrEqual(2);
    expect(sources.clientSecret.calls).toBe(1);
    await client.revoke(await client.renew(token));
    expect(sources.clientSecret.calls).toBe(1);
    const failing = createTokenClient("authapi", { baseUrl: sandbox.baseUrls.authapi, credentials: { clientId, clientSecret: () => Promise.reject(new Error("vault down")) } });
    await refused(failing.issue(), "invalid_argument");
  });

  it("sftpgo: a rotating password read from a vault per request", async () => {
    const vault = { password: "wrong-password" };
    const client = createTokenClient("sftpgo", { baseUrl: sandbox.baseUrls.sftpgo, credentials: { username: sandbox.credentials.sftpgo.username, password: async () => vault.password } });
    await refused(client.issue(), "unauthorized");
    vault.password = sandbox.credentials.sftpgo.password;
    expect((await client.issue()).accessToken).toMatch(/^eyJ/);
  });

  it("the api client reads them per request as well", async () => {
    const { apiKey, siteId } = sandbox.credentials.mindbody;
    const sources = { ...sandbox.credentials.mindbody, apiKey: counted(apiKey), siteId: counted(siteId, true) };
    const client = createTokenClient("mindbody", { baseUrl: sandbox.baseUrls.mindbody, credentials: sources });
    const used = await client.api.POST("/public/v{version}/usertoken/renew", { params: { path: { version: "6" }, header: { siteId } } });
    expect(used.response.status).toBe(200);
    // issue (for the api's token), then the renew call itself: the api key both times.
    expect(sources.apiKey.calls).toBe(2);
  });
});

describe("SFTPGo two-factor authentication: a token source across several TOTP windows", () => {
  it("otp: () => sandbox.totp() keeps a token source issuing as the clock moves on; a fixed code does not", async () => {
    const { username, password } = sandbox.accounts.sftpgo.twoFactor;
    let codes = 0;
    const client = createTokenClient("sftpgo", { baseUrl: sandbox.baseUrls.sftpgo, credentials: { username, password, otp: () => (codes++, sandbox.totp()) } });
    const source = createTokenSource(client, { now: () => clock.now });
    const seen = new Set<string>();
    for (let window = 0; window < 4; window++) {
      const token = await source.getToken();
      expect(token.expiresAt!.getTime()).toBeGreaterThan(clock.now);
      seen.add(token.accessToken);
      // 25 minutes on: past the 20-minute token and 50 TOTP steps later.
      clock.now += 25 * 60_000;
    }
    expect(seen.size).toBe(4);
    expect(codes).toBe(4);

    // The issue's finding: with the code fixed at the first window, the second issue is refused.
    const fixed = createTokenClient("sftpgo", { baseUrl: sandbox.baseUrls.sftpgo, credentials: { username, password, otp: sandbox.totp() } });
    const stale = createTokenSource(fixed, { now: () => clock.now });
    await stale.getToken();
    clock.now += 25 * 60_000;
    const error = await refused(stale.getToken(), "unauthorized");
    expect(error.message).toContain("the one-time passcode is not valid");
  });
});

describe("a secret source that fails", () => {
  it("throws or rejects: invalid_argument naming the field, the cause kept, and nothing sent", async () => {
    for (const password of [
      () => {
        throw new RangeError("vault sealed");
      },
      () => Promise.reject(new Error("vault unreachable")),
    ]) {
      const before = sandbox.requestCount("sftpgo");
      const client = createTokenClient("sftpgo", { baseUrl: sandbox.baseUrls.sftpgo, credentials: { username: "admin", password } });
      const error = await refused(client.issue(), "invalid_argument");
      expect(error).toMatchObject({ vendor: "sftpgo", operation: "issue", retryable: false });
      expect(error.message).toMatch(/^sftpgo issue: credentials\.password is a function that threw \((RangeError|Error)\); expected it to return a non-empty string or a promise of one, and sent nothing$/);
      expect((error.cause as Error).message).toMatch(/^vault (sealed|unreachable)$/);
      expect(sandbox.requestCount("sftpgo")).toBe(before);
    }
  });

  it("returns no non-empty string: invalid_argument saying what came back (never the value), nothing sent", async () => {
    for (const [otp, described] of [
      [() => "", "an empty string"],
      [() => 123456, "number"],
      [async () => undefined, "undefined"],
    ] as const) {
      const before = sandbox.requestCount("sftpgo");
      const client = createTokenClient("sftpgo", { baseUrl: sandbox.baseUrls.sftpgo, credentials: { ...sandbox.credentials.sftpgo, otp: otp as () => string } });
      const error = await refused(client.issue(), "invalid_argument");
      expect(error.message).toBe(`sftpgo issue: credentials.otp is a function that returned ${described}; expected a non-empty string or a promise of one, and sent nothing`);
      expect(sandbox.requestCount("sftpgo")).toBe(before);
    }
  });

  it("is reported for the operation that needed it: mindbody revoke", async () => {
    let fail = false;
    const { apiKey } = sandbox.credentials.mindbody;
    const client = createTokenClient("mindbody", {
      baseUrl: sandbox.baseUrls.mindbody,
      credentials: { ...sandbox.credentials.mindbody, apiKey: () => (fail ? Promise.reject(new Error("rotated away")) : apiKey) },
    });
    const token = await client.issue();
    fail = true;
    const error = await refused(client.revoke(token), "invalid_argument");
    expect(error.operation).toBe("revoke");
    expect(error.message).toContain("credentials.apiKey is a function that threw (Error)");
  });

  it("a token source passes the error on and issues again on the next call", async () => {
    let calls = 0;
    const client = createTokenClient("vidispine", {
      baseUrl: sandbox.baseUrls.vidispine,
      credentials: { ...sandbox.credentials.vidispine, password: () => (++calls === 1 ? Promise.reject(new Error("not yet")) : sandbox.credentials.vidispine.password) },
    });
    const source = createTokenSource(client);
    await refused(source.getToken(), "invalid_argument");
    expect((await source.getToken()).accessToken).toBeTruthy();
  });
});

describe("what a secret source returns is redacted like any secret", () => {
  const CANARY = "canary-from-vault-9c4e";

  it("a server echoing the password and one-time code: masked in the message, the error's JSON and inspect()", async () => {
    const client = createTokenClient("sftpgo", { baseUrl: echo.url, credentials: { username: "admin", password: async () => `${CANARY}-pw`, otp: () => `${CANARY}-otp` } });
    const error = await refused(client.issue(), "unauthorized");
    expect(echo.seen.at(-1)?.headers["x-sftpgo-otp"]).toBe(`${CANARY}-otp`);
    expect(error.message).toContain("[redacted]");
    for (const form of await printedForms(error)) expect(form).not.toContain(CANARY);
    for (const form of await printedForms(client)) expect(form).not.toContain(CANARY);
  });

  it("mindbody: a password sent in the body and echoed back is masked", async () => {
    const client = createTokenClient("mindbody", {
      baseUrl: echo.url,
      credentials: { apiKey: () => `${CANARY}-key`, siteId: "-99", username: "staff", password: () => `${CANARY}-password` },
    });
    const error = await refused(client.issue(), "unauthorized");
    expect(echo.seen.at(-1)?.body).toContain(`${CANARY}-password`);
    for (const form of await printedForms(error)) expect(form).not.toContain(CANARY);
  });

  it("a source that throws with an earlier secret in its message: the cause is a redacted stand-in", async () => {
    let calls = 0;
    const client = createTokenClient("genesys", {
      ...sandbox.clientOptions("genesys"),
      credentials: {
        clientId: sandbox.credentials.genesys.clientId,
        clientSecret: () => {
          if (++calls === 1) return sandbox.credentials.genesys.clientSecret;
          throw new Error(`lease for ${sandbox.credentials.genesys.clientSecret} expired`);
        },
      },
    });
    await client.issue();
    const error = await refused(client.issue(), "invalid_argument");
    const cause = error.cause as Error;
    expect(cause.message).toBe("lease for [redacted] expired");
    expect(inspect(error, { depth: 5 })).not.toContain(sandbox.credentials.genesys.clientSecret);
  });
});

describe("types", () => {
  it("credentials take strings and secret sources; other values do not compile", () => {
    expectTypeOf<SecretSource>().toEqualTypeOf<string | (() => string | Promise<string>)>();
    const neverCalled = () => {
      createTokenClient("sftpgo", { credentials: { username: "u", password: () => "p", otp: async () => "123456" } });
      createTokenClient("genesys", { credentials: { clientId: () => "c", clientSecret: async () => "s" }, clientAuthentication: "client_secret_post" });
      // @ts-expect-error: a number is no secret source
      createTokenClient("sftpgo", { credentials: { username: "u", password: "p", otp: () => 123456 } });
      // @ts-expect-error: client_secret_jwt is not supported
      createTokenClient("genesys", { credentials: { clientId: "c", clientSecret: "s" }, clientAuthentication: "client_secret_jwt" });
    };
    expectTypeOf(neverCalled).toBeFunction();
  });
});
