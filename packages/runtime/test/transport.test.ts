// How a request reaches fetch: the serialized body is sent as it is (no stream of it) only while the
// request is still the one openapi-fetch built with it; what a middleware replaced, or a body that is
// no plain value, goes as a Request. Either way the right bytes arrive, a 307 sends them again, and a
// signal shared by many calls gathers no listeners.
import { getEventListeners } from "node:events";
import { beforeEach, describe, expect, test } from "vitest";
import { useServer } from "@tokenkit/testkit/server";
import type { WireEvent } from "../src/index.js";
import { API_KEY, createTestClient } from "./fixture.js";

const api = useServer();
beforeEach(() => {
  api.received.length = 0;
  api.respond((request) => (request.path === "/r/start" ? { status: 307, headers: { Location: "/r/next" } } : { json: { ok: true } }));
});

const start = { params: { path: { step: "start" } } } as const;

describe("request bodies", () => {
  test("the serialized body arrives, and again after a 307", async () => {
    const { data } = await createTestClient(api.url).POST("/r/{step}", { ...start, body: { grant: "g", n: 1 } });
    expect(data).toEqual({ ok: true });
    expect(api.received.map(({ path, body }) => [path, body])).toEqual([
      ["/r/start", '{"grant":"g","n":1}'],
      ["/r/next", '{"grant":"g","n":1}'],
    ]);
    expect(api.received[1]!.headers["content-type"]).toBe("application/json");
  });

  test("a middleware's replacement request is what is sent (its body, not the serialized one), also after a 307", async () => {
    const client = createTestClient(api.url);
    client.use({
      async onRequest({ request }) {
        const body = JSON.stringify({ ...(await request.json()), added: "by-middleware" });
        return new Request(request, { body, headers: { "Content-Type": "application/json", "X-Api-Key": API_KEY } });
      },
    });
    await client.POST("/r/{step}", { ...start, body: { grant: "g" } });
    expect(api.received.map(({ body }) => body)).toEqual(['{"grant":"g","added":"by-middleware"}', '{"grant":"g","added":"by-middleware"}']);
  });

  test("a FormData body goes as a Request: one boundary in the header and the body, again after a 307", async () => {
    const form = new FormData();
    form.set("field", "value-1");
    // The test API types JSON bodies; a FormData is what a multipart operation would pass.
    await createTestClient(api.url).POST("/r/{step}", { ...start, body: form as unknown as Record<string, unknown> });
    expect(api.received).toHaveLength(2);
    for (const { headers, body } of api.received) {
      const boundary = /boundary=(.+)$/.exec(String(headers["content-type"]))?.[1];
      expect(boundary).toBeTruthy();
      expect(body).toContain(`--${boundary}`);
      expect(body).toContain("value-1");
    }
  });

  test("a caller's bodySerializer is used (once per call) and its output is sent", async () => {
    let calls = 0;
    await createTestClient(api.url).POST("/r/{step}", {
      ...start,
      body: { a: 1 },
      bodySerializer: (body: unknown) => {
        calls++;
        return `custom:${JSON.stringify(body)}`;
      },
    });
    expect(calls).toBe(1);
    expect(api.received.map(({ body }) => body)).toEqual(['custom:{"a":1}', 'custom:{"a":1}']);
  });

  test("a caller's fetch gets a Request carrying the body, and the signal in its init", async () => {
    const seen: { body: string; signal: boolean; redirect: unknown }[] = [];
    const client = createTestClient(api.url, {
      timeoutMs: 5_000,
      fetch: async (input, init) => {
        seen.push({ body: await input.clone().text(), signal: init?.signal instanceof AbortSignal, redirect: init?.redirect });
        return fetch(input, init);
      },
    });
    await client.POST("/r/{step}", { ...start, body: { a: 2 } });
    expect(seen).toEqual([
      { body: '{"a":2}', signal: true, redirect: "manual" },
      { body: '{"a":2}', signal: true, redirect: "manual" },
    ]);
  });
});

describe("signals", () => {
  test("a signal shared by many calls has no listener left once they are over", async () => {
    const shared = new AbortController().signal;
    const client = createTestClient(api.url, { timeoutMs: 5_000 });
    for (let i = 0; i < 40; i++) await client.GET("/r/{step}", { params: { path: { step: "next" } }, signal: shared });
    await Promise.all(Array.from({ length: 8 }, () => client.POST("/r/{step}", { params: { path: { step: "next" } }, body: {}, signal: shared })));
    expect(getEventListeners(shared, "abort")).toHaveLength(0);
  });
});

describe("observe", () => {
  test("hears each hop as it goes out and its response, never a query", async () => {
    const events: WireEvent[] = [];
    const observe = (event: WireEvent) => events.push(event);
    const client = createTestClient(api.url);
    // A per-call option of the runtime's: openapi-fetch's types do not know it.
    await client.GET("/r/{step}", { ...start, params: { ...start.params, query: { secret: "q" } }, ...({ observe } as {}) });
    expect(events.map(({ ms: _ms, ...event }: WireEvent & { ms?: number }) => event)).toEqual([
      { type: "request", method: "GET", origin: api.url, path: "/r/start" },
      { type: "response", method: "GET", origin: api.url, path: "/r/start", status: 307 },
      { type: "request", method: "GET", origin: api.url, path: "/r/next" },
      { type: "response", method: "GET", origin: api.url, path: "/r/next", status: 200 },
    ]);
    expect(events.every((event) => event.type === "request" || event.ms >= 0)).toBe(true);
    expect(JSON.stringify(events)).not.toContain("secret");
  });
});
