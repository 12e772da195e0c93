import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenClient, createTokenSource, TokenError, type Token } from "../src/index.js";
import { fakeJwt, startServer, type Seen, type TestServer } from "./helpers.js";

// Real HTTP on loopback: each test registers what its path prefix answers, down to the Date header.
type Answer = { readonly body: unknown; readonly status?: number; readonly skewMs?: number };
const answers = new Map<string, (seen: Seen) => Answer>();
let server: TestServer;
let cases = 0;

function send(res: ServerResponse, { body, status = 200, skewMs }: Answer): void {
  // Node stamps Date itself unless one is set: a skewed server stamps its own clock.
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (skewMs !== undefined) headers.date = new Date(Date.now() + skewMs).toUTCString();
  res.writeHead(status, headers).end(JSON.stringify(body));
}

beforeAll(async () => {
  server = await startServer((req, res, seen) => {
    const answer = answers.get((req.url ?? "").split("/")[1] ?? "");
    if (answer) send(res, answer(seen));
    else res.writeHead(404).end();
  });
});
afterAll(() => server.close());

/** A fresh path prefix on the test server answering with `answer`; returns its base URL. */
function serve(answer: (seen: Seen) => Answer): string {
  const name = `case${++cases}`;
  answers.set(name, answer);
  return `${server.url}/${name}`;
}

/** An ISO date-time with whole seconds, as SFTPGo and Mindbody write them. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const floorSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

async function refused(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

/** Issues with timing around it: `before` ≤ the send time ≤ `after`. */
async function timed<T extends Token>(issue: () => Promise<T>): Promise<{ token: T; before: number; after: number }> {
  const before = Date.now();
  const token = await issue();
  return { token, before, after: Date.now() };
}

/** Asserts expiresAt = the send time floored to the second + `seconds`. */
function expectRelative({ token, before, after }: { token: Token; before: number; after: number }, seconds: number): void {
  const expiry = token.expiresAt!.getTime();
  expect(expiry % 1000).toBe(0);
  expect(expiry - seconds * 1000).toBeGreaterThanOrEqual(floorSecond(before));
  expect(expiry - seconds * 1000).toBeLessThanOrEqual(floorSecond(after));
}

const genesys = (answer: (seen: Seen) => Answer) => {
  const url = serve(answer);
  return createTokenClient("genesys", { baseUrl: url, loginUrl: url, credentials: { clientId: "gc-client", clientSecret: "gc-secret" }, retry: false });
};
const sftpgo = (answer: (seen: Seen) => Answer) =>
  createTokenClient("sftpgo", { baseUrl: serve(answer), credentials: { username: "admin", password: "sftpgo-password" }, retry: false });
const mindbody = (answer: (seen: Seen) => Answer) =>
  createTokenClient("mindbody", { baseUrl: serve(answer), credentials: { apiKey: "mb-api-key", siteId: "-99", username: "staff", password: "mb-password" }, retry: false });
const authapi = (short: (seen: Seen) => Record<string, unknown>, skewMs?: number) =>
  createTokenClient("authapi", {
    baseUrl: serve((seen) =>
      seen.url.endsWith("/auth/tokens/long")
        ? { status: 201, body: { token_type: "Bearer", access_token: "lt-token", expires_in: 86_400, token_id: "tok_lt" }, skewMs }
        : { status: 201, body: { token_type: "Bearer", access_token: "st-token", token_id: "tok_st", ...short(seen) }, skewMs },
    ),
    credentials: { clientId: "aa-client", clientSecret: "aa-secret" },
    retry: false,
  });

