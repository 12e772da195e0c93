// Every operation over real HTTP: the wire (method, path, headers) and the typed data/error.
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, test } from "vitest";
import { createClient, type SftpgoAuth, type components } from "../src/index.js";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";

type Token = components["schemas"]["Token"];
type ApiResponse = components["schemas"]["ApiResponse"];
const token: Token = { access_token: "eyJhbGciOiJIUzI1NiJ9.e30.sig", expires_at: "2025-01-01T12:20:00Z" };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.respond({ json: token });
});

const client = (auth: SftpgoAuth) => createClient({ baseUrl: server.url, auth });

const tokenPaths = ["/api/v2/token", "/api/v2/user/token"] as const;
const logoutPaths = ["/api/v2/logout", "/api/v2/user/logout"] as const;
const errorStatuses = [401, 403, 429, 500, 502] as const; // 502 stands for the spec's `default` response

describe.each(tokenPaths)("GET %s", (path) => {
  test("sends HTTP Basic and X-SFTPGO-OTP, and types the token", async () => {
    const { data, error, response } = await client({ username: "admin", password: "secret", otp: "123456" }).GET(path);
    expect(response.status).toBe(200);
    expect(error).toBeUndefined();
    expect(data).toEqual(token);
    expectTypeOf(data).toEqualTypeOf<Token | undefined>();
    expect(server.received).toHaveLength(1);
    expect(server.received[0]).toMatchObject({ method: "GET", path, search: "", body: "" });
    expect(server.received[0]?.headers).toMatchObject({ authorization: basic("admin", "secret"), "x-sftpgo-otp": "123456" });
  });

  test("sends no X-SFTPGO-OTP when no otp is configured", async () => {
    await client({ username: "admin", password: "secret" }).GET(path);
    expect(server.received[0]?.headers["x-sftpgo-otp"]).toBeUndefined();
  });

  test("an OTP passed per call wins, and an otp function is called per request", async () => {
    let n = 0;
    const sftpgo = client({ username: "admin", password: "secret", otp: () => String(100000 + ++n) });
    await sftpgo.GET(path, { params: { header: { "X-SFTPGO-OTP": "999999" } } });
    await sftpgo.GET(path);
    expect(server.received.map((r) => r.headers["x-sftpgo-otp"])).toEqual(["999999", "100001"]);
  });

  test("a rotating password function is encoded afresh on every request", async () => {
    let n = 0;
    const sftpgo = client({ username: "admin", password: () => `secret-${++n}` });
    await sftpgo.GET(path);
    await sftpgo.GET(path);
    await sftpgo.GET(path);
    expect(server.received.map((r) => r.headers.authorization)).toEqual([1, 2, 3].map((i) => basic("admin", `secret-${i}`)));
  });

  test.each(errorStatuses)("types the %i error body", async (status) => {
    server.respond({ status, json: { message: "Unauthorized", error: "invalid credentials" }, headers: { "Retry-After": "30" } });
    const { data, error, response } = await client({ username: "admin", password: "wrong" }).GET(path);
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
    expect(error).toEqual({ message: "Unauthorized", error: "invalid credentials" });
    expectTypeOf(error).toEqualTypeOf<ApiResponse | undefined>();
    expect(response.headers.get("Retry-After")).toBe("30");
  });

  test("is not sent without both username and password, and names them", async () => {
    const failure = await client({ username: "admin", token: "t" }).GET(path).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "ERR_MISSING_CREDENTIAL" });
    expect((failure as Error).message).toContain("auth.username + auth.password");
    expect(server.received).toHaveLength(0);
  });
});

describe.each(logoutPaths)("GET %s", (path) => {
  test("sends Authorization: Bearer <token> and no OTP, and types the message", async () => {
    server.respond({ json: { message: "Your token has been invalidated" } });
    const { data } = await client({ username: "admin", password: "secret", otp: "123456", token: token.access_token }).GET(path);
    expect(data).toEqual({ message: "Your token has been invalidated" });
    expectTypeOf(data).toEqualTypeOf<ApiResponse | undefined>();
    expect(server.received[0]).toMatchObject({ method: "GET", path });
    expect(server.received[0]?.headers.authorization).toBe(`Bearer ${token.access_token}`);
    expect(server.received[0]?.headers["x-sftpgo-otp"]).toBeUndefined();
  });

  test.each(errorStatuses)("types the %i error body", async (status) => {
    server.respond({ status, json: { message: "Your token is no longer valid" } });
    const { error, response } = await client({ token: "t" }).GET(path);
    expect(response.status).toBe(status);
    expect(error).toEqual({ message: "Your token is no longer valid" });
    expectTypeOf(error).toEqualTypeOf<ApiResponse | undefined>();
  });

  test("is not sent without auth.token, and names it", async () => {
    const failure = await client({ username: "admin", password: "secret" }).GET(path).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: "ERR_MISSING_CREDENTIAL" });
    expect((failure as Error).message).toContain("auth.token");
    expect(server.received).toHaveLength(0);
  });
});

test("defaults to http://localhost:8080", async () => {
  const seen: string[] = [];
  const sftpgo = createClient({ auth: { token: "t" }, fetch: async (request) => (seen.push(request.url), Response.json({ message: "ok" })) });
  await sftpgo.GET("/api/v2/logout");
  expect(seen).toEqual(["http://localhost:8080/api/v2/logout"]);
});
