import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, createHome, runCli, vendorEnv, VENDORS, type Vendor } from "./helpers.js";

const CAPABILITIES: Record<Vendor, { renew: boolean; revoke: boolean; introspect: boolean }> = {
  mindbody: { renew: true, revoke: true, introspect: false },
  vidispine: { renew: false, revoke: false, introspect: false },
  sftpgo: { renew: false, revoke: true, introspect: true },
  genesys: { renew: false, revoke: true, introspect: true },
  authapi: { renew: true, revoke: true, introspect: false },
};
const TOKEN_FIELDS = ["vendor", "tokenType", "expiresAt", "tokenId", "scope", "accessToken", "source"];

let sandbox: Sandbox;
const home = createHome();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  home.remove();
});

const envOf = (vendor: Vendor, extra: Record<string, string> = {}) => ({ ...home.env, ...vendorEnv(sandbox, vendor), ...extra });

describe.each(VENDORS)("tokenkit against the sandbox: %s", (vendor) => {
  const can = CAPABILITIES[vendor];
  let token = "";

  it("issue prints a table with the token redacted, caches it, and exits 0", async () => {
    const { code, stdout, stderr } = await runCli(["issue", vendor], envOf(vendor));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`issued a ${vendor} token`);
    expect(stdout).toMatch(new RegExp(`^\\| vendor +\\| ${vendor} +\\|$`, "m"));
    expect(stdout).toMatch(/^\| access token +\| \[redacted\]/m);
    for (const line of stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("issue --json has the stable fields, the token redacted; --show-token reveals it", async () => {
    const hidden = await runCli(["issue", vendor, "--json"], envOf(vendor));
    expect(hidden.code).toBe(0);
    const json = JSON.parse(hidden.stdout) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(TOKEN_FIELDS);
    expect(json).toMatchObject({ vendor, accessToken: "[redacted]", source: "vendor" });
    expect(typeof json.tokenType).toBe("string");
    if (json.expiresAt !== null) expect(Date.parse(json.expiresAt as string)).toBeGreaterThan(Date.now());

    const shown = await runCli(["issue", vendor, "--json", "--show-token"], envOf(vendor));
    expect(shown.code).toBe(0);
    token = (JSON.parse(shown.stdout) as { accessToken: string }).accessToken;
    expect(token).not.toBe("[redacted]");
    expect(token.length).toBeGreaterThan(8);
  });

  it("token prints only the access token, from the cache (no vendor call)", async () => {
    const before = sandbox.requestCount(vendor);
    const { code, stdout, stderr } = await runCli(["token", vendor], envOf(vendor));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(`${token}\n`);
    expect(sandbox.requestCount(vendor)).toBe(before);
  });

  it(`introspect ${can.introspect ? "describes the cached token" : "exits 7 (unsupported)"}`, async () => {
    const { code, stdout, stderr } = await runCli(["introspect", vendor, "--json"], envOf(vendor));
    if (!can.introspect) {
      expect(code).toBe(7);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^tokenkit: unsupported: /);
      expect(stderr).toContain("next: `tokenkit vendors`");
      return;
    }
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { vendor: string; introspection: Record<string, unknown> };
    expect(json.vendor).toBe(vendor);
    expect(Object.keys(json.introspection).length).toBeGreaterThan(0);
    expect(stdout).not.toContain(token);
  });

  it(`renew ${can.renew ? "replaces the cached token with a renewed one" : "exits 7 (unsupported)"}`, async () => {
    const { code, stdout, stderr } = await runCli(["renew", vendor, "--json", "--show-token"], envOf(vendor));
    if (!can.renew) {
      expect(code).toBe(7);
      expect(stderr).toMatch(/^tokenkit: unsupported: /);
      return;
    }
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const renewed = JSON.parse(stdout) as { accessToken: string; source: string };
    expect(renewed.source).toBe("vendor");
    const cached = await runCli(["token", vendor], envOf(vendor));
    expect(cached.stdout).toBe(`${renewed.accessToken}\n`);
    token = renewed.accessToken;
  });

  it(`revoke ${can.revoke ? "revokes the cached token and forgets it" : "exits 7 (unsupported)"}`, async () => {
    const { code, stdout, stderr } = await runCli(["revoke", vendor, "--json"], envOf(vendor));
    if (!can.revoke) {
      expect(code).toBe(7);
      expect(stderr).toMatch(/^tokenkit: unsupported: /);
      return;
    }
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ vendor, revoked: true });
    const again = await runCli(["revoke", vendor], envOf(vendor));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no cached ${vendor} token for this credential`);
    expect(again.stderr).toContain(`next: run \`tokenkit issue ${vendor}\``);
    // The next `token` issues a new one instead of serving the revoked token.
    const fresh = await runCli(["token", vendor], envOf(vendor));
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).not.toBe(`${token}\n`);
  });

  it("a wrong secret exits 3 with the TokenError code and what to do next, and never echoes the secret", async () => {
    const secretKey = vendor === "genesys" || vendor === "authapi" ? "CLIENT_SECRET" : "PASSWORD";
    const canary = "canary-Wr0ng-s3cret-7f3a";
    const { code, stdout, stderr } = await runCli(["issue", vendor], envOf(vendor, { [`TOKENKIT_${vendor.toUpperCase()}_${secretKey}`]: canary }));
    expect(code).toBe(3);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^tokenkit: (unauthorized|forbidden): /);
    expect(stderr).toContain(`next: check the ${vendor} credentials`);
    expect(stderr).not.toContain(canary);
  });
});

