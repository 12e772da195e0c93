// Bad options fail fast with a clear error, and no secret ever shows in an error or in inspect().
import { expectNoSecret, testClientOptions, thrown } from "@tokenkit/testkit/options";
import { useServer } from "@tokenkit/testkit/server";
import { expect, test } from "vitest";
import * as pkg from "../src/index.js";
import { createClient } from "../src/index.js";

const CANARY = "canary-s3cr3t-7f1d";

const server = useServer();

testClientOptions({
  pkg,
  createClient,
  urlOptions: { baseUrl: { invalid: ["not a url", "sftpgo.example.com", "file:///etc/passwd", null], insecure: "http://sftpgo.example.com:8080" } },
  badOptions: [
    ["auth.password", { auth: { username: "u", password: 1234 } }],
    ["auth.user", { auth: { user: "u" } }],
  ],
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "::", auth: { username: "admin", password: CANARY, otp: CANARY, token: CANARY } })),
    thrown(() => createClient({ baseUrl: `https://admin:${CANARY}@sftpgo.example.com` })),
    thrown(() => createClient({ auth: { password: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { password: CANARY, otp: CANARY } });
  errors.push(await client.GET("/api/v2/token").catch((error: unknown) => error));
  errors.push(await client.GET("/api/v2/logout").catch((error: unknown) => error));
  expect(server.received).toHaveLength(0);
  expectNoSecret(CANARY, errors, client);
});
