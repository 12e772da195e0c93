import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenClient, createTokenSource, TokenError, type VendorId } from "../src/index.js";
import { json, printedForms, startServer, stubFetch, type TestServer } from "./helpers.js";

const canary = (vendor: string, field: string) => `CANARY-${vendor}-${field}-7f3a9c`;
const CREDENTIALS: Record<VendorId, Record<string, string>> = {
  mindbody: { apiKey: canary("mb", "apiKey"), siteId: canary("mb", "siteId"), username: canary("mb", "username"), password: canary("mb", "password") },
  vidispine: { username: canary("vs", "username"), password: canary("vs", "password") },
  sftpgo: { username: canary("sf", "username"), password: canary("sf", "password"), otp: canary("sf", "otp") },
  genesys: { clientId: canary("gc", "clientId"), clientSecret: canary("gc", "clientSecret") },
  authapi: { clientId: canary("aa", "clientId"), clientSecret: canary("aa", "clientSecret") },
};
const TOKEN = "CANARY-access-token-0b1c2d";
const VENDORS = Object.keys(CREDENTIALS) as VendorId[];

/** Every secret, and the base64 forms a Basic header would carry. */
function secretsOf(vendor: VendorId): string[] {
  const values = Object.values(CREDENTIALS[vendor]);
  const { username, password, clientId, clientSecret } = CREDENTIALS[vendor];
  const pairs = [
    [username, password],
    [clientId, clientSecret],
  ].filter(([a, b]) => a && b);
  return [...values, TOKEN, ...pairs.map(([a, b]) => btoa(`${a}:${b}`))];
}

function expectClean(vendor: VendorId, forms: string[]) {
  for (const form of forms) for (const secret of secretsOf(vendor)) expect(form, `leaked ${secret}`).not.toContain(secret);
}

// Echoes everything it was sent: headers (Authorization, API-Key, …), URL and body.
let echo: TestServer;
beforeAll(async () => {
  echo = await startServer((req, res, seen) => {
    const mode = (req.url ?? "").split("/")[1];
    const dump = JSON.stringify({ url: seen.url, headers: seen.headers, body: seen.body, token: TOKEN });
    if (mode === "html") res.writeHead(502, { "content-type": "text/html" }).end(`<pre>${dump}</pre>`);
    else if (mode === "plain") res.writeHead(401, { "content-type": "text/plain" }).end(`denied ${seen.headers.authorization} ${seen.body}`);
    else if (mode === "ok-html") res.writeHead(200, { "content-type": "text/html" }).end(dump);
    else if (mode === "bad-json") res.writeHead(200, { "content-type": "application/json" }).end(`{"access_token":"${TOKEN}", bad`);
    else
      res
        .writeHead(401, { "content-type": "application/json" })
        .end(JSON.stringify({ message: dump, error: dump, error_description: dump, Error: { Message: dump, Code: seen.headers.authorization }, code: seen.headers["api-key"] }));
  });
});
afterAll(() => echo.close());

function clientFor(vendor: VendorId, baseUrl: string, fetch?: typeof globalThis.fetch) {
  const extra = vendor === "genesys" ? { loginUrl: baseUrl } : {};
  return createTokenClient(vendor, { baseUrl, credentials: CREDENTIALS[vendor], retry: { retries: 1, baseDelayMs: 1 }, fetch, ...extra } as never);
}

