import { createClient as createMindbodyClient } from "@tokenkit/mindbody";
import { createClient as createSftpgoClient } from "@tokenkit/sftpgo";
import { RequestError } from "@tokenkit/runtime";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTokenClient, type Token, type VendorId } from "../src/index.js";
import { rejection, startServer, type TestServer } from "./helpers.js";

// Credentials stay on their origin: a token endpoint that redirects to another origin gets nothing
// sent there, whatever the vendor, operation or redirect status; a same-origin redirect is followed.
let sandbox: Sandbox;
let recorder: TestServer;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  recorder = await startServer((_req, res) => res.writeHead(200, { "Content-Type": "application/json" }).end("{}"));
});
afterAll(async () => {
  await Promise.all([sandbox.close(), recorder.close()]);
});
afterEach(() => {
  sandbox.clearFaults();
  recorder.seen.length = 0;
});

type Operation = "issue" | "renew" | "revoke" | "introspect";
// The operations that go over HTTP with a credential (SFTPGo's introspect decodes locally).
const OPERATIONS: Record<VendorId, readonly Operation[]> = {
  mindbody: ["issue", "renew", "revoke"],
  vidispine: ["issue"],
  sftpgo: ["issue", "revoke"],
  genesys: ["issue", "revoke", "introspect"],
  authapi: ["issue", "renew", "revoke"],
};

function client(vendor: VendorId) {
  return createTokenClient(vendor, { ...sandbox.clientOptions(vendor), retry: false } as never) as unknown as Record<Operation, (token?: Token) => Promise<unknown>>;
}


describe("a redirect to another origin is refused, and nothing reaches that origin", () => {
  for (const [vendor, operations] of Object.entries(OPERATIONS) as [VendorId, readonly Operation[]][]) {
    for (const operation of operations) {
      for (const status of [302, 307, 308] as const) {
        it(`${vendor} ${operation}, ${status}`, async () => {
          const tokenClient = client(vendor);
          const token = operation === "issue" ? undefined : ((await tokenClient.issue()) as Token);
          sandbox.injectFault({ vendor, operation, fault: { kind: "redirect", status, location: `${recorder.url}/steal?code=secret-query`, preservePath: true } });
          const error = await rejection(tokenClient[operation](token));
          expect(error).toMatchObject({ code: "invalid_response", vendor, operation, status, retryable: false });
          expect(error.message).toContain(`to another origin, ${recorder.url}`);
          expect(error.message).not.toContain("secret-query");
          expect(error.message).not.toContain("/steal");
          expect(recorder.seen).toEqual([]);
        });
      }
    }
  }

  it("issue is not retried after a refused redirect (it would only be refused again)", async () => {
    const retrying = createTokenClient("sftpgo", { ...sandbox.clientOptions("sftpgo"), retry: { retries: 2, baseDelayMs: 1 } });
    sandbox.resetRequestCounts();
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "redirect", status: 302, location: `${recorder.url}/x` } });
    await rejection(retrying.issue());
    expect(sandbox.requestCount("sftpgo")).toBe(1);
    expect(recorder.seen).toEqual([]);
  });
});

describe("a same-origin redirect is followed", () => {
  for (const status of [307, 308] as const) {
    it(`genesys issue (a form POST with Basic auth), ${status}: the redirected request keeps its method, body and credentials`, async () => {
      const events: string[] = [];
      const genesys = createTokenClient("genesys", {
        ...sandbox.clientOptions("genesys"),
        onEvent: (event) => events.push(event.type === "response" ? `response ${event.status}` : event.type),
      });
      // Once, back to the same endpoint on the same origin.
      sandbox.injectFault({ vendor: "genesys", operation: "issue", times: 1, fault: { kind: "redirect", status, location: sandbox.genesysLoginUrl, preservePath: true } });
      await expect(genesys.issue()).resolves.toMatchObject({ vendor: "genesys", tokenType: "bearer" });
      expect(events).toEqual(["request", `response ${status}`, "request", "response 200", "issued"]);
    });
  }

  it("sftpgo issue (a GET), 302: followed", async () => {
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", times: 1, fault: { kind: "redirect", status: 302, location: sandbox.baseUrls.sftpgo, preservePath: true } });
    await expect(client("sftpgo").issue()).resolves.toMatchObject({ vendor: "sftpgo" });
  });

  it("more than five same-origin redirects → invalid_response", async () => {
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "redirect", status: 307, location: sandbox.baseUrls.sftpgo, preservePath: true } });
    const error = await rejection(client("sftpgo").issue());
    expect(error).toMatchObject({ code: "invalid_response" });
    expect(error.message).toContain("more than 5 redirects");
  });
});

describe("the vendor packages alone keep credentials on their origin", () => {
  it("@tokenkit/mindbody: API-Key, username and password never reach the redirect target (302 and 307)", async () => {
    for (const status of [302, 307] as const) {
      sandbox.injectFault({ vendor: "mindbody", operation: "issue", fault: { kind: "redirect", status, location: `${recorder.url}/steal` } });
      const { apiKey, siteId, username, password } = sandbox.credentials.mindbody;
      const mindbody = createMindbodyClient({ baseUrl: sandbox.baseUrls.mindbody, auth: { apiKey, siteId } });
      const error: unknown = await mindbody
        .POST("/public/v{version}/usertoken/issue", { params: { path: { version: "6" } }, body: { Username: username, Password: password } })
        .then(
          () => undefined,
          (reason: unknown) => reason,
        );
      expect(RequestError.is(error)).toBe(true);
      expect(error).toMatchObject({ code: "ERR_REDIRECT", status, redirectOrigin: recorder.url, name: "RequestError" });
      expect(recorder.seen).toEqual([]);
      sandbox.clearFaults();
    }
  });

  it("@tokenkit/sftpgo: the one-time code never reaches the redirect target", async () => {
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "redirect", status: 302, location: `${recorder.url}/steal` } });
    const { username, password } = sandbox.credentials.sftpgo;
    const sftpgo = createSftpgoClient({ baseUrl: sandbox.baseUrls.sftpgo, auth: { username, password, otp: "123456" } });
    await expect(sftpgo.GET("/api/v2/token")).rejects.toMatchObject({ code: "ERR_REDIRECT" });
    expect(recorder.seen).toEqual([]);
  });
});
