import { describe, expect, it } from "vitest";
import { createTokenClient, TOKEN_ERROR_CODES, TokenError, type VendorId } from "../src/index.js";
import { stubFetch } from "./helpers.js";

const fetch = stubFetch(() => new Response(null, { status: 500 }));

/** Calls createTokenClient with untyped input, as a JavaScript caller could. */
function create(vendor: unknown, options: unknown) {
  return () => createTokenClient(vendor as VendorId, options as never);
}

function refused(fn: () => unknown, pattern: RegExp, vendor?: VendorId) {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(TokenError);
  expect(error).toMatchObject({ code: "invalid_argument", operation: "createTokenClient", vendor, retryable: false });
  expect((error as Error).message).toMatch(pattern);
}

describe("arguments are checked before any I/O", () => {
  const sftpgo = { credentials: { username: "u", password: "p" }, fetch };

  it("exports the closed code set", () => {
    expect(Object.values(TOKEN_ERROR_CODES).sort()).toEqual(
      ["conflict", "forbidden", "invalid_argument", "invalid_response", "network_error", "not_found", "rate_limited", "server_error", "timeout", "unauthorized", "unsupported"].sort(),
    );
    expect(Object.isFrozen(TOKEN_ERROR_CODES)).toBe(true);
    expect(TOKEN_ERROR_CODES.RATE_LIMITED).toBe("rate_limited");
    expect(Object.keys(TOKEN_ERROR_CODES)).toContain("INVALID_RESPONSE");
  });

  it("unknown vendor ids", () => {
    refused(create("okta", sftpgo), /^tokenkit createTokenClient: unknown vendor "okta"; expected one of mindbody, vidispine, sftpgo, genesys, authapi$/);
    refused(create(undefined, sftpgo), /unknown vendor undefined/);
    refused(create("toString", sftpgo), /unknown vendor "toString"/);
  });

  it("options and credentials", () => {
    refused(create("sftpgo", undefined), /expected an options object; received undefined/, "sftpgo");
    refused(create("sftpgo", { fetch }), /option "credentials" must be an object; received undefined/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, credentials: { username: "u" } }), /credentials.password must be a non-empty string or a function returning one; received undefined/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, credentials: { username: "u", password: "  " } }), /credentials.password must be a non-empty string or a function returning one; received an empty string/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, credentials: { username: "u", password: "p", otp: 123456 } }), /credentials.otp .* received number/, "sftpgo");
    refused(create("mindbody", { fetch, credentials: { apiKey: "k", username: "u", password: "p" } }), /credentials.siteId/, "mindbody");
    refused(create("genesys", { fetch, credentials: { clientId: "id" } }), /credentials.clientSecret/, "genesys");
    refused(create("authapi", { fetch, credentials: { clientSecret: "s" } }), /credentials.clientId/, "authapi");
    refused(create("vidispine", { fetch, credentials: [] }), /"credentials" must be an object; received an array/, "vidispine");
  });

  it("base URLs", () => {
    refused(create("sftpgo", { ...sftpgo, baseUrl: "not a url" }), /baseUrl/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, baseUrl: "ftp://files.example.com" }), /baseUrl/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, baseUrl: "http://sftpgo.example.com" }), /option "baseUrl" uses http:\/\/ for non-loopback host "sftpgo\.example\.com".*allowInsecureHttp: true/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, baseUrl: "https://admin:hunter22@sftpgo.example.com" }), /must not contain credentials \(user:password@\); pass them in "credentials"$/, "sftpgo");
    refused(create("genesys", { fetch, credentials: { clientId: "i", clientSecret: "s" }, loginUrl: "http://login.example.com" }), /loginUrl/, "genesys");
    expect(create("sftpgo", { ...sftpgo, baseUrl: "http://sftpgo.internal", allowInsecureHttp: true })).not.toThrow();
    expect(create("sftpgo", { ...sftpgo, baseUrl: "http://127.0.0.1:8080" })).not.toThrow();
    expect(create("sftpgo", { ...sftpgo, baseUrl: "http://localhost:8080" })).not.toThrow();
  });

  it("common options", () => {
    refused(create("sftpgo", { ...sftpgo, timeoutMs: 0 }), /"timeoutMs" must be an integer from 1 to 2147483647; received number/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, timeoutMs: "30s" }), /timeoutMs.*received "30s"/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, retry: true }), /"retry" must be false or/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, retry: { retries: -1 } }), /retry.retries/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, retry: { baseDelayMs: Number.NaN } }), /retry.baseDelayMs/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, fetch: "fetch" }), /"fetch" must be (?:a )?function/, "sftpgo");
    refused(create("sftpgo", { ...sftpgo, allowInsecureHttp: "yes" }), /allowInsecureHttp/, "sftpgo");
  });

  it("vendor options", () => {
    refused(create("sftpgo", { ...sftpgo, audience: "root" }), /"audience" must be "admin" or "user"; received "root"/, "sftpgo");
    refused(create("mindbody", { fetch, credentials: { apiKey: "k", siteId: "1", username: "u", password: "p" }, version: 6 }), /"version"/, "mindbody");
    refused(create("vidispine", { fetch, credentials: { username: "u", password: "p" }, seconds: 0 }), /"seconds" must be a positive integer/, "vidispine");
    refused(create("vidispine", { fetch, credentials: { username: "u", password: "p" }, autoRefresh: "true" }), /"autoRefresh"/, "vidispine");
    refused(create("genesys", { fetch, credentials: { clientId: "i", clientSecret: "s" }, region: "https://evil" }), /"region"/, "genesys");
    refused(create("authapi", { fetch, credentials: { clientId: "i", clientSecret: "s" }, ttlSeconds: 60 }), /"ttlSeconds" must be an integer from 3600 to 7776000/, "authapi");
    refused(create("authapi", { fetch, credentials: { clientId: "i", clientSecret: "s" }, scopes: "jobs:submit" }), /"scopes"/, "authapi");
  });

  it("per-call arguments reject without I/O", async () => {
    const client = createTokenClient("sftpgo", sftpgo);
    const token = { vendor: "sftpgo" as const, accessToken: "t", tokenType: "bearer", raw: {} };
    await expect(client.issue({ signal: "stop" as never })).rejects.toMatchObject({ code: "invalid_argument", operation: "issue" });
    await expect(client.issue(5 as never)).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(client.revoke(undefined as never)).rejects.toMatchObject({ code: "invalid_argument", operation: "revoke", message: "sftpgo revoke: expected a sftpgo Token from issue() or renew(); received undefined" });
    await expect(client.revoke({ ...token, vendor: "genesys" } as never)).rejects.toMatchObject({ code: "invalid_argument" });
    await expect(client.introspect({ ...token, accessToken: "" })).rejects.toMatchObject({ code: "invalid_argument" });
    expect(fetch.seen).toHaveLength(0);
  });

  it("unsupported operations reject with `unsupported` for JavaScript callers", async () => {
    const client = createTokenClient("vidispine", { fetch, credentials: { username: "u", password: "p" } });
    const loose = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    for (const name of ["renew", "revoke", "introspect"]) {
      await expect(loose[name]?.({})).rejects.toMatchObject({ code: "unsupported", operation: name, message: `vidispine ${name}: vidispine has no ${name} operation (see capabilities)` });
    }
    expect(Object.keys(client).sort()).toEqual(["api", "capabilities", "issue", "vendor"]);
    expect(client.capabilities).toEqual({ issue: true, renew: false, revoke: false, introspect: false });
  });

  it("capabilities match the DESIGN table", () => {
    const caps = (vendor: VendorId, credentials: Record<string, string>) => createTokenClient(vendor, { fetch, credentials } as never).capabilities;
    expect(caps("mindbody", { apiKey: "k", siteId: "1", username: "u", password: "p" })).toEqual({ issue: true, renew: true, revoke: true, introspect: false });
    expect(caps("vidispine", { username: "u", password: "p" })).toEqual({ issue: true, renew: false, revoke: false, introspect: false });
    expect(caps("sftpgo", { username: "u", password: "p" })).toEqual({ issue: true, renew: false, revoke: true, introspect: true });
    expect(caps("genesys", { clientId: "i", clientSecret: "s" })).toEqual({ issue: true, renew: false, revoke: true, introspect: true });
    expect(caps("authapi", { clientId: "i", clientSecret: "s" })).toEqual({ issue: true, renew: true, revoke: true, introspect: false });
  });
});