describe("relative lifetimes (expires_in)", () => {
  it("genesys: a numeric string is read as seconds, counted from the send time floored to the second", async () => {
    const client = genesys(() => ({ body: { access_token: "gc-token", token_type: "bearer", expires_in: "86400" } }));
    expectRelative(await timed(() => client.issue()), 86_400);
  });

  it("genesys: a negative lifetime is a token that has already expired, not one without expiry", async () => {
    const client = genesys(() => ({ body: { access_token: "gc-token", token_type: "bearer", expires_in: -5 } }));
    const issued = await timed(() => client.issue());
    expectRelative(issued, -5);
    expect(issued.token.expiresAt!.getTime()).toBeLessThan(Date.now());
  });

  it("genesys: zero and \"0\" mean already expired", async () => {
    for (const expires_in of [0, "0", "-30"]) {
      const client = genesys(() => ({ body: { access_token: "gc-token", token_type: "bearer", expires_in } }));
      const issued = await timed(() => client.issue());
      expectRelative(issued, Number(expires_in));
      expect(issued.token.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it("genesys: a lifetime that is no number of seconds is an invalid_response, not a token that never expires", async () => {
    for (const expires_in of ["soon", "", "12abc", true, {}, [], 1e300, "Infinity"]) {
      const client = genesys(() => ({ body: { access_token: "gc-token-canary", token_type: "bearer", expires_in } }));
      const error = await refused(client.issue());
      expect(error.code).toBe("invalid_response");
      expect(error.message).toBe('genesys issue: expected 200 with an access_token body, received 200 application/json with a "expires_in" that is not a number of seconds');
      expect(error.message).not.toContain("canary");
    }
  });

  it("genesys: a skewed Date header leaves relative lifetimes alone (they need no clock)", async () => {
    const client = genesys(() => ({ body: { access_token: "gc-token", token_type: "bearer", expires_in: 3600 }, skewMs: -3_600_000 }));
    expectRelative(await timed(() => client.issue()), 3600);
  });

  it("authapi: string, zero and negative expires_in on the short-term token", async () => {
    expectRelative(await timed(() => authapi(() => ({ expires_in: "900" })).issue()), 900);
    for (const expires_in of [0, -1, "-900"]) {
      const issued = await timed(() => authapi(() => ({ expires_in })).issue());
      expectRelative(issued, Number(expires_in));
      expect(issued.token.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now());
    }
  });

  it("authapi: expires_in and expires_at both given: the earlier one counts", async () => {
    const late = isoSeconds(Date.now() + 3_600_000);
    expectRelative(await timed(() => authapi(() => ({ expires_in: 900, expires_at: late })).issue()), 900);
    const past = isoSeconds(Date.now() - 60_000);
    const { token } = await timed(() => authapi(() => ({ expires_in: 900, expires_at: past })).issue());
    expect(token.expiresAt?.toISOString()).toBe(new Date(past).toISOString());
  });

  it("vidispine: the lifetime is the caller's `seconds`: zero, negative and string values are refused before any I/O", async () => {
    const baseUrl = serve(() => ({ body: { token: "vs-token", user: "admin" } }));
    for (const seconds of [0, -5, "30", 1.5]) {
      const error = await refused(
        Promise.resolve().then(() => createTokenClient("vidispine", { baseUrl, credentials: { username: "admin", password: "vs-password" }, seconds: seconds as number })),
      );
      expect(error.code).toBe("invalid_argument");
      expect(error.message).toContain('option "seconds" must be a positive integer');
    }
    expect(server.seen.filter((seen) => seen.url.startsWith(new URL(baseUrl).pathname))).toEqual([]);
  });

  it("vidispine: expiry = send time floored + seconds, whatever the server's Date says", async () => {
    const client = createTokenClient("vidispine", {
      baseUrl: serve(() => ({ body: { token: "vs-token", user: "admin" }, skewMs: 600_000 })),
      credentials: { username: "admin", password: "vs-password" },
      seconds: 45,
    });
    expectRelative(await timed(() => client.issue()), 45);
  });
});

describe("absolute expiries (expires_at, Expires, JWT exp)", () => {
  it("sftpgo: an expires_at in the past gives a token that has already expired", async () => {
    const past = isoSeconds(Date.now() - 5 * 60_000);
    const { token } = await timed(() => sftpgo(() => ({ body: { access_token: "sf-token", expires_at: past } })).issue());
    expect(token.expiresAt?.toISOString()).toBe(new Date(past).toISOString());
  });

  it("sftpgo: without expires_at, a JWT exp in the past gives a token that has already expired", async () => {
    const exp = Math.floor(Date.now() / 1000) - 60;
    const { token } = await timed(() => sftpgo(() => ({ body: { access_token: fakeJwt({ exp }) } })).issue());
    expect(token.expiresAt?.getTime()).toBe(exp * 1000);
  });

  it("sftpgo: expires_at and the JWT's exp disagreeing: the earlier one counts", async () => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const { token } = await timed(() => sftpgo(() => ({ body: { access_token: fakeJwt({ exp }), expires_at: isoSeconds(Date.now() + 1_200_000) } })).issue());
    expect(token.expiresAt?.getTime()).toBe(exp * 1000);
  });

  it("sftpgo: an expires_at that is no date-time is an invalid_response", async () => {
    for (const expires_at of ["tomorrow", 1_900_000_000, true]) {
      const error = await refused(sftpgo(() => ({ body: { access_token: "sf-token-canary", expires_at } })).issue());
      expect(error.code).toBe("invalid_response");
      expect(error.message).toBe('sftpgo issue: expected 200 with a Token body, received 200 application/json with a "expires_at" that is not a date-time');
    }
  });

  it("mindbody: an Expires in the past (zone-less, read as UTC) gives a token that has already expired", async () => {
    const past = new Date(Date.now() - 3_600_000).toISOString().replace(/\.\d{3}Z$/, "");
    const { token } = await timed(() => mindbody(() => ({ body: { TokenType: "Bearer", AccessToken: "mb-token", Expires: past } })).issue());
    expect(token.expiresAt?.toISOString()).toBe(`${past}.000Z`);
    expect(token.expiresAt!.getTime()).toBeLessThan(Date.now());
  });

  it("mindbody: renew answering with an Expires in the past gives a token that has already expired", async () => {
    const past = isoSeconds(Date.now() - 1000);
    const client = mindbody((seen) => ({
      body: seen.url.endsWith("/issue") ? { TokenType: "Bearer", AccessToken: "mb-token", Expires: isoSeconds(Date.now() + 86_400_000) } : { AccessToken: "mb-token", Expires: past },
    }));
    const renewed = await client.renew(await client.issue());
    expect(renewed.expiresAt?.toISOString()).toBe(new Date(past).toISOString());
  });
});

describe("a server whose clock is off by more than 30 s (its Date header)", () => {
  // The server says: valid for `lifetimeMs` from now, on its own clock, which runs `skewMs` ahead of ours.
  const skews = [
    { skewMs: 10 * 60_000, label: "10 minutes ahead" },
    { skewMs: -7 * 60_000, label: "7 minutes behind" },
    { skewMs: 31_000, label: "31 s ahead" },
    { skewMs: -3 * 3_600_000, label: "3 hours behind" },
  ];

  /** Asserts expiresAt = our send time + lifetime - 1 s: the largest offset the whole-second Date allows, so never late. */
  function expectCorrected({ token, before, after }: { token: Token; before: number; after: number }, lifetimeMs: number): void {
    const expiry = token.expiresAt!.getTime();
    expect(expiry).toBeGreaterThanOrEqual(before + lifetimeMs - 1000);
    expect(expiry).toBeLessThanOrEqual(after + lifetimeMs - 1000);
  }

  for (const { skewMs, label } of skews) {
    it(`sftpgo expires_at, ${label}: moved onto our clock`, async () => {
      const client = sftpgo(() => ({ body: { access_token: "sf-token", expires_at: isoSeconds(Date.now() + skewMs + 1_200_000) }, skewMs }));
      expectCorrected(await timed(() => client.issue()), 1_200_000);
    });

    it(`sftpgo JWT exp (no expires_at), ${label}: moved onto our clock`, async () => {
      const client = sftpgo(() => ({ body: { access_token: fakeJwt({ exp: Math.floor((Date.now() + skewMs) / 1000) + 1200 }) }, skewMs }));
      expectCorrected(await timed(() => client.issue()), 1_200_000);
    });

    it(`mindbody Expires, ${label}: moved onto our clock`, async () => {
      const client = mindbody(() => ({
        body: { TokenType: "Bearer", AccessToken: "mb-token", Expires: isoSeconds(Date.now() + skewMs + 86_400_000).replace("Z", "") },
        skewMs,
      }));
      expectCorrected(await timed(() => client.issue()), 86_400_000);
    });
  }

  it("authapi expires_at, 10 minutes ahead: moved onto our clock", async () => {
    const client = authapi(() => ({ expires_at: isoSeconds(Date.now() + 600_000 + 900_000) }), 600_000);
    expectCorrected(await timed(() => client.issue()), 900_000);
  });

  it("a Date header up to 30 s off is trusted as it is: expiries are taken as stated", async () => {
    for (const skewMs of [25_000, -25_000]) {
      const expiresAt = isoSeconds(Date.now() + 1_200_000);
      const { token } = await timed(() => sftpgo(() => ({ body: { access_token: "sf-token", expires_at: expiresAt }, skewMs })).issue());
      expect(token.expiresAt?.toISOString()).toBe(new Date(expiresAt).toISOString());
    }
  });

  it("an unreadable Date header is ignored", async () => {
    const expiresAt = isoSeconds(Date.now() + 1_200_000);
    // new Date(NaN).toUTCString() is "Invalid Date".
    const client = sftpgo(() => ({ body: { access_token: "sf-token", expires_at: expiresAt }, skewMs: Number.NaN }));
    const { token } = await timed(() => client.issue());
    expect(token.expiresAt?.toISOString()).toBe(new Date(expiresAt).toISOString());
  });

  it("a token that the skewed server calls valid, but that has expired by our clock, has expired", async () => {
    // Ten minutes ahead, the server hands out a token valid for five more minutes of its time: five minutes ago, by ours.
    const client = sftpgo(() => ({ body: { access_token: "sf-token", expires_at: isoSeconds(Date.now() + 600_000 - 300_000) }, skewMs: 600_000 }));
    const { token } = await timed(() => client.issue());
    expect(token.expiresAt!.getTime()).toBeLessThan(Date.now() - 290_000);
  });
});

describe("a token source never hands out what has already expired", () => {
  it("sftpgo answering with an expires_at in the past: getToken() rejects with invalid_response, on every call", async () => {
    let issued = 0;
    const client = sftpgo(() => ({ body: { access_token: `sf-expired-${++issued}`, expires_at: isoSeconds(Date.now() - 60_000) } }));
    const source = createTokenSource(client);
    for (let i = 0; i < 2; i++) {
      const error = await refused(source.getToken());
      expect(error.code).toBe("invalid_response");
      expect(error.message).toContain("already expired");
    }
    expect(issued).toBe(2);
  });

  it("genesys answering with expires_in -5, then a valid token: the source re-issues and serves the valid one", async () => {
    let issued = 0;
    const client = genesys(() => ({ body: { access_token: `gc-${++issued}`, token_type: "bearer", expires_in: issued === 1 ? -5 : 3600 } }));
    const source = createTokenSource(client);
    expect((await refused(source.getToken())).code).toBe("invalid_response");
    const token = await source.getToken();
    expect(token.accessToken).toBe("gc-2");
    expect(await source.getToken()).toBe(token);
  });
});

describe("the sandbox's `expired` fault: a vendor handing out a token that is already dead", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  // Vidispine states no expiry (its lifetime is the caller's `seconds`), so a dead token cannot be told from its answer.
  for (const vendor of ["mindbody", "sftpgo", "genesys", "authapi"] as const) {
    it(`${vendor}: issue gives a token whose expiresAt has passed; a token source refuses it (invalid_response) and then serves a live one`, async () => {
      const client = createTokenClient(vendor, sandbox.clientOptions(vendor) as never) as unknown as Parameters<typeof createTokenSource>[0];
      sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "expired", agoSeconds: 120 } });
      const dead = await client.issue();
      // Genesys says `expires_in: 0` (relative), the others an absolute time 120 s ago.
      expect(dead.expiresAt!.getTime()).toBeLessThanOrEqual(Date.now() - (vendor === "genesys" ? 0 : 119_000));

      const source = createTokenSource(client);
      const error = await refused(source.getToken());
      expect(error.code).toBe("invalid_response");
      expect(error.message).toContain("already expired");
      sandbox.clearFaults();
      const live = await source.getToken();
      expect(live.expiresAt!.getTime()).toBeGreaterThan(Date.now());
      expect(await source.getToken()).toBe(live);
    });
  }
});