describe("tokenkit usage and failures", () => {
  it("names the missing variables and exits 2 when credentials are missing (no terminal to prompt on)", async () => {
    const { code, stderr } = await runCli(["token", "sftpgo"], { ...home.env, TOKENKIT_SFTPGO_BASE_URL: sandbox.baseUrls.sftpgo });
    expect(code).toBe(2);
    expect(stderr).toContain("tokenkit: invalid_argument: ");
    expect(stderr).toContain("TOKENKIT_SFTPGO_USERNAME, TOKENKIT_SFTPGO_PASSWORD");
  });

  it("refuses an unknown vendor, command or option with exit 2", async () => {
    for (const args of [["issue", "acme"], ["frobnicate"], ["issue", "sftpgo", "--password", "x"], ["vendors", "extra"]]) {
      const { code, stderr } = await runCli(args, home.env);
      expect(code, args.join(" ")).toBe(2);
      expect(stderr, args.join(" ")).toMatch(/^tokenkit: /);
    }
  });

  it("has --help for every command, documenting the shared flags; help runs nothing", async () => {
    const top = await runCli(["--help"], home.env);
    expect(top.code).toBe(0);
    for (const command of ["issue", "renew", "revoke", "introspect", "token", "vendors", "sandbox", "cache"]) expect(top.stdout).toContain(command);
    expect(top.stdout).toContain("Exit codes:");
    for (const command of ["issue", "renew", "revoke", "introspect", "token"]) {
      const { code, stdout } = await runCli([command, "--help"], home.env);
      expect(code).toBe(0);
      for (const flag of ["--profile <name>", "--json", "--verbose", "--password-stdin"]) expect(stdout, `${command} ${flag}`).toContain(flag);
      if (command !== "token") expect(stdout).toContain("--show-token");
    }
    for (const command of [["vendors"], ["sandbox"], ["cache", "clear"]]) {
      const { code, stdout } = await runCli([...command, "--help"], home.env);
      expect(code).toBe(0);
      expect(stdout).toContain("--json");
    }
  });

  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    const { code, stdout } = await runCli(["--version"], home.env);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it("vendors lists the capabilities (table within 80 columns, and --json)", async () => {
    const table = await runCli(["vendors"], home.env);
    expect(table.code).toBe(0);
    for (const line of table.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
    expect(table.stdout).toMatch(/^\| sftpgo +\| – +\| yes +\| yes +\|/m);
    const json = JSON.parse((await runCli(["vendors", "--json"], home.env)).stdout) as { vendor: string; capabilities: Record<string, boolean>; settings: { env: string }[] }[];
    expect(json.map((row) => row.vendor)).toEqual([...VENDORS]);
    for (const row of json) expect(row.capabilities).toEqual({ issue: true, ...CAPABILITIES[row.vendor as Vendor] });
    expect(json.find((row) => row.vendor === "genesys")?.settings.map((s) => s.env)).toContain("TOKENKIT_GENESYS_LOGIN_URL");
  });

  it("maps failures to the design's exit codes: rate_limited 4, network_error 5, server_error 6, invalid_response 6", async () => {
    const limited = sandbox.injectFault({ vendor: "authapi", operation: "issue", fault: { kind: "status", status: 429, retryAfter: 7 } });
    const rate = await runCli(["issue", "authapi"], envOf("authapi"));
    limited.remove();
    expect(rate.code).toBe(4);
    expect(rate.stderr).toMatch(/^tokenkit: rate_limited: /);

    const down = await runCli(["issue", "sftpgo"], envOf("sftpgo", { TOKENKIT_SFTPGO_BASE_URL: "http://127.0.0.1:9/api" }));
    expect(down.code).toBe(5);
    expect(down.stderr).toMatch(/^tokenkit: network_error: /);
    expect(down.stderr).toContain("TOKENKIT_SFTPGO_BASE_URL");

    const failing = sandbox.injectFault({ vendor: "vidispine", operation: "issue", fault: { kind: "status", status: 503 } });
    const server = await runCli(["issue", "vidispine"], envOf("vidispine"));
    failing.remove();
    expect(server.code).toBe(6);
    expect(server.stderr).toMatch(/^tokenkit: server_error: /);

    const broken = sandbox.injectFault({ vendor: "genesys", operation: "issue", fault: { kind: "malformed" } });
    const invalid = await runCli(["issue", "genesys"], envOf("genesys"));
    broken.remove();
    expect(invalid.code).toBe(6);
    expect(invalid.stderr).toMatch(/^tokenkit: invalid_response: /);
  });

  it("--verbose prints each request, response and issue to stderr: origin and path, never the token", async () => {
    const { code, stdout, stderr } = await runCli(["issue", "sftpgo", "--verbose", "--json", "--show-token"], envOf("sftpgo"));
    expect(code).toBe(0);
    const origin = new URL(sandbox.baseUrls.sftpgo).origin;
    expect(stderr).toContain(`tokenkit: sftpgo issue: → GET ${origin}/sftpgo/api/v2/token (attempt 1)\n`);
    expect(stderr).toMatch(new RegExp(`tokenkit: sftpgo issue: ← 200 GET ${origin}/sftpgo/api/v2/token in \\d+ ms\n`));
    expect(stderr).toContain("tokenkit: sftpgo issue: issued a token (expires ");
    const { accessToken } = JSON.parse(stdout) as { accessToken: string };
    expect(stderr).not.toContain(accessToken);
    expect(stderr).not.toContain(envOf("sftpgo").TOKENKIT_SFTPGO_PASSWORD);
  });

  it("--verbose prints the source's cache events to stderr, never the token", async () => {
    const warm = await runCli(["token", "genesys"], envOf("genesys"));
    expect(warm.code).toBe(0);
    const cached = await runCli(["token", "genesys", "--verbose"], envOf("genesys"));
    expect(cached.code).toBe(0);
    expect(cached.stdout).toBe(warm.stdout);
    expect(cached.stderr).toMatch(/^tokenkit: genesys createTokenSource: served the cached token from the disk cache \(expires [\d-]+T[\d:.]+Z\)\n$/);
    expect(cached.stderr).not.toContain(cached.stdout.trim());
  });

  it("cache clear removes every cached token", async () => {
    await runCli(["issue", "sftpgo"], envOf("sftpgo"));
    const { code, stdout } = await runCli(["cache", "clear", "--json"], home.env);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { removed: number }).removed).toBeGreaterThan(0);
    const after = await runCli(["introspect", "sftpgo"], envOf("sftpgo"));
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("no cached sftpgo token");
  });
});

