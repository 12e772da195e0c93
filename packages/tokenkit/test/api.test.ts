import { describe, expect, it } from "vitest";
import { createTokenClient } from "../src/index.js";
import { json, stubFetch } from "./helpers.js";

describe("client.api", () => {
  it("is authenticated with a token it issues on first use (Genesys)", async () => {
    let n = 0;
    const fetch = stubFetch((request) =>
      request.url.includes("/oauth/token") ? json({ access_token: `gc-${++n}`, token_type: "bearer", expires_in: 3600 }) : json({ authorizedScope: [] }),
    );
    const client = createTokenClient("genesys", { baseUrl: "https://api.mypurecloud.com", credentials: { clientId: "id", clientSecret: "secret" }, fetch });
    const { data, response } = await client.api.GET("/api/v2/tokens/me");
    expect(response.status).toBe(200);
    expect(data).toEqual({ authorizedScope: [] });
    await client.api.GET("/api/v2/tokens/timeout");
    expect(fetch.seen.map((r) => `${r.method} ${new URL(r.url).pathname} ${r.headers.authorization}`)).toEqual([
      `POST /oauth/token Basic ${btoa("id:secret")}`,
      "GET /api/v2/tokens/me Bearer gc-1",
      "GET /api/v2/tokens/timeout Bearer gc-1",
    ]);
  });

  it("uses the token issue() returned, and drops it once revoked (SFTPGo)", async () => {
    let n = 0;
    const fetch = stubFetch((request) =>
      request.url.endsWith("/token") ? json({ access_token: `sf-${++n}`, expires_at: "2099-01-01T00:00:00Z" }) : json({ message: "Your token has been invalidated" }),
    );
    const client = createTokenClient("sftpgo", { baseUrl: "https://sftpgo.test", credentials: { username: "u", password: "p" }, fetch });
    const token = await client.issue();
    await client.api.GET("/api/v2/logout");
    expect(fetch.seen.at(-1)?.headers.authorization).toBe("Bearer sf-1");
    await client.revoke(token);
    await client.api.GET("/api/v2/logout");
    expect(fetch.seen.map((r) => `${new URL(r.url).pathname} ${r.headers.authorization?.split(" ")[0]} ${r.headers.authorization?.split(" ")[1]?.slice(0, 4)}`)).toEqual([
      "/api/v2/token Basic dTpw",
      "/api/v2/logout Bearer sf-1",
      "/api/v2/logout Bearer sf-1",
      "/api/v2/token Basic dTpw",
      "/api/v2/logout Bearer sf-2",
    ]);
  });

  it("sends the API key and site with Mindbody's staff token", async () => {
    const fetch = stubFetch((request) =>
      request.url.endsWith("/issue") ? json({ TokenType: "Bearer", AccessToken: "mb-1", Expires: "2099-01-01T00:00:00Z" }) : json({}),
    );
    const client = createTokenClient("mindbody", { baseUrl: "https://mb.test", credentials: { apiKey: "key", siteId: "123", username: "u", password: "p" }, fetch });
    await client.api.DELETE("/public/v{version}/usertoken/revoke", { params: { path: { version: "6" }, header: { siteId: "123" } } });
    expect(fetch.seen[1]?.headers).toMatchObject({ authorization: "Bearer mb-1", "api-key": "key", siteid: "123" });
  });

  it("exchanges with the long-term token for AuthAPI's short-token endpoint", async () => {
    let n = 0;
    const fetch = stubFetch((request) => {
      if (request.url.endsWith("/long")) return json({ token_type: "Bearer", access_token: "lt", expires_in: 3600, expires_at: "2099-01-01T00:00:00Z", token_id: "tok_lt" }, 201);
      if (request.url.endsWith("/short")) return json({ token_type: "Bearer", access_token: `st-${++n}`, expires_in: 900, expires_at: "2099-01-01T00:00:00Z", token_id: `tok_st_${n}` }, 201);
      return new Response(null, { status: 204 });
    });
    const client = createTokenClient("authapi", { baseUrl: "https://api.example.com/v1", credentials: { clientId: "cid", clientSecret: "cs" }, fetch });
    await client.api.POST("/auth/tokens/short", {});
    expect(fetch.seen.map((r) => `${new URL(r.url).pathname} ${r.headers.authorization ?? ""}`)).toEqual([
      "/v1/auth/tokens/long ",
      "/v1/auth/tokens/short Bearer lt",
      "/v1/auth/tokens/short Bearer lt",
    ]);
  });
});
