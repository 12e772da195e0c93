import { createRequire } from "node:module";
import { createServer } from "node:net";
import { createClient as createVidispineClient } from "@tokenkit/vidispine";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTokenClient, type VendorId } from "../src/index.js";
import { rejection, startServer } from "./helpers.js";

// Response bodies are read at most maxResponseBytes (64 KiB by default), as a stream, and an error
// keeps a bounded excerpt, never the body; network errors and timeouts say where and why.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.clearFaults();
});

const VENDORS: readonly VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];


describe("bounded bodies", () => {
  for (const vendor of VENDORS) {
    it(`${vendor}: a 10 MB answer → invalid_response, not buffered`, async () => {
      sandbox.injectFault({ vendor, operation: "issue", fault: { kind: "oversized", bytes: 10_000_000 } });
      const error = await rejection(createTokenClient(vendor, { ...sandbox.clientOptions(vendor), retry: false } as never).issue());
      expect(error).toMatchObject({ code: "invalid_response", retryable: false });
      expect(error.message).toContain("is larger than 65536 bytes; reading stopped there");
      expect(error.message.length).toBeLessThan(400);
    });
  }

  it("a chunked 10 MB error page (no Content-Length) is cut off at the limit and the error keeps none of it", async () => {
    let sent = 0;
    const server = await startServer((_req, res) => {
      res.writeHead(500, { "Content-Type": "text/html" });
      const chunk = `<p>${"x".repeat(16_000)}</p>`;
      const write = () => {
        while (sent < 10_000_000) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", write);
        }
        res.end();
      };
      write();
    });
    try {
      const client = createTokenClient("sftpgo", { baseUrl: server.url, credentials: { username: "u", password: "p" }, retry: false });
      const error = await rejection(client.issue());
      expect(error).toMatchObject({ code: "invalid_response", status: 500 });
      expect(error.message).toContain("(500) is larger than 65536 bytes");
      // Stopped reading: the server did not get to send its 10 MB.
      expect(sent).toBeLessThan(10_000_000);
      expect(JSON.stringify(error).length).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });

  it("maxResponseBytes is configurable, and checked", async () => {
    sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "oversized", bytes: 100_000 } });
    await expect(createTokenClient("sftpgo", { ...sandbox.clientOptions("sftpgo"), maxResponseBytes: 200_000 }).issue()).resolves.toMatchObject({ vendor: "sftpgo" });
    expect(() => createTokenClient("sftpgo", { ...sandbox.clientOptions("sftpgo"), maxResponseBytes: 0 })).toThrow(/option "maxResponseBytes" must be an integer from 1 to/);
  });

  it("@tokenkit/vidispine alone: an oversized answer → RequestError ERR_RESPONSE_TOO_LARGE", async () => {
    sandbox.injectFault({ vendor: "vidispine", operation: "issue", fault: { kind: "oversized", bytes: 1_000_000 } });
    const { username, password } = sandbox.credentials.vidispine;
    const vidispine = createVidispineClient({ baseUrl: sandbox.baseUrls.vidispine, auth: { username, password } });
    await expect(vidispine.GET("/API/token")).rejects.toMatchObject({ code: "ERR_RESPONSE_TOO_LARGE", status: 200, path: "/vidispine/API/token" });
  });
});

describe("messages that say where", () => {
  it("a refused connection names the origin and path, the reason, the attempts and the time", async () => {
    const closed = await startServer(() => {});
    await closed.close();
    const client = createTokenClient("sftpgo", { baseUrl: closed.url, credentials: { username: "u", password: "p" }, retry: { retries: 1, baseDelayMs: 1 } });
    const error = await rejection(client.issue());
    expect(error).toMatchObject({ code: "network_error", retryable: true });
    expect(error.message).toMatch(
      new RegExp(`^sftpgo issue: expected 200 with a Token body, but GET ${closed.url.replace(/\./g, "\\.")}/api/v2/token failed: connection refused \\(ECONNREFUSED\\) \\(attempt 2 of 2, \\d+\\.\\d s in all\\)$`),
    );
  });

  it("a Genesys region typo names the derived login host", async () => {
    const client = createTokenClient("genesys", { region: "mypurecloud.invalid", credentials: { clientId: "id", clientSecret: "secret-canary" }, retry: false });
    const error = await rejection(client.issue());
    expect(error.code).toBe("network_error");
    expect(error.message).toContain("POST https://login.mypurecloud.invalid/oauth/token failed:");
    expect(error.message).toMatch(/\((?:ENOTFOUND|EAI_AGAIN) login\.mypurecloud\.invalid\)/);
    expect(error.message).not.toContain("secret-canary");
  });

  it("a port fetch refuses (9, discard) says so", async () => {
    const client = createTokenClient("sftpgo", { baseUrl: "http://127.0.0.1:9", credentials: { username: "u", password: "p" }, retry: false });
    const error = await rejection(client.issue());
    expect(error.message).toContain("GET http://127.0.0.1:9/api/v2/token failed: the port is one fetch refuses to connect to (bad port)");
  });

  it("a connection dropped before any response says the connection closed", async () => {
    const server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    try {
      const client = createTokenClient("vidispine", { baseUrl: `http://127.0.0.1:${port}`, credentials: { username: "u", password: "p" }, retry: false });
      const error = await rejection(client.issue());
      expect(error.message).toMatch(new RegExp(`GET http://127\\.0\\.0\\.1:${port}/API/token failed: .*\\((?:UND_ERR_SOCKET|ECONNRESET)\\)`));
    } finally {
      server.close();
    }
  });
});

describe("TokenError.is", () => {
  it("recognises a TokenError from the CommonJS build in ESM code, and instanceof agrees", async () => {
    const require = createRequire(import.meta.url);
    const cjs = require("../dist/index.cjs") as typeof import("../src/index.js");
    // Loaded from dist at run time (a computed specifier): the typecheck runs before this package's build.
    const esm = (await import(new URL("../dist/index.js", import.meta.url).href)) as typeof import("../src/index.js");
    expect(cjs.TokenError).not.toBe(esm.TokenError);
    const error = await rejection(cjs.createTokenClient("sftpgo", { baseUrl: "http://127.0.0.1:9", credentials: { username: "u", password: "p" }, retry: false }).issue());
    expect(esm.TokenError.is(error)).toBe(true);
    expect(error instanceof esm.TokenError).toBe(true);
    expect(esm.TokenError.is(new Error("x"))).toBe(false);
    expect(esm.TokenError.is({ code: "timeout" })).toBe(false);
    expect(esm.TokenError.is(null)).toBe(false);
  });
});