describe("no secret is printed", () => {
  for (const vendor of VENDORS) {
    it(`${vendor}: errors from upstreams that echo what they were sent`, async () => {
      for (const mode of ["json", "html", "plain", "ok-html", "bad-json"]) {
        const base = vendor === "authapi" ? `${echo.url}/${mode}/v1` : `${echo.url}/${mode}`;
        const client = clientFor(vendor, base);
        const token = { vendor, accessToken: TOKEN, tokenType: "bearer", tokenId: "tok_1", raw: { access_token: TOKEN } };
        const loose = client as unknown as Record<string, (token?: unknown) => Promise<unknown>>;
        for (const operation of ["issue", "renew", "revoke", "introspect"] as const) {
          if (operation !== "issue" && !client.capabilities[operation]) continue;
          const error = await loose[operation]!(token).then(
            () => undefined,
            (e: unknown) => e,
          );
          if (vendor === "sftpgo" && operation === "introspect") continue; // local decode, no I/O
          if (vendor === "authapi" && operation === "renew") continue; // foreign token: refused before I/O
          if (operation === "revoke" && mode.startsWith("ok-") || (operation === "revoke" && mode === "bad-json")) continue; // a 2xx revokes
          expect(error, `${vendor} ${operation} ${mode}`).toBeInstanceOf(TokenError);
          expectClean(vendor, await printedForms(error));
          expectClean(vendor, [JSON.stringify((error as TokenError).toJSON()), inspect(error, { depth: 10 })]);
        }
      }
    });

    it(`${vendor}: argument errors, network errors, clients, sources and tokens`, async () => {
      const errors: unknown[] = [];
      const capture = (fn: () => unknown) => {
        try {
          fn();
        } catch (e) {
          errors.push(e);
        }
      };
      capture(() => createTokenClient(vendor, { baseUrl: "notaurl", credentials: CREDENTIALS[vendor] } as never));
      capture(() => createTokenClient(vendor, { baseUrl: "http://example.com", credentials: CREDENTIALS[vendor] } as never));
      capture(() => createTokenClient(vendor, { credentials: { ...CREDENTIALS[vendor], [Object.keys(CREDENTIALS[vendor])[0]!]: 42 } } as never));
      capture(() => createTokenClient(vendor, { credentials: CREDENTIALS[vendor], timeoutMs: -1 } as never));
      expect(errors).toHaveLength(4);

      const failing = stubFetch(() => {
        // A fetch wrapper that puts what it sent into its error (the facade has no token yet).
        throw new TypeError(`fetch failed for ${JSON.stringify(CREDENTIALS[vendor])}`, { cause: new Error(JSON.stringify(CREDENTIALS[vendor])) });
      });
      const offline = clientFor(vendor, vendor === "authapi" ? "https://auth.test/v1" : "https://vendor.test", failing);
      errors.push(await offline.issue().catch((e: unknown) => e));

      const tokenBody = {
        access_token: TOKEN,
        AccessToken: TOKEN,
        token: TOKEN,
        TokenType: "Bearer",
        token_type: "bearer",
        expires_in: 3600,
        expires_at: "2099-01-01T00:00:00Z",
        Expires: "2099-01-01T00:00:00Z",
        token_id: "tok_1",
        user: "someone",
      };
      const fetch = stubFetch(() => json(tokenBody, vendor === "authapi" ? 201 : 200));
      const client = clientFor(vendor, vendor === "authapi" ? "https://auth.test/v1" : "https://vendor.test", fetch);
      const token = await client.issue();
      expect(token.accessToken).toBe(TOKEN);
      const source = createTokenSource(client);
      await source.getToken();
      for (const error of errors) {
        expect(error).toBeInstanceOf(TokenError);
        expectClean(vendor, await printedForms(error));
      }
      for (const value of [client, source, token]) expectClean(vendor, await printedForms(value));
      expect(inspect(token)).toContain("[redacted]");
      expect(JSON.parse(JSON.stringify(token))).toMatchObject({ vendor, accessToken: "[redacted]" });
    });
  }

  it("Token: raw stays readable in code while every serialised form is redacted", async () => {
    const fetch = stubFetch(() => new Response(`${TOKEN}\n`, { headers: { "content-type": "text/plain" } }));
    const client = createTokenClient("vidispine", { baseUrl: "http://localhost:8080", credentials: { username: "u", password: "p" }, fetch });
    const token = await client.issue();
    expect(token.raw).toBe(TOKEN);
    expect(token.accessToken).toBe(TOKEN);
    expect(Object.isFrozen(token)).toBe(true);
    expect(String(token)).toMatch(/^Token\(vidispine, expires \d{4}-/);
    for (const form of await printedForms(token)) expect(form).not.toContain(TOKEN);
  });
});
