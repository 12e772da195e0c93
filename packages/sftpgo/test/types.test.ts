// Compile-time contract: vitest's typecheck fails the run if a line marked @ts-expect-error compiles.
// The calls sit in functions that are never invoked, so nothing is sent at run time.
import { expectTypeOf, test } from "vitest";
import { createClient, type SecretSource, type SftpgoAuth, type components } from "../src/index.js";

const client = createClient({ auth: { username: "u", password: "p" } });

test("wrong paths, methods, headers and bodies do not compile", () => {
  const neverCalled = () => {
    // @ts-expect-error: no such path
    void client.GET("/api/v2/tokens");
    // @ts-expect-error: logout is GET
    void client.POST("/api/v2/logout");
    // @ts-expect-error: the OTP header is a string
    void client.GET("/api/v2/token", { params: { header: { "X-SFTPGO-OTP": 123456 } } });
    // @ts-expect-error: there is no request body
    void client.GET("/api/v2/user/token", { body: { username: "u" } });
    // @ts-expect-error: there are no query parameters
    void client.GET("/api/v2/token", { params: { query: { ttl: 60 } } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("responses are typed by status", () => {
  const neverCalled = async () => {
    const issued = await client.GET("/api/v2/token");
    expectTypeOf(issued.data).toEqualTypeOf<components["schemas"]["Token"] | undefined>();
    expectTypeOf(issued.error).toEqualTypeOf<components["schemas"]["ApiResponse"] | undefined>();
    const loggedOut = await client.GET("/api/v2/user/logout");
    expectTypeOf(loggedOut.data).toEqualTypeOf<components["schemas"]["ApiResponse"] | undefined>();
  };
  expectTypeOf(neverCalled).toBeFunction();
});

test("option types follow the contract", () => {
  expectTypeOf<SftpgoAuth>().toEqualTypeOf<{
    readonly username?: SecretSource;
    readonly password?: SecretSource;
    readonly otp?: SecretSource;
    readonly token?: SecretSource;
  }>();
  const neverCalled = () => {
    // @ts-expect-error: the OTP is a string (or a function returning one), not a number
    createClient({ auth: { otp: 123456 } });
    // @ts-expect-error: scheme names are not option names
    createClient({ auth: { BearerAuth: "t" } });
  };
  expectTypeOf(neverCalled).toBeFunction();
});
