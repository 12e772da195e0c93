// New vendors start green: on a copy of the repo (sources only), the steps `npm run new-vendor` prints
// — scaffold, install, generate, build, test — end with the new package's wire test passing against a
// loopback server; and the README lists the same steps in the same order.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCleanCopy } from "./helpers/clean-copy.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
function expectOk(result: Run, what: string): void {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** The numbered steps new-vendor prints, as commands (`1. npm install   # why` → `npm install`). */
function parseSteps(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}\d+\. (.+?) +# /gm)].map((match) => match[1]!.trim());
}

let scratch = "";
let copy = "";
let scaffold: Run;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "tokenkit-new-vendor-"));
  copy = path.join(scratch, "repo");
  await createCleanCopy(root, copy);
  scaffold = await run(process.execPath, [path.join(copy, "scripts", "new-vendor.mjs"), "acme"], copy);
}, 300_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("npm run new-vendor acme, then its printed steps", () => {
  test("prints the steps: edit the spec, install, generate, build, test", () => {
    expectOk(scaffold, "new-vendor");
    expect(parseSteps(scaffold.stdout)).toEqual(["edit specs/acme.yaml", "npm install", "npm run generate acme", "npm run build", "npm test"]);
  });

  test("the README's 'Adding a vendor' lists the same steps in the same order", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("Adding a vendor"));
    const block = section.slice(section.indexOf("```sh"), section.indexOf("```", section.indexOf("```sh") + 5));
    const readmeSteps = [...block.matchAll(/^(?:\$EDITOR (\S+)|(npm [^#\n]+?))\s*(?:#.*)?$/gm)].map((match) => (match[1] ? `edit ${match[1]}` : match[2]!.trim()));
    expect(readmeSteps).toEqual(["npm run new-vendor acme", ...parseSteps(scaffold.stdout)]);
  });

  test("install → generate → build → test ends green, the wire test included", async () => {
    expectOk(scaffold, "new-vendor");
    // `npm install`: the lockfile learns the workspace (offline, from the cache) and node_modules links
    // it, as npm would; the copy's node_modules links to the repo's installed packages.
    expectOk(await run("npm", ["install", "--package-lock-only", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], copy), "npm install --package-lock-only");
    await symlink(path.join(copy, "packages", "acme"), path.join(copy, "node_modules", "@tokenkit", "acme"), "dir");
    const lock = JSON.parse(await readFile(path.join(copy, "package-lock.json"), "utf8")) as { packages: Record<string, { name?: string }> };
    expect(lock.packages["packages/acme"]?.name).toBe("@tokenkit/acme");

    expectOk(await run("npm", ["run", "generate", "acme"], copy), "npm run generate acme");
    const turbo = path.join(copy, "node_modules", ".bin", "turbo");
    expectOk(await run(turbo, ["run", "build", "--filter=@tokenkit/acme", "--output-logs=errors-only"], copy), "build");
    const tested = await run(turbo, ["run", "typecheck", "test", "--filter=@tokenkit/acme", "--output-logs=errors-only"], copy);
    expectOk(tested, "typecheck and test");
    const results = JSON.parse(await readFile(path.join(copy, "packages", "acme", ".vitest-results.json"), "utf8")) as { numPassedTests: number; numFailedTests: number; numTotalTests: number };
    expect(results.numFailedTests).toBe(0);
    expect(results.numPassedTests).toBeGreaterThanOrEqual(3);
    // The drift check counts the new package's generated code as current.
    expectOk(await run(process.execPath, [path.join(copy, "scripts", "check-generated.mjs")], copy), "check:generated");
  }, 600_000);
});
