import createFetchClient from "openapi-fetch";
import { describe, expect, it } from "vitest";
import { authMiddleware, createTokenClient, createTokenSource } from "../src/index.js";
import { json, stubFetch } from "./helpers.js";

/** A token source over an SFTPGo stub that hands out token-1, token-2, … */
function sftpgoSource() {
  let n = 0;
  const vendor = stubFetch(() => json({ access_token: `token-${++n}`, expires_at: "2099-01-01T00:00:00Z" }));
  const client = createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" }, fetch: vendor });
  return { source: createTokenSource(client), vendor };
}

interface Paths {
  "/things": {
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": { name: string } } };
      responses: { 200: { headers: Record<string, unknown>; content: { "application/json": { ok: boolean } } } };
    };
  };
}

describe("authMiddleware", () => {
  it("sends the token as Bearer and retries a 401 once with a fresh token and the same body", async () => {
    const { source } = sftpgoSource();
    const api = stubFetch((request) => (request.headers.authorization === "Bearer token-1" ? json({ message: "expired" }, 401) : json({ ok: true })));
    const client = createFetchClient<Paths>({ baseUrl: "https://api.test", fetch: api });
    client.use(authMiddleware(source));
    const { data, response } = await client.POST("/things", { body: { name: "widget" } });
    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(api.seen.map((r) => [r.headers.authorization, r.body])).toEqual([
      ["Bearer token-1", '{"name":"widget"}'],
      ["Bearer token-2", '{"name":"widget"}'],
    ]);
    expect((await source.getToken()).accessToken).toBe("token-2");
  });

  it("never loops: a second 401 is returned to the caller", async () => {
    const { source, vendor } = sftpgoSource();
    const api = stubFetch(() => json({ message: "nope" }, 401));
    const client = createFetchClient<Paths>({ baseUrl: "https://api.test", fetch: api });
    client.use(authMiddleware(source));
    const { error, response } = await client.POST("/things", { body: { name: "x" } });
    expect(response.status).toBe(401);
    expect(error).toEqual({ message: "nope" });
    expect(api.seen).toHaveLength(2);
    expect(vendor.seen).toHaveLength(2);
  });

  it("does not retry other statuses, and leaves an explicit Authorization alone", async () => {
    const { source, vendor } = sftpgoSource();
    const api = stubFetch(() => json({ message: "forbidden" }, 403));
    const client = createFetchClient<Paths>({ baseUrl: "https://api.test", fetch: api });
    client.use(authMiddleware(source));
    await client.POST("/things", { body: { name: "x" } });
    await client.POST("/things", { body: { name: "y" }, headers: { Authorization: "Basic abc" } });
    expect(api.seen.map((r) => r.headers.authorization)).toEqual(["Bearer token-1", "Basic abc"]);
    expect(vendor.seen).toHaveLength(1);
  });

  it("uses Vidispine's `token <t>` format", async () => {
    const vendor = stubFetch(() => json({ token: "vs-1", user: "admin" }));
    const client = createTokenClient("vidispine", { baseUrl: "http://localhost:8080", credentials: { username: "admin", password: "pw" }, fetch: vendor });
    const api = stubFetch(() => json({ ok: true }));
    const other = createFetchClient<Paths>({ baseUrl: "http://localhost:8080", fetch: api });
    other.use(authMiddleware(createTokenSource(client)));
    await other.POST("/things", { body: { name: "x" } });
    expect(api.seen[0]?.headers.authorization).toBe("token vs-1");
  });

  it("sends Mindbody's staff token as Bearer without touching API-Key", async () => {
    const vendor = stubFetch(() => json({ TokenType: "Bearer", AccessToken: "mb-1", Expires: "2099-01-01T00:00:00Z" }));
    const client = createTokenClient("mindbody", { baseUrl: "https://mb.test", credentials: { apiKey: "key-1", siteId: "-99", username: "u", password: "p" }, fetch: vendor });
    const api = stubFetch(() => json({ ok: true }));
    const other = createFetchClient<Paths>({ baseUrl: "https://mb.test", fetch: api, headers: { "API-Key": "key-1" } });
    other.use(authMiddleware(createTokenSource(client)));
    await other.POST("/things", { body: { name: "x" } });
    expect(api.seen[0]?.headers.authorization).toBe("Bearer mb-1");
    expect(api.seen[0]?.headers["api-key"]).toBe("key-1");
  });

  it("rejects the request with the TokenError when no token can be had", async () => {
    const vendor = stubFetch(() => json({ message: "Unauthorized", error: "invalid credentials" }, 401));
    const client = createTokenClient("sftpgo", { baseUrl: "https://s.test", credentials: { username: "u", password: "p" }, fetch: vendor });
    const api = stubFetch(() => json({ ok: true }));
    const other = createFetchClient<Paths>({ baseUrl: "https://api.test", fetch: api });
    other.use(authMiddleware(createTokenSource(client)));
    await expect(other.POST("/things", { body: { name: "x" } })).rejects.toMatchObject({ code: "unauthorized", operation: "issue" });
    expect(api.seen).toHaveLength(0);
  });

  it("refuses something that is not a token source", () => {
    expect(() => authMiddleware({} as never)).toThrow(expect.objectContaining({ code: "invalid_argument", operation: "authMiddleware" }));
  });
});
