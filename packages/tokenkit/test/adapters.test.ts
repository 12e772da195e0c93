import { describe, expect, it } from "vitest";
import { decodeJwt, parseGoDuration } from "../src/adapters/sftpgo.js";
import { createTokenClient, TokenError } from "../src/index.js";
import { fakeJwt, json, stubFetch } from "./helpers.js";

const BASE = "https://vendor.test";

describe("mindbody adapter", () => {
  const credentials = { apiKey: "mb-api-key", siteId: "-99", username: "frontdesk", password: "mb-password" };

  it("issues with API-Key, siteId and the staff login, and reads a zone-less Expires as UTC", async () => {
    const fetch = stubFetch(() => json({ TokenType: "Bearer", AccessToken: "mb-token", Expires: "2030-01-02T03:04:05", User: { Id: 1 } }));
    const client = createTokenClient("mindbody", { baseUrl: BASE, credentials, fetch });
    const token = await client.issue();
    expect(token).toMatchObject({ vendor: "mindbody", accessToken: "mb-token", tokenType: "bearer" });
    expect(token.expiresAt?.toISOString()).toBe("2030-01-02T03:04:05.000Z");
    const [request] = fetch.seen;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`${BASE}/public/v6/usertoken/issue`);
    expect(request?.headers["api-key"]).toBe("mb-api-key");
    expect(request?.headers.siteid).toBe("-99");
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.parse(request?.body ?? "")).toEqual({ Username: "frontdesk", Password: "mb-password" });
  });

  it("renews and revokes with the staff token as Bearer next to the API key, on the configured version", async () => {
    const fetch = stubFetch((request) =>
      request.url.endsWith("/issue")
        ? json({ TokenType: "Bearer", AccessToken: "mb-token", Expires: "2030-01-01T00:00:00Z" })
        : request.url.endsWith("/renew")
          ? json({ Expires: "2030-01-02T00:00:00Z" })
          : json({}),
    );
    const client = createTokenClient("mindbody", { baseUrl: BASE, credentials, fetch, version: "7" });
    const token = await client.issue();
    const renewed = await client.renew(token);
    // The renew body may carry only the new expiry: the token itself is kept.
    expect(renewed.accessToken).toBe("mb-token");
    expect(renewed.expiresAt?.toISOString()).toBe("2030-01-02T00:00:00.000Z");
    await client.revoke(renewed);
    const [, renew, revoke] = fetch.seen;
    expect(renew).toMatchObject({ method: "POST", url: `${BASE}/public/v7/usertoken/renew` });
    expect(renew?.headers.authorization).toBe("Bearer mb-token");
    expect(renew?.headers["api-key"]).toBe("mb-api-key");
    expect(revoke).toMatchObject({ method: "DELETE", url: `${BASE}/public/v7/usertoken/revoke` });
    expect(revoke?.headers.authorization).toBe("Bearer mb-token");
    expect(revoke?.headers.siteid).toBe("-99");
  });

  it("maps {Error: {Message, Code}} into the message; a 400 for a wrong login is unauthorized", async () => {
    const fetch = stubFetch(() => json({ Error: { Message: "The user name or password is incorrect.", Code: "InvalidUserCredentials" } }, 400));
    const client = createTokenClient("mindbody", { baseUrl: BASE, credentials, fetch });
    const error = await client.issue().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenError);
    expect(error).toMatchObject({ code: "unauthorized", status: 400, vendor: "mindbody", operation: "issue", retryable: false });
    expect((error as Error).message).toBe(
      "mindbody issue: expected 200 with an IssueResponse body, received 400 application/json (InvalidUserCredentials: The user name or password is incorrect.)",
    );
  });
});

