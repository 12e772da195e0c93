#!/usr/bin/env node
// `npm test`: every check the repo has, in dependency order, then one closing line
// `N passed, N failed, N skipped` (vitest's own summary is not one CI can read). Each step runs even
// when an earlier one failed, so one run shows everything that is wrong. Skipped tests are counted
// and grouped by why: a test or suite that may skip says so in its meta (`{ skip: !found, meta:
// { skipReason: "no Chromium" } }`, see test/helpers/skip.ts), which vitest's JSON report carries.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { formatClosingLine, formatSkipReasons, tallyReport } from "./test-summary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", REDOCLY_TELEMETRY: "off", DO_NOT_TRACK: "1" };
const RESULT_FILE = ".vitest-results.json";
// Slow suites that sit behind a turbo task of their own (packages/redis `test:fleet`) write here.
const RESULT_FILES = [RESULT_FILE, ".vitest-results-fleet.json"];
const packageDirs = readdirSync(path.join(root, "packages"))
  .map((name) => path.join(root, "packages", name))
  .filter((dir) => existsSync(path.join(dir, "package.json")));

for (const dir of [root, ...packageDirs]) for (const name of RESULT_FILES) rmSync(path.join(dir, name), { force: true });

const steps = [
  { name: "generated code is current", command: ["npm", "run", "--silent", "check:generated"], counted: true },
  { name: "every spec change has a changeset of its bump", command: ["npm", "run", "--silent", "check:changesets"], counted: true },
  { name: "packages: build, typecheck, test", command: ["npx", "turbo", "run", "build", "typecheck", "test", "test:fleet", "--continue", "--output-logs=new-only"] },
  { name: "repo tests (specs, generator, packaging)", command: ["npx", "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${RESULT_FILE}`] },
  { name: "bundle size budgets", command: ["npx", "size-limit"], counted: true },
  { name: "release dry run: every public tarball", command: ["npm", "run", "--silent", "release", "--", "--dry-run", "--skip-tests"], counted: true },
  { name: "API reference: TypeDoc, warnings as errors", command: ["npm", "run", "--silent", "docs"], counted: true },
];

const checks = [];
for (const { name, command: [command, ...args], counted = false } of steps) {
  console.log(`\n━━ ${name}: ${[command, ...args].join(" ")}`);
  const { status } = spawnSync(command, args, { cwd: root, env, stdio: "inherit" });
  checks.push({ name, ok: status === 0, counted });
}

/** The runtime matrix as one named step per runtime: each runtime is one test file, its describe block named after it. */
function runtimeRows(result) {
  return (result.testResults ?? [])
    .filter(({ assertionResults = [] }) => assertionResults.length > 0)
    .map(({ name, assertionResults }) => {
      const count = (...statuses) => assertionResults.filter((test) => statuses.includes(test.status)).length;
      const runtime = assertionResults[0].ancestorTitles[0] ?? path.basename(name, ".test.ts");
      const notRun = count("pending", "skipped", "todo", "disabled");
      return `    ${runtime}: ${notRun === assertionResults.length ? "skipped" : `${count("passed")} passed, ${count("failed")} failed`}`;
    });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const skipReasons = new Map();
const rows = [];
for (const [dir, file] of [root, ...packageDirs].flatMap((dir) => RESULT_FILES.map((name) => [dir, path.join(dir, name)]))) {
  if (!existsSync(file)) continue;
  const result = JSON.parse(readFileSync(file, "utf8"));
  const where = path.relative(root, dir) || "(repo)";
  const counts = tallyReport(result, where, skipReasons);
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
  rows.push(`  ${where}: ${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ""}`);
  if (where === "packages/runtime-matrix") rows.push(...runtimeRows(result));
}
// Drift and size are checks of their own; a failed build, typecheck or crashed runner counts
// once, unless failing vitest tests already explain that step's failure.
let checksPassed = 0;
let checksFailed = 0;
for (const check of checks) {
  if (check.counted) check.ok ? checksPassed++ : checksFailed++;
  else if (!check.ok && failed === 0) checksFailed++;
}
console.log(`\n━━ summary\n${rows.join("\n")}`);
for (const check of checks) console.log(`  ${check.ok ? "ok  " : "FAIL"} ${check.name}`);
for (const line of formatSkipReasons(skipReasons)) console.log(`  ${line}`);
console.log(formatClosingLine(passed + checksPassed, failed + checksFailed, skipped));
process.exit(failed + checksFailed > 0 || checks.some((check) => !check.ok) ? 1 : 0);
