import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

function runStart(args: string[], build = false): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // --no-build: `npm test` builds every package before the repo tests run.
    const flags = build ? args : ["--no-build", ...args];
    execFile(process.execPath, [path.join(repo, "scripts", "start.mjs"), ...flags], { cwd: repo, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The table's rows by vendor, a wrapped cell's continuation lines joined back on. */
function tableRows(stdout: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  let last: string[] | undefined;
  for (const line of stdout.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    if (cells.length !== 4) continue;
    if (VENDORS.includes(cells[0] ?? "")) rows.set(cells[0]!, (last = cells));
    else if (cells[0] === "" && last) last.forEach((cell, index) => (last![index] = [cell, cells[index]].filter(Boolean).join(" ")));
  }
  return rows;
}

describe("npm start (the main job)", () => {
  it("runs every vendor end to end against the sandbox: one ok row each, 80 columns, a summary and the next command", async () => {
    const { code, stdout, stderr } = await runStart([]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const rows = tableRows(stdout);
    expect([...rows.keys()]).toEqual(VENDORS);
    const expected: Record<string, string> = {
      mindbody: "issue → renew → revoke → refused",
      vidispine: "issue → use → expired→refused",
      sftpgo: "issue → introspect → revoke → refused",
      genesys: "issue → use → introspect → revoke → refused",
      authapi: "issue → renew → revoke → refused",
    };
    for (const vendor of VENDORS) {
      const [, steps, expires, result] = rows.get(vendor) ?? [];
      expect(steps, vendor).toBe(expected[vendor]);
      expect(result, vendor).toBe("ok");
      expect(expires, vendor).toMatch(/^in \d+ (s|min|h)$/);
    }
    for (const line of stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80);
    // The sandbox is reported as stopped once it is, never as listening after it closed.
    expect(stdout.indexOf("sandbox started on http://127.0.0.1:")).toBeLessThan(stdout.indexOf("sandbox stopped"));
    expect(stdout).not.toContain("listening");
    expect(stdout).toMatch(/\n5 of 5 vendors ok, end to end in \d+\.\d s/);
    expect(stdout).toContain("Next, from the terminal: npx tokenkit sandbox");
  });

  it("names the vendor, the step and the TokenError code, and exits non-zero, when a vendor fails (--simulate-failure)", async () => {
    const { code, stdout, stderr } = await runStart(["--simulate-failure", "genesys"]);
    expect(code).toBe(1);
    expect(stdout).toContain("genesys token requests answer 401: --simulate-failure");
    expect(tableRows(stdout).get("genesys")?.[3]).toBe("FAILED at issue: unauthorized");
    expect(tableRows(stdout).get("sftpgo")?.[3]).toBe("ok");
    expect(stderr).toContain('genesys: step "issue" failed with unauthorized');
    expect(stdout).toContain("4 of 5 vendors ok");
    expect(stdout).toContain("That failure was simulated");
  });

  it("simulates another status: a 503 is retried, then reported as server_error", async () => {
    const { code, stdout } = await runStart(["--simulate-failure", "sftpgo:503"]);
    expect(code).toBe(1);
    expect(tableRows(stdout).get("sftpgo")?.[3]).toBe("FAILED at issue: server_error");
  });

  it("--help documents the flags and runs nothing (no build, no sandbox)", async () => {
    // Without --no-build: help must return before the build would start.
    const { code, stdout, stderr } = await runStart(["--help"], true);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    for (const flag of ["--no-build", "--simulate-failure <vendor>", "--help"]) expect(stdout).toContain(flag);
    expect(stdout).not.toMatch(/^building|^built in|sandbox started/m);
    for (const line of stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("refuses unknown flags and vendors with exit 2 and the usage", async () => {
    for (const args of [["--bogus"], ["--simulate-failure", "acme"], ["--simulate-failure", "sftpgo:200"]]) {
      const { code, stdout, stderr } = await runStart(args, true);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^npm start: /);
      expect(stderr).toContain("Usage: npm start");
    }
  });
});
