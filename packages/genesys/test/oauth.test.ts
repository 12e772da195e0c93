// OAuth client authentication on POST /oauth/token, per RFC 6749 §2.3.1, over real HTTP.
import { useServer } from "@tokenkit/testkit/server";
import { thrown } from "@tokenkit/testkit/options";
import { beforeEach, describe, expect, test } from "vitest";
import { createClient } from "../src/index.js";

const login = useServer();
beforeEach(() => {
  login.received.length = 0;
  login.respond({ json: { access_token: "t", token_type: "bearer", expires_in: 60 } });
});
const body = { grant_type: "client_credentials" as const };

/** The id and secret a Basic header carries, as the server would split them (at the first colon) and form-decode them. */
function readBasic(authorization: string | undefined): [string, string] {
  const pair = Buffer.from((authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
  const colon = pair.indexOf(":");
  const decode = (part: string) => decodeURIComponent(part.replace(/\+/g, " "));
  return [decode(pair.slice(0, colon)), decode(pair.slice(colon + 1))];
}

// Reserved characters in ids and secrets: each of these broke the raw `id:secret` Basic header.
const clients: [string, string][] = [
  ["plain-client", "abc+def/ghi="],
  ["percent", "100%sure"],
  ["urn:tk:colon", "s:e:c:r:e:t"],
  ["spaced id", "a secret with spaces & ampersands"],
  ["ünïcode", "pässwörd€"],
  ["tilde~star*!'()", "quote\"back\\slash"],
];

describe("client_secret_basic (the default)", () => {
  test.each(clients)("id %j: Basic of the form-urlencoded id and secret, which a server decodes back", async (clientId, clientSecret) => {
    const { response } = await createClient({ loginUrl: login.url, auth: { clientId, clientSecret } }).POST("/oauth/token", { body });
    expect(response.status).toBe(200);
    const [request] = login.received;
    expect(request?.body).toBe("grant_type=client_credentials");
    expect(readBasic(request?.headers.authorization)).toEqual([clientId, clientSecret]);
    // The one colon left is the separator: an encoded id cannot be split in the wrong place.
    expect(Buffer.from(request!.headers.authorization!.slice(6), "base64").toString().split(":")).toHaveLength(2);
  });

  test("the exact header for `urn:tk:colon` / `abc+def/ghi=`", async () => {
    await createClient({ loginUrl: login.url, auth: { clientId: "urn:tk:colon", clientSecret: "abc+def/ghi=" } }).POST("/oauth/token", { body });
    expect(login.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from("urn%3Atk%3Acolon:abc%2Bdef%2Fghi%3D").toString("base64")}`);
  });

  test("secret sources are read per request and encoded the same way", async () => {
    let rotation = 0;
    const client = createClient({ clientAuthentication: "client_secret_basic", loginUrl: login.url, auth: { clientId: () => "urn:tk:colon", clientSecret: async () => `100%sure-${++rotation}` } });
    await client.POST("/oauth/token", { body });
    await client.POST("/oauth/token", { body });
    expect(login.received.map((request) => readBasic(request.headers.authorization))).toEqual([
      ["urn:tk:colon", "100%sure-1"],
      ["urn:tk:colon", "100%sure-2"],
    ]);
  });

  test("/api/v2 calls keep their Bearer token as it is", async () => {
    await createClient({ baseUrl: login.url, auth: { accessToken: "a+b/c=", clientId: "c", clientSecret: "s" } }).GET("/api/v2/tokens/me");
    expect(login.received[0]?.headers.authorization).toBe("Bearer a+b/c=");
  });
});

describe("client_secret_post", () => {
  test.each(clients)("id %j: client_id and client_secret in the form body, no Authorization header", async (clientId, clientSecret) => {
    const client = createClient({ clientAuthentication: "client_secret_post", loginUrl: login.url, auth: { clientId, clientSecret } });
    const { response } = await client.POST("/oauth/token", { body });
    expect(response.status).toBe(200);
    const [request] = login.received;
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
  });

  test("reads secret sources per request", async () => {
    let rotation = 0;
    const client = createClient({ clientAuthentication: "client_secret_post", loginUrl: login.url, auth: { clientId: "c", clientSecret: () => Promise.resolve(`s-${++rotation}`) } });
    await client.POST("/oauth/token", { body });
    await client.POST("/oauth/token", { body });
    expect(login.received.map((request) => new URLSearchParams(request.body).get("client_secret"))).toEqual(["s-1", "s-2"]);
  });

  test("is not sent without clientId and clientSecret (or with a source that yields nothing), and names them", async () => {
    for (const auth of [{ clientId: "c" }, { clientSecret: "s" }, { clientId: "c", clientSecret: () => "" }]) {
      const failure = await createClient({ clientAuthentication: "client_secret_post", loginUrl: login.url, auth })
        .POST("/oauth/token", { body })
        .catch((error: unknown) => error);
      expect(failure).toMatchObject({ name: "MissingCredentialError", code: "ERR_MISSING_CREDENTIAL" });
      expect((failure as Error).message).toBe("@tokenkit/genesys: POST /oauth/token needs auth.clientId + auth.clientSecret, which is not configured; the request was not sent");
    }
    expect(login.received).toHaveLength(0);
  });

  test("a secret source that throws stops the request", async () => {
    const client = createClient({ clientAuthentication: "client_secret_post", loginUrl: login.url, auth: { clientId: "c", clientSecret: () => Promise.reject(new Error("vault sealed")) } });
    await expect(client.POST("/oauth/token", { body })).rejects.toThrow("vault sealed");
    expect(login.received).toHaveLength(0);
  });

  test("other operations are untouched: Bearer on /api/v2, no client in their bodies", async () => {
    const client = createClient({ clientAuthentication: "client_secret_post", baseUrl: login.url, auth: { accessToken: "at", clientId: "c", clientSecret: "s" } });
    await client.PUT("/api/v2/tokens/timeout", { body: { idleTokenTimeoutSeconds: 1800 } });
    expect(login.received[0]?.headers.authorization).toBe("Bearer at");
    expect(JSON.parse(login.received[0]?.body ?? "")).toEqual({ idleTokenTimeoutSeconds: 1800 });
  });
});

test.each([["client_secret_jwt"], ["basic"], [""], [1]])("clientAuthentication %j is refused, naming the option", (value) => {
  const error = thrown(() => createClient({ clientAuthentication: value as never }));
  expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option: "clientAuthentication" });
  expect(error.message).toContain('must be "client_secret_basic" or "client_secret_post"');
});
