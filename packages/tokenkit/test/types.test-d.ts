import { describe, expectTypeOf, it } from "vitest";
import {
  createTokenClient,
  createTokenSource,
  type GenesysCredentials,
  type GenesysTokenClientOptions,
  type GenesysTokenInfo,
  type MindbodyCredentials,
  type SecretSource,
  type SftpgoCredentials,
  type VidispineCredentials,
  type SftpgoClaims,
  type Token,
  type TokenClient,
  type TokenErrorCode,
  type TokenSource,
  type VendorId,
  TOKEN_ERROR_CODES,
} from "../src/index.js";
import { createTokenClient as createSftpgo } from "../src/sftpgo.js";
import type { TokenClient as SftpgoOnly } from "../src/sftpgo.js";

const mindbody = createTokenClient("mindbody", { credentials: { apiKey: "k", siteId: "-99", username: "u", password: "p" } });
const vidispine = createTokenClient("vidispine", { credentials: { username: "u", password: "p" }, seconds: 60, autoRefresh: true });
const sftpgo = createTokenClient("sftpgo", { credentials: { username: "u", password: "p", otp: "123456" }, audience: "user" });
const genesys = createTokenClient("genesys", { credentials: { clientId: "i", clientSecret: "s" }, region: "mypurecloud.ie" });
const authapi = createTokenClient("authapi", { credentials: { clientId: "i", clientSecret: "s" }, ttlSeconds: 3600, scopes: ["a"] });

