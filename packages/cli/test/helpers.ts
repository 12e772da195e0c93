import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Sandbox } from "@tokenkit/sandbox";
import { toEnvName } from "tokenkit/credentials";

/** The built bin: the tests run what users run. */
export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "bin.js");

export const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"] as const;
export type Vendor = (typeof VENDORS)[number];

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch HOME with its own cache and config directories. */
export function createHome(): { dir: string; env: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "tokenkit-cli-"));
  return {
    dir,
    env: { HOME: dir, XDG_CACHE_HOME: path.join(dir, "cache"), XDG_CONFIG_HOME: path.join(dir, "config"), PATH: process.env.PATH ?? "/usr/bin:/bin" },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The TOKENKIT_* variables of one vendor pointing at the sandbox (its demo credentials). */
export function vendorEnv(sandbox: Sandbox, vendor: Vendor): Record<string, string> {
  const options = sandbox.clientOptions(vendor) as { baseUrl: string; loginUrl?: string; credentials: Record<string, unknown> };
  const env: Record<string, string> = { [toEnvName(vendor, "baseUrl")]: options.baseUrl };
  if (options.loginUrl) env[toEnvName(vendor, "loginUrl")] = options.loginUrl;
  for (const [key, value] of Object.entries(options.credentials)) if (typeof value === "string") env[toEnvName(vendor, key)] = value;
  return env;
}

/** Spawns the bin; `onSpawn` sees the child while it runs. Standard input is `input`, or closed. */
export function runCli(args: readonly string[], env: Record<string, string>, options: { input?: string; onSpawn?: (child: ChildProcess) => void } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    options.onSpawn?.(child);
    child.stdin.end(options.input ?? "");
  });
}
