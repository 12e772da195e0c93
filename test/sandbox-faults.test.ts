// Every sandbox fault kind against every vendor, through the facade: the TokenError (code, status,
// retryable, wait) and the timing an app sees when a vendor misbehaves. The sandbox's own tests show
// the faults on the wire; this shows what they turn into for users of tokenkit.
import { startSandbox, type FaultOptions, type Sandbox } from "@tokenkit/sandbox";
import { createTokenClient, TokenError, type Token } from "tokenkit";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";

const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"] as const;
type VendorId = (typeof VENDORS)[number];

/** A facade client of any vendor, with the operations the tests call. */
interface AnyClient {
  issue(): Promise<Token>;
  renew(token: Token): Promise<Token>;
  revoke(token: Token): Promise<void>;
  introspect(token: Token): Promise<unknown>;
}

/** How each vendor's client uses a token, so a dead one shows (Vidispine's facade has no such call). */
const USE_TOKEN: Record<VendorId, ((client: AnyClient, token: Token) => Promise<unknown>) | undefined> = {
  mindbody: (client, token) => client.renew(token),
  vidispine: undefined,
  sftpgo: (client, token) => client.revoke(token),
  genesys: (client, token) => client.introspect(token),
  authapi: (client, token) => client.revoke(token),
};

async function failureOf(promise: Promise<unknown>): Promise<TokenError> {
  const outcome = await promise.then(
    () => new Error("expected the call to fail, and it succeeded"),
    (error: unknown) => error,
  );
  if (!(outcome instanceof TokenError)) throw outcome instanceof Error ? outcome : new Error(String(outcome));
  return outcome;
}

describe.each(VENDORS)("%s through the facade, on a bad day", (vendor) => {
  let sandbox: Sandbox;
  let standby: Sandbox;
  // One client type for all five: the vendor is a test parameter here, not a literal.
  const client = (options: Record<string, unknown> = {}) =>
    (createTokenClient as (vendor: VendorId, options: object) => unknown)(vendor, { ...sandbox.clientOptions(vendor), retry: false, timeoutMs: 2_000, ...options }) as AnyClient;
  const inject = (fault: FaultOptions["fault"], extra: Partial<FaultOptions> = {}) => sandbox.injectFault({ vendor, operation: "issue", fault, ...extra });

  beforeAll(async () => {
    [sandbox, standby] = await Promise.all([startSandbox(), startSandbox()]);
  });
  afterEach(() => {
    sandbox.clearFaults();
  });
  afterAll(() => Promise.all([sandbox.close(), standby.close()]));

  test("status 429 with Retry-After: rate_limited, retryable, with the wait the vendor asked for", async () => {
    inject({ kind: "status", status: 429, retryAfter: 2 });
    const error = await failureOf(client().issue());
    expect(error).toMatchObject({ code: "rate_limited", status: 429, retryable: true, retryAfterMs: 2_000, vendor, operation: "issue" });
  });

  test("status 503: server_error, retryable; and a retry rides it out", async () => {
    inject({ kind: "status", status: 503 }, { times: 1 });
    expect(await failureOf(client().issue())).toMatchObject({ code: "server_error", status: 503, retryable: true });
    inject({ kind: "status", status: 503 }, { times: 1 });
    const token = await client({ retry: { retries: 1, baseDelayMs: 1 } }).issue();
    expect(token.accessToken.length).toBeGreaterThan(8);
  });

  test("hang: a timeout after timeoutMs, not a hung app", async () => {
    inject("hang");
    const started = performance.now();
    const error = await failureOf(client({ timeoutMs: 400 }).issue());
    expect(error).toMatchObject({ code: "timeout", retryable: true });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
  });

  test("drip: the body's slowness counts against timeoutMs too", async () => {
    inject({ kind: "drip", intervalMs: 100 });
    expect(await failureOf(client({ timeoutMs: 400 }).issue())).toMatchObject({ code: "timeout", retryable: true });
  });

  test("slow: a timeout, then the retry gets the token", async () => {
    inject({ kind: "slow", delayMs: 3_000 }, { times: 1 });
    expect(await failureOf(client({ timeoutMs: 400 }).issue())).toMatchObject({ code: "timeout" });
    inject({ kind: "slow", delayMs: 3_000 }, { times: 1 });
    const token = await client({ timeoutMs: 1_500, retry: { retries: 1, baseDelayMs: 1 } }).issue();
    expect(token.accessToken.length).toBeGreaterThan(8);
  });

  test("reset: network_error, retryable", async () => {
    inject("reset");
    expect(await failureOf(client().issue())).toMatchObject({ code: "network_error", retryable: true });
  });

  test("redirect to another origin: invalid_response, not followed, so the credentials stay", async () => {
    const target = vendor === "genesys" ? standby.genesysLoginUrl : standby.baseUrls[vendor];
    inject({ kind: "redirect", location: target, preservePath: true });
    expect(await failureOf(client().issue())).toMatchObject({ code: "invalid_response", status: 307, retryable: false });
    expect(standby.requestCount(vendor)).toBe(0);
  });

  test.each(["truncated-json", "wrong-content-type", "empty-body"] as const)("malformed (%s): invalid_response", async (variant) => {
    inject({ kind: "malformed", variant });
    expect(await failureOf(client().issue())).toMatchObject({ code: "invalid_response", retryable: false });
  });

  test("expired: the token comes back already dead, and using it is unauthorized", async () => {
    inject({ kind: "expired", agoSeconds: 120 }, { times: 1 });
    const issuedAt = Date.now();
    const token = await client().issue();
    // Vidispine's answer has no expiry, so the client believes the seconds it asked for.
    if (vendor === "vidispine") expect(token.expiresAt!.getTime()).toBeGreaterThan(issuedAt);
    else expect(token.expiresAt!.getTime()).toBeLessThanOrEqual(vendor === "genesys" ? Date.now() : issuedAt - 119_000);
    const use = USE_TOKEN[vendor];
    if (use) expect(await failureOf(use(client(), token))).toMatchObject({ code: "unauthorized", status: 401 });
  });

  test("oversized: invalid_response once the body passes maxResponseBytes", async () => {
    inject({ kind: "oversized", bytes: 2_000_000 });
    expect(await failureOf(client({ maxResponseBytes: 65_536 }).issue())).toMatchObject({ code: "invalid_response" });
  });
});
