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
  urlOptions: { baseUrl: { invalid: ["not a url", "authapi.example.com", "file:///etc/passwd", null], insecure: "http://authapi.example.com:8080" } },
  badOptions: [
    ["auth.longToken", { auth: { longToken: 1234 } }],
    ["auth.clientSecret", { auth: { clientId: "c", clientSecret: "s" } }],
  ],
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "::", auth: { clientId: CANARY, longToken: CANARY, shortToken: CANARY } })),
    thrown(() => createClient({ baseUrl: `https://admin:${CANARY}@api.example.com/v1` })),
    thrown(() => createClient({ auth: { longToken: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { clientId: CANARY } });
  errors.push(await client.POST("/auth/tokens/short").catch((error: unknown) => error));
  errors.push(await client.POST("/auth/tokens/{tokenId}/revoke", { params: { path: { tokenId: "t" } } }).catch((error: unknown) => error));
  expect(server.received).toHaveLength(0);
  expectNoSecret(CANARY, errors, client);
});