describe("vidispine adapter", () => {
  const credentials = { username: "admin", password: "vs-password" };

  it("sends seconds and autoRefresh, accepts JSON, and sets expiresAt = start (floored to the second) + seconds", async () => {
    const fetch = stubFetch(() => json({ token: "vs-token", user: "admin" }));
    const client = createTokenClient("vidispine", { baseUrl: BASE, credentials, fetch, seconds: 30, autoRefresh: true });
    const before = Date.now();
    const token = await client.issue();
    const after = Date.now();
    expect(token).toMatchObject({ vendor: "vidispine", accessToken: "vs-token", tokenType: "token" });
    const expiry = token.expiresAt?.getTime() ?? 0;
    expect(expiry).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 30_000);
    expect(expiry).toBeLessThanOrEqual(Math.floor(after / 1000) * 1000 + 30_000);
    expect(expiry % 1000).toBe(0);
    const url = new URL(fetch.seen[0]?.url ?? "");
    expect(url.pathname).toBe("/API/token");
    expect(url.searchParams.get("seconds")).toBe("30");
    expect(url.searchParams.get("autoRefresh")).toBe("true");
    expect(fetch.seen[0]?.headers.authorization).toBe(`Basic ${btoa("admin:vs-password")}`);
  });

  it("accepts a text/plain token and defaults the lifetime to 60 s", async () => {
    const fetch = stubFetch(() => new Response("vs-plain-token\n", { headers: { "content-type": "text/plain" } }));
    const client = createTokenClient("vidispine", { baseUrl: BASE, credentials, fetch });
    const before = Date.now();
    const token = await client.issue();
    expect(token.accessToken).toBe("vs-plain-token");
    expect(token.expiresAt!.getTime() - Math.floor(before / 1000) * 1000).toBeGreaterThanOrEqual(60_000);
    expect(token.expiresAt!.getTime() - before).toBeLessThanOrEqual(60_000);
    expect(new URL(fetch.seen[0]?.url ?? "").search).toBe("");
  });

  it("maps a text/plain 409 to conflict, quoting the text", async () => {
    const fetch = stubFetch(() => new Response("The user is disabled", { status: 409, headers: { "content-type": "text/plain" } }));
    const client = createTokenClient("vidispine", { baseUrl: BASE, credentials, fetch });
    await expect(client.issue()).rejects.toMatchObject({ code: "conflict", status: 409, message: expect.stringContaining("409 text/plain (The user is disabled)") });
  });
});

describe("sftpgo adapter", () => {
  const credentials = { username: "admin", password: "sf-password", otp: "123456" };

  it("issues an admin token with basic auth and the OTP header", async () => {
    const jwt = fakeJwt({ aud: ["API"], exp: 1_900_000_000 });
    const fetch = stubFetch(() => json({ access_token: jwt, expires_at: "2030-01-01T12:20:00Z" }));
    const client = createTokenClient("sftpgo", { baseUrl: BASE, credentials, fetch });
    const token = await client.issue();
    expect(token.expiresAt?.toISOString()).toBe("2030-01-01T12:20:00.000Z");
    expect(fetch.seen[0]).toMatchObject({ method: "GET", url: `${BASE}/api/v2/token` });
    expect(fetch.seen[0]?.headers.authorization).toBe(`Basic ${btoa("admin:sf-password")}`);
    expect(fetch.seen[0]?.headers["x-sftpgo-otp"]).toBe("123456");
  });

  it("uses the user endpoints for audience user, and falls back to the JWT exp claim", async () => {
    const jwt = fakeJwt({ aud: ["APIUser"], exp: 1_900_000_000, username: "alice" });
    const fetch = stubFetch((request) => (request.url.endsWith("/token") ? json({ access_token: jwt }) : json({ message: "Your token has been invalidated" })));
    const client = createTokenClient("sftpgo", { baseUrl: BASE, credentials: { username: "alice", password: "pw-alice" }, fetch, audience: "user" });
    const token = await client.issue();
    expect(token.expiresAt?.getTime()).toBe(1_900_000_000_000);
    expect(await client.introspect(token)).toMatchObject({ username: "alice", aud: ["APIUser"] });
    await client.revoke(token);
    expect(fetch.seen.map((r) => r.url)).toEqual([`${BASE}/api/v2/user/token`, `${BASE}/api/v2/user/logout`]);
    expect(fetch.seen[1]?.headers.authorization).toBe(`Bearer ${jwt}`);
    expect(fetch.seen[0]?.headers["x-sftpgo-otp"]).toBeUndefined();
  });

  it("refuses to introspect a token that is not a JWT, without I/O", async () => {
    const fetch = stubFetch(() => json({ access_token: "opaque", expires_at: "2030-01-01T00:00:00Z" }));
    const client = createTokenClient("sftpgo", { baseUrl: BASE, credentials, fetch });
    const token = await client.issue();
    await expect(client.introspect(token)).rejects.toMatchObject({ code: "invalid_argument", operation: "introspect" });
    expect(fetch.seen).toHaveLength(1);
  });
});