describe("the client type follows the vendor id", () => {
  it("has exactly the operations the vendor supports", () => {
    expectTypeOf(mindbody.issue).returns.resolves.toEqualTypeOf<Token<"mindbody">>();
    expectTypeOf(mindbody.renew).parameter(0).toEqualTypeOf<Token<"mindbody">>();
    expectTypeOf(mindbody.revoke).returns.resolves.toBeVoid();
    expectTypeOf(sftpgo.introspect).returns.resolves.toEqualTypeOf<SftpgoClaims>();
    expectTypeOf(genesys.introspect).returns.resolves.toEqualTypeOf<GenesysTokenInfo>();
    expectTypeOf(authapi.renew).returns.resolves.toEqualTypeOf<Token<"authapi">>();
    expectTypeOf(sftpgo.capabilities.renew).toEqualTypeOf<false>();
    expectTypeOf(mindbody.capabilities.renew).toEqualTypeOf<true>();
    expectTypeOf<TokenClient<"sftpgo">>().toEqualTypeOf(sftpgo);
    expectTypeOf(createSftpgo).returns.toEqualTypeOf<SftpgoOnly>();
    expectTypeOf<SftpgoOnly>().toEqualTypeOf<TokenClient<"sftpgo">>();
  });

  it("rejects unsupported operations at compile time", () => {
    // @ts-expect-error SFTPGo cannot renew
    void sftpgo.renew;
    // @ts-expect-error Genesys cannot renew
    void genesys.renew;
    // @ts-expect-error Vidispine cannot renew
    void vidispine.renew;
    // @ts-expect-error Vidispine cannot revoke
    void vidispine.revoke;
    // @ts-expect-error Vidispine cannot introspect
    void vidispine.introspect;
    // @ts-expect-error Mindbody cannot introspect
    void mindbody.introspect;
    // @ts-expect-error AuthAPI cannot introspect
    void authapi.introspect;
  });

  it("rejects another vendor's token", async () => {
    const token = await sftpgo.issue();
    // @ts-expect-error a SFTPGo token is not a Mindbody token
    void mindbody.revoke(token);
    expectTypeOf(token.vendor).toEqualTypeOf<"sftpgo">();
  });

  it("rejects unknown vendor ids and wrong credential shapes", () => {
    // @ts-expect-error unknown vendor id
    createTokenClient("okta", { credentials: { username: "u", password: "p" } });
    // @ts-expect-error missing siteId
    createTokenClient("mindbody", { credentials: { apiKey: "k", username: "u", password: "p" } });
    // @ts-expect-error Genesys takes clientId/clientSecret, not a login
    createTokenClient("genesys", { credentials: { username: "u", password: "p" } });
    // @ts-expect-error no extra credential fields
    createTokenClient("vidispine", { credentials: { username: "u", password: "p", otp: "1" } });
    // @ts-expect-error credentials are strings
    createTokenClient("authapi", { credentials: { clientId: "i", clientSecret: 42 } });
    // @ts-expect-error audience is admin or user
    createTokenClient("sftpgo", { credentials: { username: "u", password: "p" }, audience: "root" });
    // @ts-expect-error vendor options belong to their vendor
    createTokenClient("sftpgo", { credentials: { username: "u", password: "p" }, seconds: 60 });
    // @ts-expect-error the subpath entry only knows its vendor
    createSftpgo("genesys", { credentials: { clientId: "i", clientSecret: "s" } });
    // @ts-expect-error credentials are required
    createTokenClient("sftpgo", {});
  });

  it("credential fields take strings or secret sources (functions returning a string or a promise of one)", () => {
    expectTypeOf<SecretSource>().toEqualTypeOf<string | (() => string | Promise<string>)>();
    expectTypeOf<SftpgoCredentials["otp"]>().toEqualTypeOf<SecretSource | undefined>();
    expectTypeOf<MindbodyCredentials>().toEqualTypeOf<{ readonly apiKey: SecretSource; readonly siteId: SecretSource; readonly username: SecretSource; readonly password: SecretSource }>();
    expectTypeOf<VidispineCredentials>().toEqualTypeOf<{ readonly username: SecretSource; readonly password: SecretSource }>();
    expectTypeOf<GenesysCredentials>().toEqualTypeOf<{ readonly clientId: SecretSource; readonly clientSecret: SecretSource }>();
    expectTypeOf<GenesysTokenClientOptions["clientAuthentication"]>().toEqualTypeOf<"client_secret_basic" | "client_secret_post" | undefined>();
    createTokenClient("sftpgo", { credentials: { username: "u", password: async () => "p", otp: () => "123456" } });
    createTokenClient("mindbody", { credentials: { apiKey: () => "k", siteId: "-99", username: "u", password: () => Promise.resolve("p") } });
    createTokenClient("genesys", { credentials: { clientId: "i", clientSecret: async () => "s" }, clientAuthentication: "client_secret_post" });
    // @ts-expect-error a secret source returns a string
    createTokenClient("sftpgo", { credentials: { username: "u", password: "p", otp: () => 123456 } });
    // @ts-expect-error a secret source takes no arguments
    createTokenClient("vidispine", { credentials: { username: "u", password: (user: string) => user } });
    // @ts-expect-error only the two RFC 7591 secret methods
    createTokenClient("genesys", { credentials: { clientId: "i", clientSecret: "s" }, clientAuthentication: "private_key_jwt" });
  });

  it("types the authenticated api by the vendor's spec", () => {
    void genesys.api.GET("/api/v2/tokens/me", { params: { query: { preserveIdleTTL: true } } });
    // @ts-expect-error not a Genesys path
    void genesys.api.GET("/api/v2/token");
    void sftpgo.api.GET("/api/v2/logout");
  });

  it("token sources and errors", () => {
    const source = createTokenSource(mindbody, { refreshWindowMs: 60_000 });
    expectTypeOf(source).toEqualTypeOf<TokenSource<"mindbody">>();
    expectTypeOf(source.getToken).returns.resolves.toEqualTypeOf<Token<"mindbody">>();
    expectTypeOf<TokenErrorCode>().toEqualTypeOf<
      | "invalid_argument"
      | "unauthorized"
      | "forbidden"
      | "not_found"
      | "conflict"
      | "rate_limited"
      | "server_error"
      | "network_error"
      | "timeout"
      | "invalid_response"
      | "unsupported"
    >();
    expectTypeOf(TOKEN_ERROR_CODES.UNAUTHORIZED).toEqualTypeOf<"unauthorized">();
    expectTypeOf(TOKEN_ERROR_CODES.INVALID_RESPONSE).toEqualTypeOf<"invalid_response">();
    expectTypeOf<VendorId>().toEqualTypeOf<"mindbody" | "vidispine" | "sftpgo" | "genesys" | "authapi">();
    const token = {} as Token<"sftpgo">;
    // @ts-expect-error tokens are read-only
    token.accessToken = "x";
  });
});
