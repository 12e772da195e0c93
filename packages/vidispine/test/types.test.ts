// Compile-time contract: vitest's typecheck fails the run if a line marked @ts-expect-error compiles.
// The calls sit in functions that are never invoked, so nothing is sent at run time.
import { expectTypeOf, test } from "vitest";
import { createClient, type SecretSource, type VidispineAuth, type components } from "../src/index.js";

const client = createClient({ auth: { username: "u", password: "p" } });

test("wrong paths, parameters and query types do not compile", () => {
  const neverCalled = () => {
    // @ts-expect-error: no such path
    void client.GET("/API/tokens");
    // @ts-expect-error: the token endpoints are GET only
    void client.POST("/API/token");
    // @ts-expect-error: the path parameter `username` is required
    void client.GET("/API/user/{username}/token", { params: { path: {} } });
    // @ts-expect-error: seconds is a number
    void client.GET("/API/token", { params: { query: { seconds: "60" } } });
    // @ts-expect-error: autoRefresh is a boolean
    void client.GET("/API/token", { params: { query: { autoRefresh: "yes" } } });
    // @ts-expect-error: there is no request body
    void client.GET("/API/token", { body: { seconds: 60 } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("responses are typed by media type and status", () => {
  const neverCalled = async () => {
    const own = await client.GET("/API/token");
    expectTypeOf(own.data).toEqualTypeOf<components["schemas"]["AuthenticationTokenType"] | string | undefined>();
    const user = await client.GET("/API/user/{username}/token", { params: { path: { username: "u" } } });
    expectTypeOf(user.data).toEqualTypeOf<string | undefined>();
    expectTypeOf(user.error).toEqualTypeOf<string | undefined>();
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("option types follow the contract", () => {
  expectTypeOf<VidispineAuth>().toEqualTypeOf<{
    readonly username?: SecretSource;
    readonly password?: SecretSource;
    readonly token?: SecretSource;
  }>();
  const neverCalled = () => {
    // @ts-expect-error: scheme names are not option names
    createClient({ auth: { BasicAuth: { username: "u", password: "p" } } });
    // @ts-expect-error: a token is a secret source, not an object
    createClient({ auth: { token: { value: "t" } } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});
