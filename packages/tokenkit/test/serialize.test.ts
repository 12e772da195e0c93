import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenClient, deserializeToken, serializeToken, TOKEN_FORMAT_VERSION, TokenError, type Token, type VendorId } from "../src/index.js";

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const VENDORS: VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

function refusal(run: () => unknown): TokenError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return error as TokenError;
  }
  throw new Error("expected a TokenError");
}

describe("serializeToken / deserializeToken", () => {
  it.each(VENDORS)("%s: round-trips every field of a real token (expiresAt as a Date)", async (vendor) => {
    const client = createTokenClient(vendor, sandbox.clientOptions(vendor) as never) as { issue(): Promise<Token> };
    const token = await client.issue();
    const text = serializeToken(token);
    expect(JSON.parse(text)).toMatchObject({ v: TOKEN_FORMAT_VERSION, vendor, accessToken: token.accessToken });
    const restored = deserializeToken(text);
    expect(restored).not.toBe(token);
    for (const field of ["vendor", "accessToken", "tokenType", "tokenId", "scope"] as const) expect(restored[field]).toBe(token[field]);
    expect(restored.expiresAt).toBeInstanceOf(Date);
    expect(restored.expiresAt?.getTime()).toBe(token.expiresAt?.getTime());
    expect(restored.raw).toEqual(token.raw);
    // The restored token is redacted like the original: only serializeToken writes the secret.
    expect(JSON.stringify(restored)).not.toContain(token.accessToken);
    expect(inspect(restored, { depth: 8, showHidden: true })).not.toContain(token.accessToken);
    expect(serializeToken(restored)).toBe(text);
  });

  it("keeps an absent expiry, tokenId and scope absent", () => {
    const restored = deserializeToken(JSON.stringify({ v: 1, vendor: "vidispine", accessToken: "vid-abcdef", tokenType: "token", raw: "vid-abcdef" }));
    expect(restored.expiresAt).toBeUndefined();
    expect("tokenId" in restored).toBe(false);
    expect(restored.raw).toBe("vid-abcdef");
  });

  it("authapi: a restored token is renewed and revoked by a new client of the same origin", async () => {
    const first = createTokenClient("authapi", sandbox.clientOptions("authapi"));
    const token = await first.issue();
    const text = serializeToken(token);
    const longToken = (JSON.parse(text) as { state: { longToken: string } }).state.longToken;
    expect(longToken).toEqual(expect.any(String));
    // The long-term token travels in the serialised text only: never in the token's own forms.
    for (const form of [JSON.stringify(token), inspect(token, { depth: 8, showHidden: true }), String(token), Object.keys(token).join()]) {
      expect(form).not.toContain(longToken);
    }

    const fresh = createTokenClient("authapi", sandbox.clientOptions("authapi"));
    const issuedBefore = sandbox.requestCount("authapi");
    const renewed = await fresh.renew(deserializeToken(text, "authapi"));
    expect(renewed.accessToken).not.toBe(token.accessToken);
    expect(sandbox.requestCount("authapi") - issuedBefore).toBe(1); // one short-token call, no new long-term token
    await fresh.revoke(deserializeToken(serializeToken(renewed), "authapi"));
    // Revoking took the long-term token with it: the first token can no longer be renewed.
    await expect(first.renew(token)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("authapi: a restored token's long-term token is never sent to another origin", async () => {
    const token = await createTokenClient("authapi", sandbox.clientOptions("authapi")).issue();
    const other = await startSandbox({ port: 0 });
    try {
      const elsewhere = createTokenClient("authapi", other.clientOptions("authapi"));
      const error = await elsewhere.renew(deserializeToken(serializeToken(token), "authapi")).catch((e: unknown) => e as TokenError);
      expect(error).toBeInstanceOf(TokenError);
      expect(error).toMatchObject({ code: "invalid_argument" });
      expect((error as TokenError).message).toContain("another AuthAPI server");
      expect(other.requestCount("authapi")).toBe(0);
    } finally {
      await other.close();
    }
  });

  it("refuses garbage with invalid_argument saying what was expected, never quoting the text", () => {
    const canary = "canary-secret-4f1c9a";
    const cases: [unknown, RegExp][] = [
      [`not json ${canary}`, /received text that is not JSON/],
      ["", /received an empty string/],
      [`["${canary}"]`, /received JSON an array/],
      [JSON.stringify({ v: 2, vendor: "sftpgo", accessToken: canary }), /format version 2, newer than this tokenkit reads \(1\)/],
      [JSON.stringify({ vendor: "sftpgo", accessToken: canary }), /without "v":1/],
      [JSON.stringify({ v: 1, vendor: canary, accessToken: canary, tokenType: "bearer" }), /"vendor" a string \(expected one of mindbody/],
      [JSON.stringify({ v: 1, vendor: "sftpgo", accessToken: 5, tokenType: "bearer" }), /"accessToken" as number/],
      [JSON.stringify({ v: 1, vendor: "sftpgo", accessToken: canary, tokenType: "bearer", expiresAt: canary }), /"expiresAt" as a string \(expected an ISO 8601/],
      [JSON.stringify({ v: 1, vendor: "sftpgo", accessToken: canary, tokenType: "bearer", state: [canary] }), /"state" as an array/],
      [42, /received number/],
    ];
    for (const [text, message] of cases) {
      const error = refusal(() => deserializeToken(text as string));
      expect(error.code).toBe("invalid_argument");
      expect(error.operation).toBe("deserializeToken");
      expect(error.message).toMatch(/^tokenkit deserializeToken: expected the text of serializeToken\(\)/);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain(canary);
    }
  });

  it("refuses another vendor's token when a vendor is expected", () => {
    const text = JSON.stringify({ v: 1, vendor: "sftpgo", accessToken: "secret-value-1", tokenType: "bearer", raw: {} });
    const error = refusal(() => deserializeToken(text, "authapi"));
    expect(error.message).toMatch(/received a sftpgo token \(expected authapi\)/);
    expect(deserializeToken(text, "sftpgo").vendor).toBe("sftpgo");
  });

  it("refuses to serialise what is not a token", () => {
    const error = refusal(() => serializeToken({ vendor: "sftpgo" } as unknown as Token));
    expect(error).toMatchObject({ code: "invalid_argument", operation: "serializeToken" });
  });
});