describe("sftpgo helpers", () => {
  it("decodes a JWT's claims locally (base64url, UTF-8) and refuses anything else", () => {
    expect(decodeJwt(fakeJwt({ exp: 1_900_000_000, username: "zoë", aud: ["API"] }))).toEqual({ exp: 1_900_000_000, username: "zoë", aud: ["API"] });
    for (const bad of ["opaque", "a.b", "a.!!.c", fakeJwt({}).replace(/\.[^.]+\./, ".WzFd."), `${fakeJwt({})}.x.y`]) expect(decodeJwt(bad), bad).toBeUndefined();
  });

  it("parses Go durations (X-Retry-In) and rejects anything else", () => {
    expect([parseGoDuration("1.5s"), parseGoDuration("1m30s"), parseGoDuration("15ms"), parseGoDuration("250us")]).toEqual([1500, 90_000, 15, 0.25]);
    for (const bad of [null, "", "10", "1x", "1s2", "soon"]) expect(parseGoDuration(bad), String(bad)).toBeUndefined();
  });
});

describe("genesys adapter", () => {
  const credentials = { clientId: "gc-client", clientSecret: "gc-secret" };

  it("issues on the login host with a form body and computes expiresAt from expires_in", async () => {
    const fetch = stubFetch(() => json({ access_token: "gc-token", token_type: "bearer", expires_in: 86_400 }));
    const client = createTokenClient("genesys", { region: "mypurecloud.ie", credentials, fetch });
    const before = Date.now();
    const token = await client.issue();
    expect(token).toMatchObject({ vendor: "genesys", accessToken: "gc-token", tokenType: "bearer" });
    expect(token.expiresAt!.getTime() - Math.floor(before / 1000) * 1000).toBeGreaterThanOrEqual(86_400_000);
    expect(token.expiresAt!.getTime() - before).toBeLessThanOrEqual(86_400_000);
    const [request] = fetch.seen;
    expect(request).toMatchObject({ method: "POST", url: "https://login.mypurecloud.ie/oauth/token", body: "grant_type=client_credentials" });
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(request?.headers.authorization).toBe(`Basic ${btoa("gc-client:gc-secret")}`);
  });

  it("derives the login host from baseUrl, introspects without resetting the idle timer, and revokes", async () => {
    const fetch = stubFetch((request) =>
      request.url.includes("/oauth/") ? json({ access_token: "gc-token", token_type: "bearer", expires_in: 300 }) : request.method === "GET" ? json({ authorizedScope: ["a"] }) : new Response(null, { status: 204 }),
    );
    const client = createTokenClient("genesys", { baseUrl: "https://api.usw2.pure.cloud", credentials, fetch });
    const token = await client.issue();
    expect(await client.introspect(token)).toEqual({ authorizedScope: ["a"] });
    await client.revoke(token);
    expect(fetch.seen.map((r) => `${r.method} ${r.url}`)).toEqual([
      "POST https://login.usw2.pure.cloud/oauth/token",
      "GET https://api.usw2.pure.cloud/api/v2/tokens/me?preserveIdleTTL=true",
      "DELETE https://api.usw2.pure.cloud/api/v2/tokens/me",
    ]);
    expect(fetch.seen[1]?.headers.authorization).toBe("Bearer gc-token");
    expect(fetch.seen[2]?.headers.authorization).toBe("Bearer gc-token");
  });

  it("maps OAuth and ErrorBody errors, with the inin-correlation-id as requestId", async () => {
    const fetch = stubFetch((request) =>
      request.url.includes("/oauth/")
        ? json({ error: "invalid_client", error_description: "client not found" }, 400, { "inin-correlation-id": "corr-1" })
        : json({ message: "Authentication failed", code: "authentication.required", status: 401 }, 401, { "inin-correlation-id": "corr-2" }),
    );
    const client = createTokenClient("genesys", { baseUrl: "https://api.mypurecloud.com", credentials, fetch, retry: false });
    const issued = await client.issue().catch((e: unknown) => e);
    // 400 invalid_client is a credentials problem, not a malformed request.
    expect(issued).toMatchObject({ code: "unauthorized", status: 400, requestId: "corr-1", message: expect.stringContaining("(invalid_client: client not found)") });
    const fake = { vendor: "genesys" as const, accessToken: "x", tokenType: "bearer", raw: {} };
    await expect(client.introspect(fake)).rejects.toMatchObject({ code: "unauthorized", requestId: "corr-2", message: expect.stringContaining("authentication.required: Authentication failed") });
  });
});

