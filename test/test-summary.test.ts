// npm test's summary counts skipped tests and says why: a real vitest run of a small suite that skips
// for a reason (test/helpers/skip.ts), skips without one, and has a todo, read back as run-tests reads it.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { formatClosingLine, formatSkipReasons, tallyReport } from "../scripts/test-summary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let dir = "";
let report: unknown;

beforeAll(async () => {
  // Inside the repo so the suite resolves vitest and the helper as the repo's own tests do.
  await mkdir(path.join(root, "node_modules", ".cache"), { recursive: true });
  dir = await mkdtemp(path.join(root, "node_modules", ".cache", "tokenkit-summary-"));
  const helper = JSON.stringify(path.join(root, "test", "helpers", "skip.ts"));
  await writeFile(
    path.join(dir, "sample.test.ts"),
    `import { describe, expect, test } from "vitest";
import { skipUnless } from ${helper};
describe("in a browser", skipUnless(undefined, "no Chromium"), () => {
  test("one", () => {});
  test("two", () => {});
});
test("runs", () => expect(1 + 1).toBe(2));
test.skip("skipped without a reason", () => {});
test.todo("later");
`,
  );
  // Its own config, so the repo's (include: test/**, typecheck) does not apply.
  await writeFile(path.join(dir, "vitest.config.mjs"), 'export default { test: { include: ["*.test.ts"] } };\n');
  const output = path.join(dir, "report.json");
  await new Promise<void>((resolve) => {
    execFile(process.execPath, [path.join(root, "node_modules", "vitest", "vitest.mjs"), "run", "--config", path.join(dir, "vitest.config.mjs"), "--root", dir, "--reporter=json", `--outputFile.json=${output}`], { cwd: dir }, () => resolve());
  });
  report = JSON.parse(await readFile(output, "utf8"));
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test("skipped tests are counted and grouped by the reason their meta carries", () => {
  const reasons = new Map<string, number>();
  const counts = tallyReport(report, "sample", reasons);
  expect(counts).toEqual({ passed: 1, failed: 0, skipped: 4 });
  expect(Object.fromEntries(reasons)).toEqual({ "no Chromium": 2, "no reason given (sample)": 1, todo: 1 });
  expect(formatSkipReasons(reasons)).toContain("2 skipped: no Chromium");
});

test("the closing line stays `N passed, N failed` with `, N skipped` after it", () => {
  expect(formatClosingLine(921, 0, 17)).toBe("921 passed, 0 failed, 17 skipped");
  expect(formatClosingLine(921, 0, 17)).toMatch(/^\d+ passed, \d+ failed, \d+ skipped$/);
});

test("reasons add up across reports", () => {
  const reasons = new Map<string, number>();
  tallyReport(report, "a", reasons);
  tallyReport(report, "b", reasons);
  expect(reasons.get("no Chromium")).toBe(4);
  expect(reasons.get("no reason given (a)")).toBe(1);
});
