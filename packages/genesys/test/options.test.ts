// Bad options fail fast with a clear error, and no secret ever shows in an error or in inspect().
import { expectNoSecret, testClientOptions, thrown } from "@tokenkit/testkit/options";
import { useServer } from "@tokenkit/testkit/server";
import { expect, test } from "vitest";
import * as pkg from "../src/index.js";
import { createClient } from "../src/index.js";

const CANARY = "canary-s3cr3t-7f1d";

const server = useServer();

const invalid = ["not a url", "api.mypurecloud.com", "file:///etc/passwd", null];
testClientOptions({
  pkg,
  createClient,
  urlOptions: {
    baseUrl: { invalid, insecure: "http://api.genesys.example" },
    loginUrl: { invalid, insecure: "http://login.genesys.example" },
  },
  badOptions: [
    ["auth.clientSecret", { auth: { clientId: "c", clientSecret: 1234 } }],
    ["auth.token", { auth: { token: "t" } }],
  ],
});

test.each([["mypurecloud.com/evil"], ["https://api.mypurecloud.ie"], ["evil.com:8080"], [""], [42]])("region %j is refused, naming the option", (region) => {
  const error = thrown(() => createClient({ region: region as string }));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "region" });
  expect(error.message).toContain('"region"');
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "::", auth: { clientId: "c", clientSecret: CANARY, accessToken: CANARY } })),
    thrown(() => createClient({ region: "x/y", auth: { clientId: "c", clientSecret: CANARY, accessToken: CANARY } })),
    thrown(() => createClient({ loginUrl: `https://c:${CANARY}@login.mypurecloud.com` })),
    thrown(() => createClient({ auth: { clientSecret: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { clientSecret: CANARY } });
  errors.push(await client.POST("/oauth/token", { body: { grant_type: "client_credentials" } }).catch((error: unknown) => error));
  errors.push(await client.GET("/api/v2/tokens/me").catch((error: unknown) => error));
  expect(server.received).toHaveLength(0);
  expectNoSecret(CANARY, errors, client);
});