describe("authapi adapter", () => {
  const credentials = { clientId: "c2m-client", clientSecret: "c2m-secret" };
  const long = { token_type: "Bearer", access_token: "lt-token", expires_in: 2_592_000, expires_at: "2030-02-01T00:00:00Z", scopes: ["jobs:submit"] };
  const short = (n: number) => ({ token_type: "Bearer", access_token: `st-token-${n}`, expires_in: 900, expires_at: new Date(Date.now() + 900_000).toISOString().replace(/\.\d+Z$/, "Z"), scopes: ["jobs:submit"], token_id: `tok_st_${n}` });

  function vendor() {
    let shorts = 0;
    return stubFetch((request) => {
      if (request.url.endsWith("/auth/tokens/long")) return json(long, 201, { "x-token-id": "tok_lt_1" });
      if (request.url.endsWith("/auth/tokens/short")) return json(short(++shorts), 201);
      return new Response(null, { status: 204 });
    });
  }

  it("exchanges a long-term token for a short-term one; renew asks for another short-term token", async () => {
    const fetch = vendor();
    const client = createTokenClient("authapi", { baseUrl: "https://api.example.com/v1", credentials, fetch, ttlSeconds: 86_400, scopes: ["jobs:submit"] });
    const token = await client.issue();
    expect(token).toMatchObject({ vendor: "authapi", accessToken: "st-token-1", tokenType: "bearer", tokenId: "tok_st_1", scope: "jobs:submit" });
    // expires_in 900 and expires_at (whole seconds) agree to within a second; the earlier one counts.
    expect(Date.now() + 900_000 - token.expiresAt!.getTime()).toBeGreaterThanOrEqual(0);
    expect(Date.now() + 900_000 - token.expiresAt!.getTime()).toBeLessThan(2_000);
    const [issueLong, issueShort] = fetch.seen;
    expect(issueLong?.url).toBe("https://api.example.com/v1/auth/tokens/long");
    expect(issueLong?.headers["x-client-id"]).toBe("c2m-client");
    expect(JSON.parse(issueLong?.body ?? "")).toEqual({ grant_type: "client_credentials", client_id: "c2m-client", client_secret: "c2m-secret", scopes: ["jobs:submit"], ttl_seconds: 86_400 });
    expect(issueShort?.headers.authorization).toBe("Bearer lt-token");
    const renewed = await client.renew(token);
    expect(renewed.accessToken).toBe("st-token-2");
    expect(fetch.seen[2]?.headers.authorization).toBe("Bearer lt-token");
    expect(fetch.seen).toHaveLength(3);
  });

  it("revokes the short-term token and the long-term token it came from (X-Token-Id)", async () => {
    const fetch = vendor();
    const client = createTokenClient("authapi", { baseUrl: "https://api.example.com/v1", credentials, fetch });
    const token = await client.issue();
    await client.revoke(token);
    expect(fetch.seen.slice(2).map((r) => `${r.method} ${r.url} ${r.headers.authorization}`)).toEqual([
      "POST https://api.example.com/v1/auth/tokens/tok_st_1/revoke Bearer st-token-1",
      "POST https://api.example.com/v1/auth/tokens/tok_lt_1/revoke Bearer lt-token",
    ]);
  });

  it("cannot renew a token it did not issue (invalid_argument, no I/O)", async () => {
    const fetch = vendor();
    const client = createTokenClient("authapi", { baseUrl: "https://api.example.com/v1", credentials, fetch });
    const foreign = { vendor: "authapi" as const, accessToken: "st", tokenType: "bearer", raw: {} };
    await expect(client.renew(foreign)).rejects.toMatchObject({ code: "invalid_argument", operation: "renew" });
    await expect(client.revoke(foreign)).rejects.toMatchObject({ code: "invalid_argument", operation: "revoke" });
    expect(fetch.seen).toHaveLength(0);
  });

  it("revokes the orphaned long-term token when the exchange fails, and maps AuthError", async () => {
    const fetch = stubFetch((request) => {
      if (request.url.endsWith("/long")) return json(long, 201, { "x-token-id": "tok_lt_9" });
      if (request.url.endsWith("/short")) return json({ code: "insufficient_scope", message: "no tokens:write" }, 401);
      return new Response(null, { status: 204 });
    });
    const client = createTokenClient("authapi", { baseUrl: "https://api.example.com/v1", credentials, fetch });
    await expect(client.issue()).rejects.toMatchObject({ code: "forbidden", status: 401, message: expect.stringContaining("insufficient_scope: no tokens:write") });
    expect(fetch.seen.map((r) => r.url.replace("https://api.example.com/v1", ""))).toEqual(["/auth/tokens/long", "/auth/tokens/short", "/auth/tokens/tok_lt_9/revoke"]);
  });
});
