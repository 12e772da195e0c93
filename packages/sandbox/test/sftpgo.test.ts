import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, call, createFakeClock, startTestSandbox, type FakeClock } from "./helpers.js";

function decodeJwt(jwt: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [header = "", claims = ""] = jwt.split(".");
  const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  return { header: decode(header), claims: decode(claims) };
}

describe("sftpgo", () => {
  let sandbox: Sandbox;
  let clock: FakeClock;
  let api: string;
  let demo: string;

  beforeAll(async () => {
    clock = createFakeClock();
    sandbox = await startTestSandbox({ now: clock.now });
    api = `${sandbox.baseUrls.sftpgo}/api/v2`;
    demo = basic(sandbox.credentials.sftpgo.username, sandbox.credentials.sftpgo.password);
  });
  afterAll(() => sandbox.close());

  const issue = async (path: "/token" | "/user/token", authorization = demo, otp?: string): Promise<string> => {
    const reply = await call(`${api}${path}`, { headers: { Authorization: authorization, ...(otp ? { "X-SFTPGO-OTP": otp } : {}) } });
    expect(reply.status, reply.text).toBe(200);
    return reply.body.access_token as string;
  };
  const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });

  it("issues HS256 JWTs living 20 minutes with SFTPGo's claims", async () => {
    const reply = await call(`${api}/token`, { headers: { Authorization: demo } });
    const { header, claims } = decodeJwt(reply.body.access_token);
    const iat = Math.floor(clock.now() / 1000);
    expect(header.alg).toBe("HS256");
    expect(claims).toMatchObject({ iat, nbf: iat - 10, exp: iat + 1200, aud: ["API", "127.0.0.1"], username: "demo" });
    expect(claims.jti).toEqual(expect.any(String));
    expect(claims.sub).toEqual(expect.any(String));
    expect(reply.body.expires_at).toBe(new Date((iat + 1200) * 1000).toISOString().replace(".000Z", "Z"));
    const user = decodeJwt(await issue("/user/token"));
    expect(user.claims.aud).toEqual(["APIUser", "127.0.0.1"]);
  });

  it("enforces audiences: an admin token is refused on a user route and vice versa", async () => {
    const adminToken = await issue("/token");
    const onUserRoute = await call(`${api}/user/logout`, bearer(adminToken));
    expect(onUserRoute.status).toBe(401);
    expect(onUserRoute.body.message).toBe("Your token audience is not valid");
    const userToken = await issue("/user/token");
    const onAdminRoute = await call(`${api}/logout`, bearer(userToken));
    expect(onAdminRoute.status).toBe(401);
    expect(onAdminRoute.body.message).toBe("Your token audience is not valid");
  });

  it("puts logged-out tokens on a deny-list", async () => {
    for (const [issuePath, logoutPath] of [
      ["/token", "/logout"],
      ["/user/token", "/user/logout"],
    ] as const) {
      const token = await issue(issuePath);
      const logout = await call(`${api}${logoutPath}`, { headers: { Authorization: `bearer ${token}` } });
      expect(logout.status).toBe(200);
      expect(logout.body).toEqual({ message: "Your token has been invalidated" });
      const again = await call(`${api}${logoutPath}`, bearer(token));
      expect(again.status).toBe(401);
      expect(again.body.message).toBe("Your token is no longer valid");
    }
  });

  it("refuses expired tokens (after SFTPGo's 30 s leeway) and tampered ones", async () => {
    const token = await issue("/token");
    clock.advance(20 * 60_000 + 29_000);
    expect((await call(`${api}/logout`, bearer(await issue("/token")))).status).toBe(200);
    const stillInLeeway = await call(`${api}/logout`, bearer(token));
    expect(stillInLeeway.status).toBe(200);

    const later = await issue("/token");
    clock.advance(20 * 60_000 + 31_000);
    const expired = await call(`${api}/logout`, bearer(later));
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ message: "Unauthorized", error: "token is expired" });

    const fresh = await issue("/token");
    const tampered = `${fresh.slice(0, -4)}AAAA`;
    expect((await call(`${api}/logout`, bearer(tampered))).status).toBe(401);
    expect((await call(`${api}/logout`)).status).toBe(401);
  });

  it("signs with a random key per start: another sandbox refuses the token", async () => {
    const token = await issue("/token");
    const other = await startTestSandbox({ now: clock.now });
    try {
      const reply = await call(`${other.baseUrls.sftpgo}/api/v2/logout`, bearer(token));
      expect(reply.status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it("answers 401 with the Basic challenge for missing or wrong credentials", async () => {
    const missing = await call(`${api}/token`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Basic realm="SFTPGo"');
    expect(missing.body).toEqual({ message: "Unauthorized" });
    const wrong = await call(`${api}/user/token`, { headers: { Authorization: basic("demo", "hunter2-wrong") } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe('Basic realm="SFTPGo"');
    expect(wrong.body).toEqual({ error: "invalid credentials", message: "Unauthorized" });
    expect(wrong.text).not.toContain("hunter2-wrong");
  });

  it("asks the 2FA user for the current TOTP code", async () => {
    const { username, password } = sandbox.accounts.sftpgo.twoFactor;
    const authorization = basic(username, password);
    const withoutOtp = await call(`${api}/token`, { headers: { Authorization: authorization } });
    expect(withoutOtp.status).toBe(401);
    expect(withoutOtp.headers.get("www-authenticate")).toBe('Basic realm="SFTPGo"');
    const code = sandbox.totp();
    const wrongCode = String((Number(code) + 500_000) % 1_000_000).padStart(6, "0");
    const withWrong = await call(`${api}/token`, { headers: { Authorization: authorization, "X-SFTPGO-OTP": wrongCode } });
    expect(withWrong.status).toBe(401);
    expect(withWrong.text).not.toContain(wrongCode);
    const token = await issue("/user/token", authorization, code);
    expect(decodeJwt(token).claims.username).toBe(username);
    expect(await issue("/token", authorization, sandbox.totp())).toEqual(expect.any(String));
  });

  it("rate-limits per client IP with 429, Retry-After and X-Retry-In", async () => {
    const limitedClock = createFakeClock();
    const limited = await startTestSandbox({ now: limitedClock.now, sftpgoRateLimit: { average: 2, periodMs: 1_000, burst: 2 } });
    try {
      const url = `${limited.baseUrls.sftpgo}/api/v2/token`;
      const init = { headers: { Authorization: demo } };
      expect((await call(url, init)).status).toBe(200);
      expect((await call(url, init)).status).toBe(200);
      const refused = await call(url, init);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.headers.get("x-retry-in")).toBe("500ms");
      expect(refused.body.message).toBe("Too Many Requests");
      limitedClock.advance(500);
      expect((await call(url, init)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
