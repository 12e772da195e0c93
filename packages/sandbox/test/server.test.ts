import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VENDOR_IDS, type Sandbox } from "../src/index.js";
import { basic, call, jsonInit, startTestSandbox } from "./helpers.js";

describe("sandbox server", () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(() => sandbox.close());

  it("listens on loopback with one path prefix per vendor", () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.baseUrls).toEqual({
      mindbody: `${sandbox.url}/mindbody`,
      vidispine: `${sandbox.url}/vidispine`,
      sftpgo: `${sandbox.url}/sftpgo`,
      genesys: `${sandbox.url}/genesys`,
      authapi: `${sandbox.url}/authapi/v1`,
    });
    expect(sandbox.genesysLoginUrl).toBe(`${sandbox.url}/genesys-login`);
  });

  it("gives every vendor's client options in the facade's shape", () => {
    expect(sandbox.clientOptions("mindbody")).toEqual({
      baseUrl: sandbox.baseUrls.mindbody,
      credentials: { apiKey: expect.any(String), siteId: "-99", username: expect.any(String), password: expect.any(String) },
    });
    expect(sandbox.clientOptions("genesys")).toEqual({
      baseUrl: sandbox.baseUrls.genesys,
      loginUrl: sandbox.genesysLoginUrl,
      credentials: { clientId: expect.any(String), clientSecret: expect.any(String) },
    });
    for (const vendor of VENDOR_IDS) expect(sandbox.clientOptions(vendor).credentials).toEqual(sandbox.credentials[vendor]);
    const copy = sandbox.clientOptions("authapi");
    (copy.credentials as { clientSecret: string }).clientSecret = "changed";
    expect(sandbox.credentials.authapi.clientSecret).not.toBe("changed");
    expect(() => sandbox.clientOptions("nope" as "mindbody")).toThrow(TypeError);
  });

  it("lists the vendors at the root and answers 404 elsewhere", async () => {
    const root = await call(`${sandbox.url}/`);
    expect(root.status).toBe(200);
    expect(root.body.vendors).toEqual(sandbox.baseUrls);
    expect((await call(`${sandbox.url}/nope`)).status).toBe(404);
    expect((await call(`${sandbox.url}/mindbodyx/public/v6/usertoken/issue`)).status).toBe(404);
  });

  it("answers unknown paths and methods in each vendor's error shape", async () => {
    const sftpgo = await call(`${sandbox.baseUrls.sftpgo}/api/v2/nothing`);
    expect(sftpgo.status).toBe(404);
    expect(sftpgo.body).toMatchObject({ message: "Not Found" });
    const genesys = await call(`${sandbox.baseUrls.genesys}/api/v2/tokens/me`, { method: "PATCH" });
    expect(genesys.status).toBe(405);
    expect(genesys.body).toMatchObject({ status: 405, code: expect.any(String), message: expect.any(String) });
    const authapi = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`);
    expect(authapi.status).toBe(405);
    expect(authapi.body).toMatchObject({ code: "method_not_allowed" });
    const mindbody = await call(`${sandbox.baseUrls.mindbody}/public/v6/usertoken/nothing`);
    expect(mindbody.body.Error).toMatchObject({ Code: "NotFound" });
    const vidispine = await call(`${sandbox.baseUrls.vidispine}/API/nothing`);
    expect(vidispine.status).toBe(404);
    expect(vidispine.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("names a missing required header, an unknown query parameter and a wrong field type", async () => {
    const headers = { "API-Key": sandbox.credentials.mindbody.apiKey };
    const missingHeader = await call(`${sandbox.baseUrls.mindbody}/public/v6/usertoken/issue`, jsonInit("POST", {}, headers));
    expect(missingHeader.body.Error.Message).toBe('Missing required header "siteId"');
    const unknownQuery = await call(`${sandbox.baseUrls.vidispine}/API/token?secs=5`, { headers: { Authorization: basic("demo", "demo-pass") } });
    expect(unknownQuery.status).toBe(400);
    expect(unknownQuery.text).toBe('Unknown query parameter "secs"');
    const sftpgo = await call(`${sandbox.baseUrls.sftpgo}/api/v2/nothing`, { method: "POST" });
    expect(sftpgo.status).toBe(404);
  });

  it("reports malformed JSON without quoting the body", async () => {
    const reply = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Client-Id": sandbox.credentials.authapi.clientId },
      body: '{"client_secret":"hunter2-secret",',
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ code: "invalid_request", message: "The request body is not valid JSON" });
    expect(reply.text).not.toContain("hunter2");
  });

  it("refuses a body of a media type the spec does not declare (415) and oversized bodies (413)", async () => {
    const wrongType = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, {
      method: "POST",
      headers: { "content-type": "text/plain", "X-Client-Id": sandbox.credentials.authapi.clientId },
      body: "grant_type=client_credentials",
    });
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.message).toContain("application/json");
    const huge = await call(`${sandbox.baseUrls.authapi}/auth/tokens/long`, jsonInit("POST", { padding: "x".repeat(1_100_000) }));
    expect(huge.status).toBe(413);
  });

  it("counts requests per vendor and operation", async () => {
    sandbox.resetRequestCounts();
    const { username, password } = sandbox.credentials.sftpgo;
    await call(`${sandbox.baseUrls.sftpgo}/api/v2/token`, { headers: { Authorization: basic(username, password) } });
    await call(`${sandbox.baseUrls.sftpgo}/api/v2/token`, { headers: { Authorization: basic(username, password) } });
    await call(`${sandbox.baseUrls.sftpgo}/api/v2/user/token`, { headers: { Authorization: basic(username, password) } });
    await call(`${sandbox.baseUrls.sftpgo}/api/v2/elsewhere`);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(2);
    expect(sandbox.requestCount("sftpgo", "getUserToken")).toBe(1);
    expect(sandbox.requestCount("sftpgo")).toBe(4);
    expect(sandbox.requestCount("genesys")).toBe(0);
    expect(sandbox.stats().requests.sftpgo).toEqual({ getToken: 2, getUserToken: 1, "(unmatched)": 1 });
  });

  it("closes cleanly, twice", async () => {
    const other = await startTestSandbox();
    await fetch(`${other.url}/`);
    await other.close();
    await other.close();
    await expect(fetch(`${other.url}/`)).rejects.toThrow();
  });

  it("rejects a busy port", async () => {
    const port = Number(new URL(sandbox.url).port);
    await expect(startTestSandbox({ port })).rejects.toThrow(/EADDRINUSE/);
  });
});
