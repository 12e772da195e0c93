import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createTokenClient, TokenError, type SftpgoTokenClientOptions } from "../src/index.js";
import { credentialsFromEnv, credentialsFromProfile, defaultProfilePath, toEnvName } from "../src/credentials.js";

const dir = mkdtempSync(path.join(tmpdir(), "tokenkit-credentials-"));
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

function writeProfile(name: string, profiles: unknown, mode = 0o600): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof profiles === "string" ? profiles : JSON.stringify(profiles), { mode });
  chmodSync(file, mode);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<TokenError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TokenError);
  return error as TokenError;
}

function thrown(fn: () => unknown): TokenError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    return error as TokenError;
  }
  throw new Error("expected a TokenError");
}

describe("credentialsFromEnv", () => {
  it("names variables TOKENKIT_<VENDOR>_<FIELD> in SCREAMING_SNAKE_CASE", () => {
    expect(toEnvName("genesys", "clientSecret")).toBe("TOKENKIT_GENESYS_CLIENT_SECRET");
    expect(toEnvName("mindbody", "apiKey")).toBe("TOKENKIT_MINDBODY_API_KEY");
    expect(toEnvName("mindbody", "siteId")).toBe("TOKENKIT_MINDBODY_SITE_ID");
    expect(toEnvName("sftpgo", "baseUrl")).toBe("TOKENKIT_SFTPGO_BASE_URL");
    expect(toEnvName("genesys", "loginUrl")).toBe("TOKENKIT_GENESYS_LOGIN_URL");
  });

  it("returns credentials and vendor options that createTokenClient takes as they are", async () => {
    const { baseUrl, credentials } = sandbox.clientOptions("sftpgo");
    const options = credentialsFromEnv("sftpgo", { TOKENKIT_SFTPGO_BASE_URL: baseUrl, TOKENKIT_SFTPGO_USERNAME: credentials.username, TOKENKIT_SFTPGO_PASSWORD: credentials.password, TOKENKIT_SFTPGO_AUDIENCE: "admin" });
    expectTypeOf(options).toExtend<SftpgoTokenClientOptions>();
    expect(options).toEqual({ baseUrl, audience: "admin", credentials: { username: credentials.username, password: credentials.password } });
    const token = await createTokenClient("sftpgo", options).issue();
    expect(token.vendor).toBe("sftpgo");
  });

  it("converts typed options: integers, booleans, lists", () => {
    const vidispine = credentialsFromEnv("vidispine", { TOKENKIT_VIDISPINE_USERNAME: "u", TOKENKIT_VIDISPINE_PASSWORD: "p", TOKENKIT_VIDISPINE_SECONDS: "120", TOKENKIT_VIDISPINE_AUTO_REFRESH: "true" });
    expect(vidispine).toMatchObject({ seconds: 120, autoRefresh: true });
    const authapi = credentialsFromEnv("authapi", { TOKENKIT_AUTHAPI_CLIENT_ID: "id", TOKENKIT_AUTHAPI_CLIENT_SECRET: "s", TOKENKIT_AUTHAPI_SCOPES: "read write,admin" });
    expect(authapi.scopes).toEqual(["read", "write", "admin"]);
    const genesys = credentialsFromEnv("genesys", { TOKENKIT_GENESYS_CLIENT_ID: "id", TOKENKIT_GENESYS_CLIENT_SECRET: "s", TOKENKIT_GENESYS_REGION: "mypurecloud.de" });
    expect(genesys.region).toBe("mypurecloud.de");
    const bad = thrown(() => credentialsFromEnv("vidispine", { TOKENKIT_VIDISPINE_USERNAME: "u", TOKENKIT_VIDISPINE_PASSWORD: "p", TOKENKIT_VIDISPINE_SECONDS: "soon" }));
    expect(bad.message).toContain('TOKENKIT_VIDISPINE_SECONDS must be an integer; received "soon"');
  });

  it("names every missing variable, and never a secret's value", () => {
    const error = thrown(() => credentialsFromEnv("mindbody", { TOKENKIT_MINDBODY_USERNAME: "staff", TOKENKIT_MINDBODY_PASSWORD: "canary-mb-pass-99" }));
    expect(error.code).toBe("invalid_argument");
    expect(error.vendor).toBe("mindbody");
    expect(error.message).toContain("missing mindbody credentials: set TOKENKIT_MINDBODY_API_KEY, TOKENKIT_MINDBODY_SITE_ID");
    expect(error.message + inspect(error) + JSON.stringify(error)).not.toContain("canary-mb-pass-99");
    const blank = thrown(() => credentialsFromEnv("genesys", { TOKENKIT_GENESYS_CLIENT_ID: "id", TOKENKIT_GENESYS_CLIENT_SECRET: "   " }));
    expect(blank.message).toContain("TOKENKIT_GENESYS_CLIENT_SECRET must be a non-empty string; received an empty string");
    // @ts-expect-error: "acme" is not a vendor id
    expect(thrown(() => credentialsFromEnv("acme", {})).message).toContain('unknown vendor "acme"');
  });
});

