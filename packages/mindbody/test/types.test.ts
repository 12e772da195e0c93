// Compile-time contract: vitest's typecheck fails the run if a line marked @ts-expect-error compiles.
// The calls sit in functions that are never invoked, so nothing is sent at run time.
import { expectTypeOf, test } from "vitest";
import { createClient, type ClientOptions, type MindbodyAuth, type SecretSource, type components } from "../src/index.js";

const withSite = createClient({ auth: { apiKey: "k", siteId: "-99", staffToken: "t" } });
const withoutSite = createClient({ auth: { apiKey: "k" } });
const version = { path: { version: "6" } };

test("wrong paths, methods, parameters and bodies do not compile", () => {
  const neverCalled = () => {
    // @ts-expect-error: no such path
    void withSite.POST("/public/v{version}/usertoken/refresh", { params: version });
    // @ts-expect-error: issue is POST only
    void withSite.GET("/public/v{version}/usertoken/issue", { params: version });
    // @ts-expect-error: the path parameter `version` is required
    void withSite.POST("/public/v{version}/usertoken/renew", { params: {} });
    // @ts-expect-error: the issue body is required
    void withSite.POST("/public/v{version}/usertoken/issue", { params: version });
    // @ts-expect-error: Username is a string
    void withSite.POST("/public/v{version}/usertoken/issue", { params: version, body: { Username: 42 } });
    // @ts-expect-error: without auth.siteId the siteId header is required per call
    void withoutSite.POST("/public/v{version}/usertoken/renew", { params: version });
    // @ts-expect-error: siteId is a string
    void withSite.POST("/public/v{version}/usertoken/renew", { params: { ...version, header: { siteId: -99 } } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("with auth.siteId the siteId header is optional; without it, it can be passed per call", () => {
  const neverCalled = () => {
    void withSite.POST("/public/v{version}/usertoken/renew", { params: version });
    void withSite.POST("/public/v{version}/usertoken/renew", { params: { ...version, header: { siteId: "1" } } });
    void withoutSite.DELETE("/public/v{version}/usertoken/revoke", { params: { ...version, header: { siteId: "-99" } } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("option types follow the contract", () => {
  expectTypeOf<MindbodyAuth>().toEqualTypeOf<{
    readonly apiKey?: SecretSource;
    readonly siteId?: string;
    readonly staffToken?: SecretSource;
  }>();
  expectTypeOf<SecretSource>().toEqualTypeOf<string | (() => string | Promise<string>)>();
  expectTypeOf<ClientOptions>().toHaveProperty("allowInsecureHttp");
  const neverCalled = () => {
    // @ts-expect-error: apiKey is a secret source, not a number
    createClient({ auth: { apiKey: 42 } });
    // @ts-expect-error: scheme names are not option names
    createClient({ auth: { ApiKey: "k" } });
    // @ts-expect-error: fetch takes a Request
    createClient({ fetch: (url: number) => Promise.resolve(new Response(String(url))) });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("responses are typed by status", () => {
  const neverCalled = async () => {
    const { data, error } = await withSite.POST("/public/v{version}/usertoken/issue", { params: version, body: {} });
    expectTypeOf(data).toEqualTypeOf<components["schemas"]["IssueResponse"] | undefined>();
    expectTypeOf(error).toEqualTypeOf<components["schemas"]["MindbodyErrorResponse"] | undefined>();
  };
  expectTypeOf(neverCalled).toBeFunction();
});
