// Compile-time contract: vitest's typecheck fails the run if a line marked @ts-expect-error compiles.
// The calls sit in functions that are never invoked, so nothing is sent at run time.
import { expectTypeOf, test } from "vitest";
import { createClient, type AuthapiAuth, type SecretSource } from "../src/index.js";

const client = createClient({ auth: { clientId: "c" } });

test("wrong paths, parameters and bodies do not compile", () => {
  const neverCalled = () => {
    // @ts-expect-error: no such path
    void client.POST("/auth/tokens/medium", { body: {} });
    // @ts-expect-error: the long token request body is required
    void client.POST("/auth/tokens/long");
    // @ts-expect-error: client_id is required
    void client.POST("/auth/tokens/long", { body: { grant_type: "client_credentials" } });
    // @ts-expect-error: grant_type is client_credentials or assertion
    void client.POST("/auth/tokens/long", { body: { grant_type: "password", client_id: "c" } });
    // @ts-expect-error: ttl_seconds is a number
    void client.POST("/auth/tokens/long", { body: { grant_type: "client_credentials", client_id: "c", ttl_seconds: "3600" } });
    // @ts-expect-error: the path parameter `tokenId` is required
    void client.POST("/auth/tokens/{tokenId}/revoke", { params: { path: {} } });
    // @ts-expect-error: revoke is POST, not DELETE
    void client.DELETE("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId: "t" } } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("option types follow the contract", () => {
  expectTypeOf<AuthapiAuth>().toEqualTypeOf<{
    readonly clientId?: SecretSource;
    readonly longToken?: SecretSource;
    readonly shortToken?: SecretSource;
  }>();
  const neverCalled = () => {
    // @ts-expect-error: scheme names are not option names
    createClient({ auth: { ClientKey: "c" } });
    // @ts-expect-error: the client secret goes in the request body, not in auth
    createClient({ auth: { clientSecret: "s" } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});
