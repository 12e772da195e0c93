import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTokenClient, TokenError, type TokenErrorCode } from "../src/index.js";
import { fakeJwt, startServer, type TestServer } from "./helpers.js";

// One server, one behaviour per path prefix; the client's baseUrl picks the behaviour.
type Behaviour = (res: import("node:http").ServerResponse, req: import("node:http").IncomingMessage, count: number) => void;
const counts = new Map<string, number>();
const behaviours: Record<string, Behaviour> = {
  "malformed-json": (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"access_token": "abc'),
  "html-502": (res) => res.writeHead(502, { "content-type": "text/html; charset=utf-8" }).end(`<html><head><title>502 Bad Gateway</title></head><body>${"x".repeat(200)}</body></html>`),
  "empty-200": (res) => res.writeHead(200, { "content-type": "application/json" }).end(),
  "wrong-type": (res) => res.writeHead(200, { "content-type": "text/html" }).end(JSON.stringify({ access_token: "leaky-token-value", expires_at: "2030-01-01T00:00:00Z" })),
  "not-an-object": (res) => res.writeHead(200, { "content-type": "application/json" }).end("[1,2]"),
  "no-token-field": (res) => res.writeHead(200, { "content-type": "application/json" }).end('{"expires_at":"2030-01-01T00:00:00Z"}'),
  "unauthorized": (res) =>
    res.writeHead(401, { "content-type": "application/json", "www-authenticate": 'Basic realm="SFTPGo"', "x-request-id": "req-401" }).end('{"error":"invalid credentials","message":"Unauthorized"}'),
  "forbidden": (res) => res.writeHead(403, { "content-type": "application/json" }).end('{"message":"Forbidden","error":"IP banned"}'),
  "rate-limited": (res) => res.writeHead(429, { "content-type": "application/json", "retry-after": "7" }).end('{"message":"Too Many Requests"}'),
  "rate-limited-date": (res) =>
    res.writeHead(429, { "content-type": "application/json", "retry-after": new Date(Date.now() + 120_000).toUTCString() }).end('{"message":"Too Many Requests"}'),
  "server-error": (res) => res.writeHead(500, { "content-type": "application/json" }).end('{"message":"Internal Server Error","error":"db down"}'),
  "bad-request": (res) => res.writeHead(400, { "content-type": "application/json" }).end('{"message":"Bad Request"}'),
  "reset": (res) => res.socket?.destroy(),
  "reset-mid-body": (res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "500" });
    res.write('{"access_token":"');
    setTimeout(() => res.socket?.destroy(), 5);
  },
  "never": () => {},
  "slow-body": (res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"access_token":');
  },
  // Fails twice, then answers: shows retries with backoff.
  "flaky": (res, _req, count) =>
    count < 3
      ? res.writeHead(503, { "content-type": "text/plain" }).end("try later")
      : res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: fakeJwt({ exp: 1_900_000_000 }), expires_at: "2030-01-01T00:00:00Z" })),
  "flaky-429": (res, _req, count) =>
    count < 2
      ? res.writeHead(429, { "content-type": "application/json", "retry-after": "30", "x-retry-in": "15ms" }).end('{"message":"Too Many Requests"}')
      : res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ access_token: "ok-token", expires_at: "2030-01-01T00:00:00Z" })),
  "408": (res, _req, count) =>
    count < 2 ? res.writeHead(408).end() : res.writeHead(200, { "content-type": "application/json" }).end('{"access_token":"t","expires_at":"2030-01-01T00:00:00Z"}'),
};

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let hostile: TestServer;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  hostile = await startServer((req, res) => {
    const name = (req.url ?? "").split("/")[1] ?? "";
    const count = (counts.get(name) ?? 0) + 1;
    counts.set(name, count);
    const behaviour = behaviours[name];
    if (behaviour) behaviour(res, req, count);
    else res.writeHead(404).end();
  });
});
afterAll(async () => {
  await hostile.close();
  process.off("unhandledRejection", onUnhandled);
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

function client(name: string, extra: { timeoutMs?: number; retry?: false | { retries?: number; baseDelayMs?: number; maxDelayMs?: number } } = {}) {
  counts.delete(name);
  return createTokenClient("sftpgo", {
    baseUrl: `${hostile.url}/${name}`,
    credentials: { username: "admin", password: "hostile-test-password" },
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

describe("hostile upstreams end as typed TokenErrors", () => {
  // [behaviour, code, message, attempts]: 4xx and bad 2xx bodies are never retried, 5xx twice.
  const cases: [string, TokenErrorCode, RegExp, number][] = [
    ["malformed-json", "invalid_response", /^sftpgo issue: expected 200 with a Token body, received 200 application\/json that is not valid JSON$/, 1],
    ["html-502", "server_error", /^sftpgo issue: expected 200 with a Token body, received 502 text\/html \(<html><head><title>502 Bad Gateway<\/title><\/head><body>x{25}…\)$/, 3],
    ["empty-200", "invalid_response", /received 200 application\/json with an empty body$/, 1],
    ["wrong-type", "invalid_response", /received 200 text\/html instead of JSON$/, 1],
    ["not-an-object", "invalid_response", /that is not a JSON object$/, 1],
    ["no-token-field", "invalid_response", /without a string "access_token"$/, 1],
    ["unauthorized", "unauthorized", /received 401 application\/json \(Unauthorized: invalid credentials\)$/, 1],
    ["forbidden", "forbidden", /received 403 application\/json \(Forbidden: IP banned\)$/, 1],
    ["bad-request", "invalid_argument", /received 400 application\/json \(Bad Request\)$/, 1],
  ];
  for (const [name, code, message, attempts] of cases) {
    it(`${name} → ${code}`, async () => {
      const error = await failure(client(name).issue());
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.operation).toBe("issue");
      expect(error.vendor).toBe("sftpgo");
      expect(counts.get(name)).toBe(attempts);
    });
  }

  it("keeps the body of a 2xx out of the message (it may hold the token)", async () => {
    const error = await failure(client("wrong-type").issue());
    expect(error.message).not.toContain("leaky-token-value");
    expect(JSON.stringify(error)).not.toContain("leaky-token-value");
  });

  it("401 carries the request id and the non-enumerable Response", async () => {
    const error = await failure(client("unauthorized").issue());
    expect(error).toMatchObject({ status: 401, requestId: "req-401", retryable: false });
    expect(error.response).toBeInstanceOf(Response);
    expect(Object.keys(error)).not.toContain("response");
    expect(error.response?.headers.get("www-authenticate")).toContain("Basic");
  });

  it("429 with Retry-After in seconds → rate_limited, retryAfterMs, not retried beyond the policy", async () => {
    const error = await failure(client("rate-limited", { retry: false }).issue());
    expect(error).toMatchObject({ code: "rate_limited", status: 429, retryable: true, retryAfterMs: 7000 });
    expect(counts.get("rate-limited")).toBe(1);
  });

  it("429 with an HTTP-date Retry-After beyond 60 s is returned at once instead of waited for", async () => {
    const error = await failure(client("rate-limited-date").issue());
    expect(error.code).toBe("rate_limited");
    expect(error.retryAfterMs).toBeGreaterThan(100_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(120_000);
    expect(counts.get("rate-limited-date")).toBe(1);
  });

  it("500 → server_error after the default 2 retries (3 attempts)", async () => {
    const error = await failure(client("server-error").issue());
    expect(error).toMatchObject({ code: "server_error", status: 500, retryable: true });
    expect(error.message).toContain("(Internal Server Error: db down)");
    expect(counts.get("server-error")).toBe(3);
  });

  it("a reset connection → network_error, retried", async () => {
    const error = await failure(client("reset", { retry: { retries: 1, baseDelayMs: 1 } }).issue());
    expect(error.code).toBe("network_error");
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(
      /^sftpgo issue: expected 200 with a Token body, but GET http:\/\/127\.0\.0\.1:\d+\/reset\/api\/v2\/token failed: .*\((ECONNRESET|UND_ERR_SOCKET)\) \(attempt 2 of 2, \d+\.\d s in all\)$/,
    );
    expect(error.cause).toBeDefined();
    expect(counts.get("reset")).toBe(2);
  });

  it("a connection reset in the middle of the body → network_error", async () => {
    const error = await failure(client("reset-mid-body", { retry: false }).issue());
    expect(error.code).toBe("network_error");
    expect(error.message).toMatch(/but GET http:\/\/127\.0\.0\.1:\d+\/reset-mid-body\/api\/v2\/token failed: .* \(attempt 1 of 1, /);
  });

  it("a server that never answers → timeout after timeoutMs, per attempt", async () => {
    const started = Date.now();
    const error = await failure(client("never", { timeoutMs: 50, retry: { retries: 1, baseDelayMs: 1 } }).issue());
    expect(error).toMatchObject({ code: "timeout", retryable: true });
    expect(error.message).toMatch(
      /^sftpgo issue: expected 200 with a Token body, but GET http:\/\/127\.0\.0\.1:\d+\/never\/api\/v2\/token got no complete response within 50 ms \(attempt 2 of 2, \d+\.\d s in all\)$/,
    );
    expect(counts.get("never")).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("a body that never ends → timeout", async () => {
    const error = await failure(client("slow-body", { timeoutMs: 50, retry: false }).issue());
    expect(error.code).toBe("timeout");
  });

  it("retries 503s with backoff and then succeeds", async () => {
    const token = await client("flaky").issue();
    expect(token.expiresAt?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(counts.get("flaky")).toBe(3);
  });

  it("honours SFTPGo's X-Retry-In (finer than Retry-After) when retrying a 429", async () => {
    const started = Date.now();
    const token = await client("flaky-429").issue();
    expect(token.accessToken).toBe("ok-token");
    expect(counts.get("flaky-429")).toBe(2);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("retries 408 (request timeout)", async () => {
    await client("408").issue();
    expect(counts.get("408")).toBe(2);
  });

  it("revoke is never retried", async () => {
    const c = client("server-error");
    const token = { vendor: "sftpgo" as const, accessToken: "t", tokenType: "bearer", raw: {} };
    const error = await failure(c.revoke(token));
    expect(error.code).toBe("server_error");
    expect(counts.get("server-error")).toBe(1);
  });

  it("a caller's signal aborts the request and the backoff wait, without retrying", async () => {
    const controller = new AbortController();
    const pending = client("never", { timeoutMs: 10_000 }).issue({ signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await failure(pending);
    expect(error).toMatchObject({ code: "network_error", retryable: false, message: expect.stringMatching(/^sftpgo issue: GET http:\/\/127\.0\.0\.1:\d+\/never\/api\/v2\/token was aborted by the caller's signal \(attempt 1 of 3, \d+\.\d s in all\)$/) });
    expect(counts.get("never")).toBe(1);

    const slow = client("server-error", { retry: { retries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    const waiting = new AbortController();
    const started = Date.now();
    const during = slow.issue({ signal: waiting.signal });
    await vi.waitFor(() => expect(counts.get("server-error")).toBe(1));
    waiting.abort();
    expect((await failure(during)).code).toBe("network_error");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("an AbortSignal.timeout() of the caller → timeout", async () => {
    const error = await failure(client("never", { timeoutMs: 10_000, retry: false }).issue({ signal: AbortSignal.timeout(30) }));
    expect(error).toMatchObject({ code: "timeout", retryable: false });
  });

  it("an already-aborted signal → no request at all", async () => {
    const error = await failure(client("flaky").issue({ signal: AbortSignal.abort() }));
    expect(error.code).toBe("network_error");
    expect(counts.get("flaky")).toBeUndefined();
  });

  it("an unreachable host → network_error with the system code", async () => {
    const closed = await startServer(() => {});
    const url = closed.url;
    await closed.close();
    const c = createTokenClient("sftpgo", { baseUrl: url, credentials: { username: "a", password: "b" }, retry: false });
    const error = await failure(c.issue());
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("(ECONNREFUSED)");
  });
});
