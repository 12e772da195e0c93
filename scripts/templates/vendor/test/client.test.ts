// The scaffolded operation over real HTTP against a loopback server: what goes on the wire and the
// typed data that comes back. Edit it with the spec: one test per operation, as the other vendors have.
import { afterAll, beforeAll, beforeEach, expect, expectTypeOf, test } from "vitest";
import { startServer, type LocalServer } from "@tokenkit/testkit/server";
import { createClient, type components } from "../src/index.js";

type Token = components["schemas"]["Token"];
const token: Token = { access_token: "eyJhbGciOiJIUzI1NiJ9.e30.signature" };

let server: LocalServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.received.length = 0;
  server.respond({ json: token });
});

test("GET /token sends HTTP Basic and types the token", async () => {
  const client = createClient({ baseUrl: server.url, auth: { username: "me", password: "secret" } });
  const { data, error, response } = await client.GET("/token");
  expect(response.status).toBe(200);
  expect(error).toBeUndefined();
  expect(data).toEqual(token);
  expectTypeOf(data).toEqualTypeOf<Token | undefined>();
  expect(server.received).toHaveLength(1);
  expect(server.received[0]).toMatchObject({ method: "GET", path: "/token", search: "", body: "" });
  expect(server.received[0]?.headers.authorization).toBe(`Basic ${Buffer.from("me:secret").toString("base64")}`);
});

test("GET /token without credentials sends nothing and names what is missing", async () => {
  const client = createClient({ baseUrl: server.url });
  await expect(client.GET("/token")).rejects.toThrow(/auth\.username \+ auth\.password/);
  expect(server.received).toHaveLength(0);
});

test("a 401 comes back as a typed error, not a throw", async () => {
  server.respond({ status: 401, json: { message: "wrong credentials" } });
  const client = createClient({ baseUrl: server.url, auth: { username: "me", password: "wrong" } });
  const { data, response } = await client.GET("/token");
  expect(response.status).toBe(401);
  expect(data).toBeUndefined();
});
