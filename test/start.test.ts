import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

function runStart(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // --no-build: `npm test` builds every package before the repo tests run.
    execFile(process.execPath, [path.join(repo, "scripts", "start.mjs"), "--no-build", ...args], { cwd: repo, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function tableRows(stdout: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of stdout.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((cell) => cell.trim());
    if (cells.length === 4 && VENDORS.includes(cells[0] ?? "")) rows.set(cells[0] ?? "", cells);
  }
  return rows;
}

describe("npm start (the main job)", () => {
  it("runs every vendor end to end against the sandbox and prints one ok row each", async () => {
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
      const [, operations, expiry, result] = rows.get(vendor) ?? [];
      expect(operations, vendor).toBe(expected[vendor]);
      expect(result, vendor).toBe("ok");
      expect(Number.isNaN(Date.parse(expiry ?? "")), `${vendor} expiry ${expiry}`).toBe(false);
      expect(Date.parse(expiry ?? "")).toBeGreaterThan(Date.now());
    }
  });

  it("names the vendor, the step and the TokenError code, and exits non-zero, when a vendor fails", async () => {
    const { code, stdout, stderr } = await runStart(["--simulate-failure", "genesys"]);
    expect(code).toBe(1);
    expect(tableRows(stdout).get("genesys")?.[3]).toBe("FAILED at issue: unauthorized");
    expect(tableRows(stdout).get("sftpgo")?.[3]).toBe("ok");
    expect(stderr).toContain('genesys: step "issue" failed with unauthorized');
    expect(stdout + stderr).not.toContain("wrong-on-purpose");
  });
});
