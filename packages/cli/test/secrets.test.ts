import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHome, runCli, vendorEnv, type RunResult } from "./helpers.js";

let sandbox: Sandbox;
const home = createHome();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  home.remove();
});

/** Runs the bin while sampling its /proc/<pid>/cmdline, with the vendor's issue slowed so there is time to look. */
async function runWatchingArgv(args: string[], env: Record<string, string>, input?: string): Promise<RunResult & { argvSeen: string[] }> {
  const argvSeen: string[] = [];
  const slow = sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "slow", delayMs: 800 } });
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await runCli(args, env, {
      input,
      onSpawn: (child) => {
        const sample = () => {
          try {
            argvSeen.push(readFileSync(`/proc/${child.pid}/cmdline`, "utf8").split("\0").join(" "));
          } catch {
            // The process has exited.
          }
        };
        sample();
        timer = setInterval(sample, 20);
      },
    });
    return { ...result, argvSeen };
  } finally {
    clearInterval(timer);
    slow.remove();
  }
}

describe.skipIf(process.platform !== "linux")("credentials never on the command line", () => {
  const password = "demo-pass";
  const base = () => ({ ...home.env, TOKENKIT_SFTPGO_BASE_URL: sandbox.baseUrls.sftpgo });

  it("from the environment: the token is issued and argv holds no secret", async () => {
    expect(vendorEnv(sandbox, "sftpgo").TOKENKIT_SFTPGO_PASSWORD).toBe(password);
    const result = await runWatchingArgv(["issue", "sftpgo", "--json"], { ...base(), TOKENKIT_SFTPGO_USERNAME: "demo", TOKENKIT_SFTPGO_PASSWORD: password });
    expect(result.code).toBe(0);
    expect(result.argvSeen.length).toBeGreaterThan(5);
    expect(result.argvSeen.join("\n")).toContain("issue sftpgo --json");
    expect(result.argvSeen.join("\n")).not.toContain(password);
  });

  it("from --password-stdin: the token is issued and argv holds no secret", async () => {
    const result = await runWatchingArgv(["issue", "sftpgo", "--password-stdin", "--json"], { ...base(), TOKENKIT_SFTPGO_USERNAME: "demo" }, `${password}\n`);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.argvSeen.length).toBeGreaterThan(5);
    expect(result.argvSeen.join("\n")).not.toContain(password);
  });

  it("--password-stdin with nothing on standard input is a usage error (exit 2)", async () => {
    const result = await runCli(["issue", "sftpgo", "--password-stdin"], { ...base(), TOKENKIT_SFTPGO_USERNAME: "demo" }, { input: "" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--password-stdin read nothing from standard input");
  });

  describe("from the profile file", () => {
    const file = path.join(home.env.XDG_CONFIG_HOME!, "tokenkit", "credentials");
    const write = (profiles: unknown, mode: number) => {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(profiles), { mode });
      chmodSync(file, mode);
    };

    it("reads the named profile (mode 0600) and argv holds no secret", async () => {
      write({ default: {}, staging: { sftpgo: { baseUrl: sandbox.baseUrls.sftpgo, username: "demo", password } } }, 0o600);
      const result = await runWatchingArgv(["issue", "sftpgo", "--profile", "staging", "--json"], home.env);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.argvSeen.join("\n")).toContain("--profile staging");
      expect(result.argvSeen.join("\n")).not.toContain(password);
    });

    it("an explicit --profile comes before the environment; otherwise the environment comes before the default profile", async () => {
      write({ default: { sftpgo: { baseUrl: sandbox.baseUrls.sftpgo, username: "demo", password: "wrong-default-pw" } }, staging: { sftpgo: { password } } }, 0o600);
      const wrongEnv = { ...home.env, TOKENKIT_SFTPGO_BASE_URL: sandbox.baseUrls.sftpgo, TOKENKIT_SFTPGO_USERNAME: "demo", TOKENKIT_SFTPGO_PASSWORD: "wrong-env-pw" };
      expect((await runCli(["issue", "sftpgo"], wrongEnv)).code).toBe(3);
      expect((await runCli(["issue", "sftpgo", "--profile", "staging"], wrongEnv)).code).toBe(0);
      expect((await runCli(["issue", "sftpgo"], { ...wrongEnv, TOKENKIT_PROFILE: "staging" })).code).toBe(0);
      const { TOKENKIT_SFTPGO_PASSWORD: _unused, ...withoutPassword } = wrongEnv;
      expect((await runCli(["issue", "sftpgo"], withoutPassword)).code).toBe(3);
      expect((await runCli(["issue", "sftpgo"], { ...withoutPassword, TOKENKIT_SFTPGO_PASSWORD: password })).code).toBe(0);
    });

    it("refuses a profile file the group or others can read, as ssh refuses a key", async () => {
      write({ default: { sftpgo: { baseUrl: sandbox.baseUrls.sftpgo, username: "demo", password } } }, 0o644);
      const result = await runCli(["issue", "sftpgo"], home.env);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`permissions 0644 for ${file} are too open`);
      expect(result.stderr).toContain(`chmod 600 ${file}`);
      expect(result.stderr).not.toContain(password);
    });

    it("names a missing key and a missing profile", async () => {
      write({ default: { sftpgo: { baseUrl: sandbox.baseUrls.sftpgo, username: "demo" } } }, 0o600);
      const missingKey = await runCli(["issue", "sftpgo"], home.env);
      expect(missingKey.code).toBe(2);
      expect(missingKey.stderr).toContain("missing sftpgo credentials: set TOKENKIT_SFTPGO_PASSWORD");
      const missingProfile = await runCli(["issue", "sftpgo", "--profile", "prod"], home.env);
      expect(missingProfile.code).toBe(2);
      expect(missingProfile.stderr).toContain(`no profile "prod" in ${file}; it has "default"`);
    });
  });
});
