// Bad options fail fast with a clear error, and no secret ever shows in an error or in inspect().
import { expectNoSecret, testClientOptions, thrown } from "@tokenkit/testkit/options";
import { useServer } from "@tokenkit/testkit/server";
import { expect, test, vi } from "vitest";
import * as pkg from "../src/index.js";
import { createClient } from "../src/index.js";

const CANARY = "canary-s3cr3t-7f1d";

const server = useServer();

testClientOptions({
  pkg,
  createClient,
  urlOptions: { baseUrl: { invalid: ["not a url", "/relative/path", "ftp://api.mindbodyonline.com", 42], insecure: "http://api.mindbodyonline.com" } },
  badOptions: [
    ["auth.apiKey", { auth: { apiKey: 42 } }],
    ["auth.staffToken", { auth: { staffToken: { token: "x" } } }],
    ["auth.ApiKey", { auth: { ApiKey: "x" } }],
  ],
});

test("a per-call http:// baseUrl to a non-loopback host is refused before sending", async () => {
  const fetch = vi.fn(async (_request: Request) => Response.json({}));
  const client = createClient({ fetch, auth: { apiKey: CANARY, siteId: "-99" } });
  const call = client.POST("/public/v{version}/usertoken/issue", { baseUrl: "http://evil.example", params: { path: { version: "6" } }, body: {} });
  await expect(call).rejects.toMatchObject({ code: "ERR_INVALID_OPTION" });
  expect(fetch).not.toHaveBeenCalled();
});

test("secrets never appear in option errors, missing-credential errors or inspect()", async () => {
  const secrets = { apiKey: CANARY, staffToken: CANARY };
  const errors: unknown[] = [
    thrown(() => createClient({ baseUrl: "not a url", auth: secrets })),
    thrown(() => createClient({ baseUrl: `https://user:${CANARY}@api.mindbodyonline.com` })),
    thrown(() => createClient({ auth: { ...secrets, bogus: CANARY } as never })),
    thrown(() => createClient({ auth: { apiKey: [CANARY] } as never })),
  ];
  const client = createClient({ baseUrl: server.url, auth: { apiKey: CANARY } });
  errors.push(
    await client
      .POST("/public/v{version}/usertoken/renew", { params: { path: { version: "6" }, header: { siteId: "-99" } } })
      .catch((error: unknown) => error),
  );
  expect(server.received).toHaveLength(0);
  expectNoSecret(CANARY, errors, client);
});
