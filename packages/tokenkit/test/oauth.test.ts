import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTokenClient, TokenError, type GenesysTokenClientOptions, type Token } from "../src/index.js";
import { printedForms } from "./helpers.js";

// Genesys' client-credentials call against a real, certified OAuth 2.0 authorization server
// (panva's oidc-provider), in-process on 127.0.0.1: client authentication as RFC 6749 §2.3.1 has it.
const RESOURCE = "urn:tokenkit:test-api";
const TTL_SECONDS = 3600;

type Client = { client_id: string; client_secret: string; token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post" };
const clients: Client[] = [
  { client_id: "plain-client", client_secret: "abc+def/ghi=" },
  { client_id: "percent-client", client_secret: "100%sure" },
  { client_id: "urn:tk:colon", client_secret: "colon-client-secret" },
  // RFC 6749 allows only printable ASCII (VSCHAR) in ids and secrets; the provider refuses anything else.
  { client_id: "spaced client", client_secret: "a secret & more ~!*'()\"\\" },
  { client_id: "post-client", client_secret: "post+secret/100%=", token_endpoint_auth_method: "client_secret_post" },
];

let server: Server;
let issuer: string;
const wire: { authorization: string | undefined; body: string }[] = [];

/** Reads a request body without consuming it for the provider (it reads the same stream after us). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      // Hand the bytes back to the provider's body parser.
      (req as IncomingMessage & { body?: unknown }).body = Object.fromEntries(new URLSearchParams(body.toString("utf8")));
      resolve(body.toString("utf8"));
    });
  });
}

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Our own signing key: the provider's development keys come with a warning.
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const provider = new Provider(issuer, {
    clients: clients.map((client) => ({ grant_types: ["client_credentials"], redirect_uris: [], response_types: [], ...client })),
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test", use: "sig", alg: "RS256" }] },
    routes: { token: "/oauth/token" },
    cookies: { keys: ["oauth-test-cookie-key"] },
    ttl: { ClientCredentials: TTL_SECONDS },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A resource indicator makes the access token a JWT, whose `exp` we can read.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        getResourceServerInfo: () => ({ scope: "api", accessTokenFormat: "jwt", accessTokenTTL: TTL_SECONDS }),
      },
    },
  });
  // What each token request carried, to tell the two client authentication methods apart.
  provider.use(async (ctx, next) => {
    if (ctx.path === "/oauth/token") wire.push({ authorization: ctx.headers.authorization, body: await readBody(ctx.req) });
    await next();
  });
  server.on("request", provider.callback());
});
beforeEach(() => {
  wire.length = 0;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function genesys(credentials: GenesysTokenClientOptions["credentials"], clientAuthentication?: GenesysTokenClientOptions["clientAuthentication"]) {
  return createTokenClient("genesys", { baseUrl: issuer, loginUrl: issuer, credentials, clientAuthentication, retry: false });
}

async function refused(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

/** The claims of a JWT access token. */
function readClaims(token: Token): { exp: number; iat: number; client_id: string; aud: string } {
  return JSON.parse(Buffer.from(token.accessToken.split(".")[1] ?? "", "base64url").toString("utf8"));
}

/** expiresAt is never later than the server's exp, and at most a second (plus the round trip) earlier: to the millisecond. */
function expectExpiry(token: Token, before: number, after: number): void {
  const { exp, iat } = readClaims(token);
  const expiresAt = token.expiresAt!.getTime();
  expect(exp - iat).toBe(TTL_SECONDS);
  expect(expiresAt).toBeLessThanOrEqual(exp * 1000);
  expect(exp * 1000 - expiresAt).toBeLessThanOrEqual(Math.ceil(after / 1000) * 1000 - Math.floor(before / 1000) * 1000);
  expect(expiresAt % 1000).toBe(0);
}

describe("client_secret_basic (the default): id and secret form-urlencoded before Basic", () => {
  for (const { client_id, client_secret } of clients.filter((client) => !client.token_endpoint_auth_method)) {
    it(`client ${JSON.stringify(client_id)} with secret ${JSON.stringify(client_secret)} gets a token`, async () => {
      const before = Date.now();
      const token = await genesys({ clientId: client_id, clientSecret: client_secret }).issue();
      const after = Date.now();
      expect(token).toMatchObject({ vendor: "genesys", tokenType: "bearer" });
      expect(readClaims(token)).toMatchObject({ client_id, aud: RESOURCE });
      expectExpiry(token, before, after);
    });
  }

  it("the server is strict: the raw `id:secret` in Basic, as sent before, is refused for `abc+def/ghi=` and `urn:tk:colon`", async () => {
    for (const { client_id, client_secret } of [clients[0]!, clients[2]!]) {
      const response = await fetch(`${issuer}/oauth/token`, {
        method: "POST",
        headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: "invalid_client" });
    }
  });

  it("secret sources (functions) are encoded the same way, per request", async () => {
    let calls = 0;
    const client = genesys({ clientId: async () => "urn:tk:colon", clientSecret: () => (calls++, "colon-client-secret") });
    const first = await client.issue();
    const second = await client.issue();
    expect(first.accessToken).not.toBe(second.accessToken);
    expect(calls).toBe(2);
  });

  it("a wrong secret: unauthorized, with the server's OAuth error and no secret in any printed form", async () => {
    const canary = "wrong-secret-canary+/=";
    const error = await refused(genesys({ clientId: "plain-client", clientSecret: canary }).issue());
    expect(error).toMatchObject({ code: "unauthorized", status: 401, vendor: "genesys", operation: "issue", retryable: false });
    expect(error.message).toBe("genesys issue: expected 200 with an access_token body, received 401 application/json (invalid_client: client authentication failed)");
    for (const form of await printedForms(error)) expect(form).not.toContain("wrong-secret-canary");
  });

  it("an unknown client: unauthorized", async () => {
    const error = await refused(genesys({ clientId: "no-such-client", clientSecret: "whatever-secret" }).issue());
    expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    expect(error.message).toContain("invalid_client");
  });

  it("sends the client only in Basic: nothing of it in the body", async () => {
    await genesys({ clientId: "plain-client", clientSecret: "abc+def/ghi=" }).issue();
    expect(wire).toEqual([{ authorization: `Basic ${Buffer.from("plain-client:abc%2Bdef%2Fghi%3D").toString("base64")}`, body: "grant_type=client_credentials" }]);
  });
});

describe("client_secret_post: id and secret in the form body", () => {
  it("the client registered for client_secret_post gets a token", async () => {
    const { client_id, client_secret } = clients[4]!;
    const before = Date.now();
    const token = await genesys({ clientId: client_id, clientSecret: client_secret }, "client_secret_post").issue();
    const after = Date.now();
    expect(readClaims(token)).toMatchObject({ client_id, aud: RESOURCE });
    expectExpiry(token, before, after);
  });

  it("sends no Authorization header: the client goes in the form body", async () => {
    const { client_id, client_secret } = clients[4]!;
    await genesys({ clientId: client_id, clientSecret: client_secret }, "client_secret_post").issue();
    expect(wire).toHaveLength(1);
    expect(wire[0]?.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(wire[0]?.body))).toEqual({ grant_type: "client_credentials", client_id, client_secret });
  });

  it("reserved characters travel in the body too", async () => {
    for (const { client_id, client_secret } of clients.slice(0, 4)) {
      const token = await genesys({ clientId: client_id, clientSecret: client_secret }, "client_secret_post").issue();
      expect(readClaims(token).client_id).toBe(client_id);
    }
  });

  it("a wrong secret and an unknown client are refused: unauthorized", async () => {
    const post = clients[4]!;
    for (const credentials of [
      { clientId: post.client_id, clientSecret: `${post.client_secret}x` },
      { clientId: "no-such-client", clientSecret: "whatever-secret" },
    ]) {
      const error = await refused(genesys(credentials, "client_secret_post").issue());
      expect(error).toMatchObject({ code: "unauthorized", status: 401 });
      for (const form of await printedForms(error)) expect(form).not.toContain(credentials.clientSecret);
    }
  });
});
