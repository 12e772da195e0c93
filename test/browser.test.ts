// The browser story, in a real browser: the facade subpaths and the vendor packages, bundled by
// esbuild for the browser platform (as the size budgets measure them), loaded into headless Chromium
// from one loopback origin and calling the sandbox on another, so CORS is part of every exchange.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { build } from "esbuild";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { PageApi, PageOptions } from "./fixtures/browser/page.js";
import { skipUnless } from "./helpers/skip.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"] as const;
type VendorId = (typeof VENDORS)[number];

// Debian's package path; CHROMIUM_PATH points elsewhere. Playwright's own browser download cannot run here.
const chromiumPath = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => existsSync(file));
// CI installs Chromium and sets this, so there a missing browser fails instead of skipping.
const browserRequired = process.env.TOKENKIT_BROWSER_TESTS === "required";
if (!chromiumPath) {
  if (browserRequired) throw new Error("TOKENKIT_BROWSER_TESTS=required but no Chromium was found: install Debian's `chromium` or set CHROMIUM_PATH");
  console.warn("browser tests skipped: no Chromium at /usr/bin/chromium (apt-get install chromium) and no CHROMIUM_PATH");
}

/** Serves the test page and its bundle: the page's origin, distinct from every sandbox's. */
async function servePage(script: string): Promise<{ server: Server; origin: string }> {
  const html = '<!doctype html><meta charset="utf-8"><title>tokenkit browser test</title><script type="module" src="/page.js"></script>';
  const server = createServer((request, response) => {
    const isScript = request.url === "/page.js";
    response.writeHead(request.url === "/" || isScript ? 200 : 404, { "content-type": isScript ? "text/javascript" : "text/html; charset=utf-8" });
    response.end(isScript ? script : request.url === "/" ? html : "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("in headless Chromium, cross-origin against the sandbox", skipUnless(chromiumPath, "no Chromium"), () => {
  let browser: Browser;
  let page: Page;
  let pageServer: Server;
  let origin: string;
  let sandbox: Sandbox;
  const pageErrors: string[] = [];

  const call = <K extends keyof PageApi>(name: K, ...args: Parameters<PageApi[K]>): Promise<Awaited<ReturnType<PageApi[K]>>> =>
    page.evaluate(
      ([fn, fnArgs]) => (globalThis as unknown as { tokenkitPage: Record<string, (...a: unknown[]) => unknown> }).tokenkitPage[fn]!(...fnArgs),
      [name, args] as [string, unknown[]],
    ) as Promise<Awaited<ReturnType<PageApi[K]>>>;
  const optionsFor = (from: Sandbox, vendor: VendorId, extra: Partial<PageOptions> = {}): PageOptions => ({ ...from.clientOptions(vendor), ...extra }) as PageOptions;

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [path.join(repo, "test/fixtures/browser/page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      absWorkingDir: repo,
      logLevel: "silent",
    });
    const script = bundled.outputFiles[0]!.text;
    ({ server: pageServer, origin } = await servePage(script));
    sandbox = await startSandbox({ cors: [origin] });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // Without these, Chromium keeps dialling Google's services, which this network refuses.
      args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
    page = await browser.newPage();
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "tokenkitPage" in globalThis);
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await new Promise((resolve) => pageServer?.close(resolve));
  });

  const expectedSteps: Record<VendorId, string[]> = {
    mindbody: ["issue", "renew", "revoke"],
    vidispine: ["issue"],
    sftpgo: ["issue", "introspect", "revoke"],
    genesys: ["issue", "introspect", "revoke"],
    authapi: ["issue", "renew", "revoke"],
  };

  test.each(VENDORS)("tokenkit/%s runs every operation the vendor has", async (vendor) => {
    const outcome = await call("runFacade", vendor, optionsFor(sandbox, vendor));
    expect(outcome.steps).toEqual(expectedSteps[vendor]);
    expect(outcome.accessTokenLength).toBeGreaterThan(8);
    expect(outcome.tokenType).toBe(vendor === "vidispine" ? "token" : "bearer");
    expect(outcome.expiresInMs).toBeGreaterThan(0);
    // Redaction holds in the browser build too.
    expect(outcome.serialized).not.toContain(outcome.accessToken);
    expect(outcome.serialized).toContain("[redacted]");
    expect(pageErrors).toEqual([]);
  });

  test.each(VENDORS)("@tokenkit/%s issues a token with its typed client", async (vendor) => {
    const outcome = await call("runVendorPackage", vendor, optionsFor(sandbox, vendor));
    expect(outcome.status).toBe(vendor === "authapi" ? 201 : 200);
    expect(outcome.tokenLength).toBeGreaterThan(8);
    if (vendor === "vidispine") expect(outcome.contentType).toMatch(/^text\/plain/);
    // Only visible to the page because the sandbox exposes it (Access-Control-Expose-Headers).
    if (vendor === "authapi") expect(outcome.tokenIdHeader).toMatch(/\S/);
  });

  test.each(VENDORS)("%s: wrong credentials are an unauthorized TokenError that never shows them", async (vendor) => {
    const canary = "canary-Zq9-wrong-secret";
    const options = optionsFor(sandbox, vendor);
    const secretField = "password" in options.credentials ? "password" : "clientSecret";
    const failure = await call("issueUntilFailure", vendor, { ...options, credentials: { ...options.credentials, [secretField]: canary }, retry: false }, 1);
    expect(failure).toMatchObject({ isTokenError: true, code: "unauthorized", retryable: false });
    expect(failure?.message).toMatch(new RegExp(`^${vendor} issue: expected .*, received 40\\d`));
    expect(`${failure?.message} ${failure?.serialized}`).not.toContain(canary);
  });

  test("a rate-limited SFTPGo issue carries the wait the server asked for (exposed X-Retry-In)", async () => {
    const limited = await startSandbox({ cors: [origin], sftpgoRateLimit: { average: 1, periodMs: 60_000, burst: 1 } });
    try {
      const failure = await call("issueUntilFailure", "sftpgo", optionsFor(limited, "sftpgo", { retry: false }), 2);
      expect(failure).toMatchObject({ isTokenError: true, code: "rate_limited", status: 429, retryable: true });
      expect(failure?.retryAfterMs).toBeGreaterThan(1_000);
    } finally {
      await limited.close();
    }
  });

  test("a page rehearses a failure through /__sandbox/faults: adds, lists and removes faults, and the facade sees them", async () => {
    const admin = `${sandbox.url}/__sandbox/faults`;
    // A JSON POST is preflighted; a text one (a --fault spec) is a simple request. Both are allowed for the page's origin.
    const added = await page.evaluate(async (url) => {
      const json = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ vendor: "sftpgo", operation: "issue", fault: { kind: "status", status: 503, retryAfter: 7 }, times: 1 }),
      });
      const text = await fetch(url, { method: "POST", body: "vidispine:issue:hang" });
      return { statuses: [json.status, text.status], ids: [((await json.json()) as { fault: { id: string } }).fault.id, ((await text.json()) as { fault: { id: string } }).fault.id] };
    }, admin);
    expect(added.statuses).toEqual([201, 201]);
    expect(sandbox.stats().faults.map((fault) => fault.id)).toEqual(added.ids);

    const failure = await call("issueUntilFailure", "sftpgo", optionsFor(sandbox, "sftpgo", { retry: false }), 1);
    expect(failure).toMatchObject({ isTokenError: true, code: "server_error", status: 503, retryable: true, retryAfterMs: 7_000 });

    const after = await page.evaluate(
      async ({ url, hangId }) => {
        const listed = ((await (await fetch(url)).json()) as { faults: { id: string; vendor: string }[] }).faults.map((fault) => `${fault.id} ${fault.vendor}`);
        const removed = (await fetch(`${url}/${hangId}`, { method: "DELETE" })).status;
        const cleared = ((await (await fetch(url, { method: "DELETE" })).json()) as { cleared: number }).cleared;
        return { listed, removed, cleared };
      },
      { url: admin, hangId: added.ids[1]! },
    );
    expect(after).toEqual({ listed: [`${added.ids[1]} vidispine`], removed: 204, cleared: 0 });
    expect(sandbox.stats().faults).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test("a page on an origin the sandbox does not allow cannot add a fault, not even with a simple POST", async () => {
    const closed = await startSandbox();
    try {
      const outcome = await page.evaluate(async (url) => {
        try {
          await fetch(url, { method: "POST", body: "sftpgo:hang" });
          return "read the answer";
        } catch (error) {
          return (error as Error).name;
        }
      }, `${closed.url}/__sandbox/faults`);
      expect(outcome).toBe("TypeError");
      // Refused by the server (403), not only hidden from the page by the browser.
      expect(closed.stats().faults).toEqual([]);
    } finally {
      await closed.close();
    }
  });

  test("without CORS on the server the browser blocks the call: a network_error, not a hang or a crash", async () => {
    const closed = await startSandbox();
    try {
      const failure = await call("issueUntilFailure", "sftpgo", optionsFor(closed, "sftpgo", { retry: false }), 1);
      expect(failure).toMatchObject({ isTokenError: true, code: "network_error", retryable: true });
      // The browser gives no reason (CORS failures are opaque by design); the message still says where.
      expect(failure?.message).toMatch(/^sftpgo issue: expected 200 with a Token body, but GET http:\/\/127\.0\.0\.1:\d+\/sftpgo\/api\/v2\/token failed: .+ \(attempt 1 of 1, \d+\.\d s in all\)$/);
    } finally {
      await closed.close();
    }
  });
});
