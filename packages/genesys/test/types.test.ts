// Compile-time contract: vitest's typecheck fails the run if a line marked @ts-expect-error compiles.
// The calls sit in functions that are never invoked, so nothing is sent at run time.
import { expectTypeOf, test } from "vitest";
import { createClient, type ClientOptions, type GenesysAuth, type SecretSource } from "../src/index.js";

const client = createClient({ region: "mypurecloud.ie", auth: { accessToken: "a" } });

test("wrong paths, parameters and bodies do not compile", () => {
  const neverCalled = () => {
    // @ts-expect-error: no such path
    void client.GET("/api/v2/tokens/mine");
    // @ts-expect-error: the path parameter `userId` is required
    void client.DELETE("/api/v2/tokens/{userId}", { params: { path: {} } });
    // @ts-expect-error: the form body is required
    void client.POST("/oauth/token", {});
    // @ts-expect-error: only the client credentials grant is described
    void client.POST("/oauth/token", { body: { grant_type: "password" } });
    // @ts-expect-error: preserveIdleTTL is a boolean
    void client.GET("/api/v2/tokens/me", { params: { query: { preserveIdleTTL: "true" } } });
    // @ts-expect-error: idleTokenTimeoutSeconds is a number
    void client.PUT("/api/v2/tokens/timeout", { body: { idleTokenTimeoutSeconds: "1800" } });
    // @ts-expect-error: the timeout cannot be POSTed
    void client.POST("/api/v2/tokens/timeout", { body: {} });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("option types follow the contract", () => {
  expectTypeOf<GenesysAuth>().toEqualTypeOf<{
    readonly accessToken?: SecretSource;
    readonly clientId?: SecretSource;
    readonly clientSecret?: SecretSource;
  }>();
  expectTypeOf<ClientOptions["region"]>().toEqualTypeOf<string | undefined>();
  expectTypeOf<ClientOptions["loginUrl"]>().toEqualTypeOf<string | undefined>();
  expectTypeOf<ClientOptions["clientAuthentication"]>().toEqualTypeOf<"client_secret_basic" | "client_secret_post" | undefined>();
  const neverCalled = () => {
    // @ts-expect-error: RFC 7591 names only; private_key_jwt is not supported
    createClient({ clientAuthentication: "private_key_jwt" });
    // @ts-expect-error: scheme names are not option names
    createClient({ auth: { PureCloudOAuth: "a" } });
    // @ts-expect-error: region is a host name string
    createClient({ region: 1 });
  };
  expectTypeOf(neverCalled).toBeFunction();
});