describe("credentialsFromProfile", () => {
  it("reads a vendor from a named profile of the JSON file", async () => {
    const { baseUrl, loginUrl, credentials } = sandbox.clientOptions("genesys");
    const file = writeProfile("good", { default: {}, staging: { genesys: { baseUrl, loginUrl, ...credentials } } });
    const options = await credentialsFromProfile("genesys", "staging", file);
    expect(options).toEqual({ baseUrl, loginUrl, credentials });
    expect((await createTokenClient("genesys", options).issue()).vendor).toBe("genesys");
  });

  it("defaults to $XDG_CONFIG_HOME/tokenkit/credentials", () => {
    expect(defaultProfilePath({ XDG_CONFIG_HOME: "/x/config" })).toBe(path.join("/x/config", "tokenkit", "credentials"));
    expect(defaultProfilePath({})).toMatch(/\.config[/\\]tokenkit[/\\]credentials$/);
  });

  it.skipIf(process.platform === "win32")("refuses a file the group or others can read, naming the fix", async () => {
    const file = writeProfile("open", { default: { sftpgo: { username: "u", password: "canary-open-file-pw" } } }, 0o640);
    const error = await rejection(credentialsFromProfile("sftpgo", "default", file));
    expect(error.message).toContain(`permissions 0640 for ${file} are too open: it holds secrets and must not be readable by others. Run: chmod 600 ${file}`);
    expect(error.message).not.toContain("canary-open-file-pw");
  });

  it("names a missing key, vendor, profile or file", async () => {
    const file = writeProfile("partial", { default: { sftpgo: { username: "u" } } });
    expect((await rejection(credentialsFromProfile("sftpgo", "default", file))).message).toContain(`set "default.sftpgo.password" in ${file}`);
    expect((await rejection(credentialsFromProfile("genesys", "default", file))).message).toContain(`profile "default" in ${file} has no "genesys" entry`);
    expect((await rejection(credentialsFromProfile("sftpgo", "prod", file))).message).toContain(`no profile "prod" in ${file}; it has "default"`);
    const missing = path.join(dir, "nope");
    expect((await rejection(credentialsFromProfile("sftpgo", "default", missing))).message).toContain(`no profile file at ${missing}`);
    const typo = writeProfile("typo", { default: { sftpgo: { username: "u", pasword: "p" } } });
    expect((await rejection(credentialsFromProfile("sftpgo", "default", typo))).message).toContain('unknown key "default.sftpgo.pasword"');
  });

  it("reports a file that is not JSON by position, without quoting it", async () => {
    const file = writeProfile("broken", '{ "default": { "sftpgo": { "password": canary-unquoted } } }');
    const error = await rejection(credentialsFromProfile("sftpgo", "default", file));
    expect(error.message).toContain(`the profile file ${file} is not valid JSON`);
    expect(error.message).not.toContain("canary-unquoted");
  });

  it("lives in the tokenkit/credentials subpath: the browser-safe main entry does not export it", async () => {
    const main = await import("../src/index.js");
    expect("credentialsFromProfile" in main).toBe(false);
  });
});
