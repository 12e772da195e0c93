import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const cli = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI; `onOutput` sees stdout as it grows and may send the process a signal. */
function runCli(args: string[], onOutput?: (stdout: string, kill: (signal: NodeJS.Signals) => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      onOutput?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

describe("tokenkit-sandbox bin", () => {
  beforeAll(() => {
    // turbo builds before testing; a bare `vitest run` in a fresh checkout builds here.
    if (!existsSync(cli)) execFileSync("npx", ["tsup"], { cwd: packageDir, stdio: "ignore" });
  }, 120_000);

  it.each(["SIGTERM", "SIGINT"] as const)("prints base URLs and demo credentials, serves, and exits 0 on %s", async (signal) => {
    let url: string | undefined;
    let served: Promise<number> | undefined;
    const run = await runCli(["--port", "0"], (stdout, kill) => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] && !served && stdout.includes("Ctrl+C")) {
        url = match[1];
        served = fetch(`${url}/mindbody/public/v6/usertoken/issue`, { method: "POST" }).then((response) => response.status);
        served.finally(() => kill(signal)).catch(() => kill(signal));
      }
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await served).toBe(401); // the sandbox answered (no API key)
    for (const path of ["/mindbody", "/vidispine", "/sftpgo", "/genesys", "/genesys-login", "/authapi/v1"]) expect(run.stdout).toContain(`${url}${path}`);
    for (const credential of ["apiKey=sandbox-mindbody-api-key", "siteId=-99", "username=demo", "clientId=sandbox-client", "TOTP secret="]) {
      expect(run.stdout).toContain(credential);
    }
    expect(run.stdout).toContain(`${signal} received, stopping`);
  });

  it("prints usage with --help and refuses unknown arguments with exit code 2", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: tokenkit-sandbox");
    expect(help.stdout).toContain("--cors=<o>");
    const bad = await runCli(["--bogus"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown argument "--bogus"');
    expect(help.stdout).toContain("--fault <s>");
    expect(help.stdout).toContain("--fault genesys:issue:status=429,retry-after=2,times=3");
    const badOrigin = await runCli(["--cors=localhost:5173"]);
    expect(badOrigin.code).toBe(2);
    expect(badOrigin.stderr).toContain('--cors=<origin> needs an origin');
  });

  it("serves CORS to the origins given with --cors=<origin>", async () => {
    const page = "http://127.0.0.1:5173";
    let allowed: Promise<string | null> | undefined;
    const run = await runCli(["--port", "0", `--cors=${page}`], (stdout, kill) => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] && !allowed && stdout.includes("Ctrl+C")) {
        allowed = fetch(`${match[1]}/`, { headers: { Origin: page } }).then((response) => response.headers.get("access-control-allow-origin"));
        allowed.finally(() => kill("SIGTERM")).catch(() => kill("SIGTERM"));
      }
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`CORS allowed for ${page}`);
    expect(await allowed).toBe(page);
  });

  it("--fault makes a vendor misbehave from the start (repeatable); a hung request does not stop SIGTERM", async () => {
    let seen: Promise<{ statuses: number[]; retryAfter: string | null; listed: string[]; hung: string }> | undefined;
    const run = await runCli(["--port", "0", "--fault", "genesys:issue:status=429,retry-after=2,times=3", "--fault", "sftpgo:hang"], (stdout, kill) => {
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (!match?.[1] || seen || !stdout.includes("Ctrl+C")) return;
      const url = match[1];
      seen = (async () => {
        const clientId = /clientId=(\S+)/.exec(stdout.slice(stdout.indexOf("genesys ")))?.[1] ?? "";
        const clientSecret = /clientSecret=(\S+)/.exec(stdout.slice(stdout.indexOf("genesys ")))?.[1] ?? "";
        const issue = () =>
          fetch(`${url}/genesys-login/oauth/token`, {
            method: "POST",
            headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
            body: "grant_type=client_credentials",
          });
        const statuses: number[] = [];
        let retryAfter: string | null = null;
        for (let attempt = 0; attempt < 4; attempt++) {
          const response = await issue();
          statuses.push(response.status);
          retryAfter ??= response.headers.get("retry-after");
          await response.arrayBuffer();
        }
        const listed = ((await (await fetch(`${url}/__sandbox/faults`)).json()) as { faults: { vendor: string; fault: { kind: string } }[] }).faults.map(
          (fault) => `${fault.vendor}:${fault.fault.kind}`,
        );
        // Left hanging: SIGTERM must still stop the process, with exit code 0.
        const hung = fetch(`${url}/sftpgo/api/v2/token`).then(
          () => "answered",
          () => "cut off",
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        kill("SIGTERM");
        return { statuses, retryAfter, listed, hung: await hung };
      })();
      seen.catch(() => kill("SIGTERM"));
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("fault fault-1: genesys:issue:status=429,retry-after=2,times=3");
    expect(run.stdout).toContain("fault fault-2: sftpgo:hang");
    expect(run.stdout).toMatch(/faults: http:\/\/127\.0\.0\.1:\d+\/__sandbox\/faults/);
    expect(await seen).toEqual({ statuses: [429, 429, 429, 200], retryAfter: "2", listed: ["sftpgo:hang"], hung: "cut off" });
  });
});
