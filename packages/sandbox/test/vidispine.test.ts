import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Sandbox } from "../src/index.js";
import { basic, call, createFakeClock, startTestSandbox, type FakeClock } from "./helpers.js";

describe("vidispine", () => {
  let sandbox: Sandbox;
  let clock: FakeClock;
  let base: string;
  let demo: string;
  let admin: string;

  beforeAll(async () => {
    clock = createFakeClock();
    sandbox = await startTestSandbox({ now: clock.now });
    base = `${sandbox.baseUrls.vidispine}/API`;
    demo = basic(sandbox.credentials.vidispine.username, sandbox.credentials.vidispine.password);
    admin = basic(sandbox.accounts.vidispine.admin.username, sandbox.accounts.vidispine.admin.password);
  });
  afterAll(() => sandbox.close());

  const issue = async (query = "", authorization = demo): Promise<string> => {
    const reply = await call(`${base}/token${query}`, { headers: { Authorization: authorization, Accept: "text/plain" } });
    expect(reply.status, reply.text).toBe(200);
    return reply.text;
  };
  /** Uses a token on the API (the user-token operation, for the token's own user). */
  const use = (token: string, username = sandbox.credentials.vidispine.username) =>
    call(`${base}/user/${username}/token`, { headers: { Authorization: `token ${token}` } });

  it("answers JSON {token, user} by default and plain text when asked", async () => {
    const json = await call(`${base}/token`, { headers: { Authorization: demo } });
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ token: expect.any(String), user: "demo" });
    const text = await call(`${base}/token`, { headers: { Authorization: demo, Accept: "text/plain" } });
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(text.text).toMatch(/^demo-/);
  });

  it("gives tokens a 60-second default lifetime, then refuses them", async () => {
    const token = await issue();
    clock.advance(59_000);
    expect((await use(token)).status).toBe(200);
    clock.advance(1_000);
    const expired = await use(token);
    expect(expired.status).toBe(401);
    expect(expired.text).toMatch(/expired/);
  });

  it("honours `seconds` up to 60 for users and beyond for administrators", async () => {
    const short = await issue("?seconds=5");
    clock.advance(5_000);
    expect((await use(short)).status).toBe(401);

    const refused = await call(`${base}/token?seconds=61`, { headers: { Authorization: demo } });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('"seconds"');

    const long = await issue("?seconds=3600", admin);
    clock.advance(3_599_000);
    expect((await use(long, "admin")).status).toBe(200);
  });

  it("autoRefresh: each use restarts the clock, at most once per 10 s", async () => {
    const throttled = await issue("?seconds=20&autoRefresh=true");
    clock.advance(5_000);
    expect((await use(throttled)).status).toBe(200); // < 10 s since issue: no reset, still expires at +20 s
    clock.advance(15_000);
    expect((await use(throttled)).status).toBe(401);

    const refreshed = await issue("?seconds=20&autoRefresh=true");
    clock.advance(10_000);
    expect((await use(refreshed)).status).toBe(200); // reset: now expires at +30 s
    clock.advance(19_000);
    expect((await use(refreshed)).status).toBe(200); // reset again: +49 s
    clock.advance(19_000);
    expect((await use(refreshed)).status).toBe(200);

    const fixed = await issue("?seconds=20");
    clock.advance(10_000);
    expect((await use(fixed)).status).toBe(200);
    clock.advance(10_000);
    expect((await use(fixed)).status).toBe(401);
  });

  it("accepts `Authorization: token <t>` on both operations", async () => {
    const token = await issue();
    const viaToken = await call(`${base}/token`, { headers: { Authorization: `token ${token}` } });
    expect(viaToken.status).toBe(200);
    expect(viaToken.body.user).toBe("demo");
    expect((await use(token)).status).toBe(200);
  });

  it("gives another user's token only to administrators", async () => {
    const forbidden = await call(`${base}/user/admin/token`, { headers: { Authorization: demo } });
    expect(forbidden.status).toBe(403);
    const allowed = await call(`${base}/user/demo/token?seconds=600`, { headers: { Authorization: admin } });
    expect(allowed.status).toBe(200);
    expect(allowed.text).toMatch(/^demo-/);
    const unknown = await call(`${base}/user/nobody/token`, { headers: { Authorization: admin } });
    expect(unknown.status).toBe(404);
  });

  it("answers 409 for a disabled user", async () => {
    const { username, password } = sandbox.accounts.vidispine.disabled;
    const own = await call(`${base}/token`, { headers: { Authorization: basic(username, password) } });
    expect(own.status).toBe(409);
    expect(own.text).toBe("The user is disabled");
    const byAdmin = await call(`${base}/user/${username}/token`, { headers: { Authorization: admin } });
    expect(byAdmin.status).toBe(409);
  });

  it("refuses wrong or missing credentials with a text/plain 401 that does not echo them", async () => {
    const wrong = await call(`${base}/token`, { headers: { Authorization: basic("demo", "hunter2-wrong") } });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(wrong.text).not.toContain("hunter2-wrong");
    expect((await call(`${base}/token`)).status).toBe(401);
    expect((await use("demo-not-a-token")).status).toBe(401);
  });

  it("names a malformed query parameter in a text/plain 400", async () => {
    const notInteger = await call(`${base}/token?seconds=abc`, { headers: { Authorization: demo } });
    expect(notInteger.status).toBe(400);
    expect(notInteger.text).toBe('Query parameter "seconds" must be integer');
    const tooSmall = await call(`${base}/token?seconds=0`, { headers: { Authorization: demo } });
    expect(tooSmall.text).toBe('Query parameter "seconds" must be >= 1');
    const notBoolean = await call(`${base}/token?autoRefresh=maybe`, { headers: { Authorization: demo } });
    expect(notBoolean.text).toBe('Query parameter "autoRefresh" must be boolean');
  });
});
