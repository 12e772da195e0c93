import { createClient as createGenesysClient, type paths as GenesysPaths } from "@tokenkit/genesys";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import createFetchClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authMiddleware, createTokenClient, createTokenSource, TokenError } from "../src/index.js";
import { createTokenClient as createSftpgoClient } from "../src/sftpgo.js";

// Every vendor end to end over real HTTP against the sandbox (which validates requests against the specs).
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

async function refused(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe("end to end against @tokenkit/sandbox", () => {
  it("mindbody: issue → api → renew → revoke → refused", async () => {
    const client = createTokenClient("mindbody", sandbox.clientOptions("mindbody"));
    const token = await client.issue();
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 23 * 3_600_000);
    const params = { path: { version: "6" }, header: { siteId: sandbox.credentials.mindbody.siteId } };
    const used = await client.api.POST("/public/v{version}/usertoken/renew", { params });
    expect(used.response.status).toBe(200);
    const renewed = await client.renew(token);
    expect(renewed.expiresAt!.getTime()).toBeGreaterThan(token.expiresAt!.getTime());
    await client.revoke(renewed);
    expect((await refused(client.renew(renewed))).code).toBe("unauthorized");
    expect((await refused(client.revoke(renewed))).code).toBe("unauthorized");
  });

  it("vidispine: issue (seconds) → api with `token <t>`; a made-up token is refused", async () => {
    const client = createTokenClient("vidispine", { ...sandbox.clientOptions("vidispine"), seconds: 30, autoRefresh: false });
    const before = Date.now();
    const token = await client.issue();
    expect(token.tokenType).toBe("token");
    // Counted from the second the request was sent in: never later than the server's expiry.
    expect(token.expiresAt!.getTime() - Math.floor(before / 1000) * 1000).toBeGreaterThanOrEqual(30_000);
    expect(token.expiresAt!.getTime() - before).toBeLessThanOrEqual(30_000);
    const { username } = sandbox.credentials.vidispine;
    const used = await client.api.GET("/API/user/{username}/token", { params: { path: { username } }, headers: { Authorization: `token ${token.accessToken}` } });
    expect(used.response.status).toBe(200);
    const forged = await client.api.GET("/API/user/{username}/token", { params: { path: { username } }, headers: { Authorization: "token not-a-real-token" } });
    expect(forged.response.status).toBe(401);
  });

  it("sftpgo: issue → introspect → api → revoke → refused (admin and user audiences)", async () => {
    for (const audience of ["admin", "user"] as const) {
      const client = createSftpgoClient("sftpgo", { ...sandbox.clientOptions("sftpgo"), audience });
      const token = await client.issue();
      const claims = await client.introspect(token);
      expect(claims.aud).toContain(audience === "admin" ? "API" : "APIUser");
      expect(token.expiresAt?.getTime()).toBe((claims.exp ?? 0) * 1000);
      const logout = audience === "admin" ? "/api/v2/logout" : "/api/v2/user/logout";
      // The api uses the token issue() returned; logging out with it is "using" it.
      const used = await client.api.GET(logout);
      expect(used.response.status).toBe(200);
      expect((await refused(client.revoke(token))).code).toBe("unauthorized");

      const second = await client.issue();
      await client.revoke(second);
      const again = await refused(client.revoke(second));
      expect(again).toMatchObject({ code: "unauthorized", status: 401 });
    }
  });

  it("genesys: issue → api → introspect → revoke → refused", async () => {
    const client = createTokenClient("genesys", sandbox.clientOptions("genesys"));
    const token = await client.issue();
    expect(token.tokenType).toBe("bearer");
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const used = await client.api.GET("/api/v2/tokens/me");
    expect(used.response.status).toBe(200);
    const info = await client.introspect(token);
    expect(info).toBeTypeOf("object");
    await client.revoke(token);
    const error = await refused(client.introspect(token));
    expect(error).toMatchObject({ code: "unauthorized", status: 401, vendor: "genesys", operation: "introspect" });
  });

  it("authapi: issue (long → short) → api → renew → revoke → refused", async () => {
    const client = createTokenClient("authapi", { ...sandbox.clientOptions("authapi"), ttlSeconds: 3600 });
    const token = await client.issue();
    expect(token.tokenId).toBeTruthy();
    expect(token.expiresAt!.getTime()).toBeGreaterThan(Date.now());
    const used = await client.api.POST("/auth/tokens/short", {});
    expect(used.response.status).toBe(201);
    const renewed = await client.renew(token);
    expect(renewed.accessToken).not.toBe(token.accessToken);
    await client.revoke(renewed);
    expect((await refused(client.revoke(renewed))).code).toBe("unauthorized");
    // The long-term token went with it: renewing is refused too, and a token source would issue afresh.
    expect((await refused(client.renew(token))).code).toBe("unauthorized");
  });

  it("token source + authMiddleware: one issue for many callers, and a revoked token is replaced after a 401", async () => {
    const client = createTokenClient("genesys", sandbox.clientOptions("genesys"));
    const source = createTokenSource(client);
    sandbox.resetRequestCounts();
    const tokens = await Promise.all(Array.from({ length: 200 }, () => source.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(sandbox.requestCount("genesys", "requestClientCredentialsToken")).toBe(1);

    // Any openapi-fetch client takes the middleware; a vendor package's own client is tested below.
    const api = createFetchClient<GenesysPaths>({ baseUrl: sandbox.baseUrls.genesys });
    api.use(authMiddleware(source));
    expect((await api.GET("/api/v2/tokens/me")).response.status).toBe(200);
    await client.revoke(tokens[0]!);
    const after = await api.GET("/api/v2/tokens/me");
    expect(after.response.status).toBe(200);
    expect(sandbox.requestCount("genesys", "requestClientCredentialsToken")).toBe(2);
    expect((await source.getToken()).accessToken).not.toBe(tokens[0]!.accessToken);
  });

  it("authMiddleware on a @tokenkit/genesys client with no token configured: the middleware's token is used, and replaced after a 401", async () => {
    const client = createTokenClient("genesys", sandbox.clientOptions("genesys"));
    const source = createTokenSource(client);
    // No `auth` at all: the vendor client must leave the Authorization header to the middleware.
    const api = createGenesysClient({ baseUrl: sandbox.baseUrls.genesys });
    api.use(authMiddleware(source));
    sandbox.resetRequestCounts();
    const first = await api.GET("/api/v2/tokens/me");
    expect(first.response.status).toBe(200);
    expect(sandbox.requestCount("genesys", "requestClientCredentialsToken")).toBe(1);
    const token = await source.getToken();
    await client.revoke(token);
    const again = await api.GET("/api/v2/tokens/me", { params: { query: { preserveIdleTTL: true } } });
    expect(again.response.status).toBe(200);
    expect(sandbox.requestCount("genesys", "requestClientCredentialsToken")).toBe(2);
    expect((await source.getToken()).accessToken).not.toBe(token.accessToken);
  });

  it("bad credentials are unauthorized for every vendor", async () => {
    const wrong = {
      mindbody: { ...sandbox.credentials.mindbody, password: "wrong-password" },
      vidispine: { ...sandbox.credentials.vidispine, password: "wrong-password" },
      sftpgo: { ...sandbox.credentials.sftpgo, password: "wrong-password" },
      genesys: { ...sandbox.credentials.genesys, clientSecret: "wrong-secret" },
      authapi: { ...sandbox.credentials.authapi, clientSecret: "wrong-secret" },
    } as const;
    for (const vendor of ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"] as const) {
      const client = createTokenClient(vendor, { ...sandbox.clientOptions(vendor), credentials: wrong[vendor] } as never) as { issue(): Promise<unknown> };
      const error = await refused(client.issue());
      expect(error.code, `${vendor}: ${error.message}`).toBe("unauthorized");
      expect(error.message).not.toContain("wrong-");
    }
  });
});
