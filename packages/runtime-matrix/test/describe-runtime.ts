// One runtime's block of the matrix: locate it, run the suite there once against the shared sandbox
// (test/global-setup.ts), and turn each check of its report into a named test against the shared
// expectations.
import { beforeAll, describe, expect, inject, test } from "vitest";
import { locateRuntime, RUNTIMES, type BrowserRuntime, type ProcessRuntime, type RuntimeId, type WorkerRuntime } from "../locate.mjs";
import { CHECK_NAMES, type SuiteInput, type SuiteReport } from "../src/checks.js";
import { EXPECTED } from "./expectations.js";
import { runInChromium, runInProcess, runInWorkerd, SUITE_TIMEOUT_MS } from "./run-suite.js";

// .ci/run sets this: there a runtime that cannot start fails the run instead of being skipped, except
// those it names in TOKENKIT_RUNTIME_TESTS_OPTIONAL (Chromium, when apt could not install it).
const optional = new Set((process.env.TOKENKIT_RUNTIME_TESTS_OPTIONAL ?? "").split(",").map((id) => id.trim()));
const isRequired = (id: RuntimeId) => process.env.TOKENKIT_RUNTIME_TESTS === "required" && !optional.has(id);

/** A value no sandbox account uses; it must never show in what the facade prints. */
const CANARY = "canary-runtime-matrix-7Qx2-wrong-secret";

declare module "vitest" {
  interface TaskMeta {
    /** Why this test is skipped when it is; read by scripts/run-tests.mjs. */
    skipReason?: string;
  }
}

/** Declares the matrix's tests for one runtime. */
export function describeRuntime(id: RuntimeId): void {
  const entry = RUNTIMES.find((runtime) => runtime.id === id)!;
  const located = locateRuntime(id);
  if (located.missing !== undefined) {
    if (isRequired(id)) {
      describe(entry.name, () => {
        test(`${entry.name} starts`, () => {
          throw new Error(`TOKENKIT_RUNTIME_TESTS=required, but ${entry.name} cannot start here: ${located.missing}`);
        });
      });
      return;
    }
    console.warn(`runtime matrix: ${entry.name} skipped: ${located.missing}`);
    // scripts/run-tests.mjs prints this reason in npm test's summary.
    const skipped = { skip: true, meta: { skipReason: `${entry.name} cannot start here (${located.missing})` } };
    describe(entry.name, () => {
      for (const name of CHECK_NAMES) test(name, skipped, () => {});
    });
    return;
  }

  const version = "miniflareVersion" in located ? `${located.version}, Miniflare ${located.miniflareVersion}` : located.version;
  describe(`${entry.name} (${version})`, () => {
    let report: SuiteReport | undefined;
    let failure: unknown;

    beforeAll(async () => {
      const input: SuiteInput = { options: inject("sandboxOptions"), canary: CANARY };
      try {
        if (entry.kind === "process") report = await runInProcess(located as ProcessRuntime, input);
        else if (entry.kind === "worker") report = await runInWorkerd(located as WorkerRuntime, input);
        else report = await runInChromium(located as BrowserRuntime, input);
      } catch (error) {
        // Reported by every test below, so one broken runtime shows as failures, not as a crashed file.
        failure = error;
      }
    }, SUITE_TIMEOUT_MS + 30_000);

    test("the suite ran in the runtime it was meant for", () => {
      if (failure) throw failure;
      const expectedName = { node20: "Node ", node22: "Node ", node24: "Node ", bun: "Bun ", deno: "Deno ", workerd: "Cloudflare-Workers", chromium: "Mozilla/5.0" }[id];
      expect(report?.runtime.startsWith(expectedName)).toBe(true);
      if (entry.kind === "process") expect(report?.runtime).toBe(`${expectedName}${located.version}`);
      if (id === "chromium") expect(report?.runtime).toContain("HeadlessChrome/");
      expect(report?.checks.map((check) => check.name)).toEqual([...CHECK_NAMES]);
    });

    test.each([...CHECK_NAMES])("%s", (name) => {
      if (failure) throw failure;
      const check = report?.checks.find((candidate) => candidate.name === name);
      expect(check?.error).toBeUndefined();
      expect(check?.facts).toEqual(EXPECTED[name]);
    });
  });
}