describe("tokenkit sandbox", () => {
  it("prints the export lines that point the other commands at it, serves them, and stops on SIGTERM", async () => {
    const child = spawn(process.execPath, [BIN, "sandbox"], { env: home.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
          if (stderr.includes("Press Ctrl-C to stop.") || stdout.includes("TOKENKIT_AUTHAPI_CLIENT_SECRET=")) resolve();
        });
        child.on("close", () => reject(new Error(`sandbox exited early: ${stderr}`)));
      });
      const lines = stdout.trim().split("\n");
      for (const line of lines) expect(line).toMatch(/^export TOKENKIT_[A-Z_]+=\S+$/);
      const env: Record<string, string> = {};
      for (const line of lines) {
        const [, name, value] = /^export (\w+)=(.*)$/.exec(line)!;
        env[name!] = value!.replace(/^'(.*)'$/, "$1");
      }
      expect(Object.keys(env)).toEqual(expect.arrayContaining(["TOKENKIT_SFTPGO_BASE_URL", "TOKENKIT_GENESYS_LOGIN_URL", "TOKENKIT_MINDBODY_API_KEY", "TOKENKIT_AUTHAPI_CLIENT_SECRET"]));
      for (const vendor of VENDORS) {
        const { code, stdout: token } = await runCli(["token", vendor], { ...home.env, ...env });
        expect(code, vendor).toBe(0);
        expect(token.trim().length, vendor).toBeGreaterThan(8);
      }
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/^tokenkit sandbox listening on http:\/\/127\.0\.0\.1:\d+ /);
    expect(stderr).toContain("SIGTERM received: sandbox stopped");
  });
});
