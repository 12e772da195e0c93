// Auth middleware added with client.use (as tokenkit's token source does) runs before the
// credential check, so a header it sets satisfies the operation's security.
import type { Middleware } from "openapi-fetch";
import { expect, test } from "vitest";
import { createClient } from "../src/index.js";

function recordRequests() {
  const sent: Request[] = [];
  const fetch = async (request: Request) => (sent.push(request), Response.json({}));
  return { sent, fetch };
}

const setBearer = (token: string): Middleware => ({
  onRequest({ request }) {
    if (!request.headers.has("Authorization")) request.headers.set("Authorization", `Bearer ${token}`);
    return request;
  },
});

test("a middleware added later that sets Authorization lets the call through with its header", async () => {
  const { sent, fetch } = recordRequests();
  const genesys = createClient({ fetch });
  genesys.use(setBearer("from-middleware"));
  const { response } = await genesys.GET("/api/v2/tokens/me");
  expect(response.status).toBe(200);
  expect(sent).toHaveLength(1);
  expect(sent[0]?.headers.get("Authorization")).toBe("Bearer from-middleware");
  // The runtime's bookkeeping never reaches the wire.
  expect([...(sent[0]?.headers.keys() ?? [])].filter((name) => name.startsWith("x-tokenkit"))).toEqual([]);
});

test("a middleware that returns a new Request still satisfies the check", async () => {
  const { sent, fetch } = recordRequests();
  const genesys = createClient({ fetch });
  genesys.use({
    onRequest: ({ request }) => new Request(request, { headers: { ...Object.fromEntries(request.headers), authorization: "Bearer rebuilt" } }),
  });
  await genesys.DELETE("/api/v2/tokens/me");
  expect(sent.map((request) => request.headers.get("Authorization"))).toEqual(["Bearer rebuilt"]);
});

test("without such a middleware the request is not sent and the error names the option", async () => {
  const { sent, fetch } = recordRequests();
  const failure = await createClient({ fetch })
    .GET("/api/v2/tokens/me")
    .catch((error: unknown) => error);
  expect(failure).toMatchObject({ name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL" });
  expect((failure as Error).message).toContain("auth.accessToken");
  expect(sent).toHaveLength(0);
});

test("a middleware that sets nothing does not satisfy the check", async () => {
  const { sent, fetch } = recordRequests();
  const genesys = createClient({ fetch });
  genesys.use({ onRequest: ({ request }) => request });
  await expect(genesys.POST("/oauth/token", { body: { grant_type: "client_credentials" } })).rejects.toThrow(/auth\.clientId \+ auth\.clientSecret/);
  expect(sent).toHaveLength(0);
});

test("configured credentials are applied before later middleware runs, and win over it", async () => {
  const { sent, fetch } = recordRequests();
  const seen: (string | null)[] = [];
  const genesys = createClient({ fetch, auth: { accessToken: "configured" } });
  genesys.use({ onRequest: ({ request }) => void seen.push(request.headers.get("Authorization")) }, setBearer("from-middleware"));
  await genesys.GET("/api/v2/tokens/timeout");
  expect(seen).toEqual(["Bearer configured"]);
  expect(sent[0]?.headers.get("Authorization")).toBe("Bearer configured");
});

test("a per-call fetch bypasses the client's fetch, so the request is checked before it", async () => {
  const { sent, fetch } = recordRequests();
  const genesys = createClient();
  await expect(genesys.GET("/api/v2/tokens/me", { fetch })).rejects.toMatchObject({ code: "ERR_MISSING_CREDENTIAL" });
  await genesys.GET("/api/v2/tokens/me", { fetch, headers: { Authorization: "Bearer per-call" } });
  expect(sent.map((request) => [request.headers.get("Authorization"), request.headers.has("x-tokenkit-operation")])).toEqual([["Bearer per-call", false]]);
});
