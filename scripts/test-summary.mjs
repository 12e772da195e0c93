// The arithmetic of `npm test`'s summary (scripts/run-tests.mjs), kept apart so it can be tested:
// counts from vitest's JSON reports, and skipped tests grouped by the reason their task meta carries
// (`meta: { skipReason }`, see test/helpers/skip.ts).
const NOT_RUN = ["pending", "skipped", "todo", "disabled"];

/**
 * Adds one vitest JSON report to `skipReasons` (reason → count) and returns its counts.
 * @param {any} result vitest's JSON report
 * @param {string} where the folder it came from, named when a skipped test gives no reason
 * @param {Map<string, number>} skipReasons
 */
export function tallyReport(result, where, skipReasons) {
  const skipped = (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  for (const { assertionResults = [] } of result.testResults ?? []) {
    for (const test of assertionResults) {
      if (!NOT_RUN.includes(test.status)) continue;
      const reason = test.meta?.skipReason ?? (test.status === "todo" ? "todo" : `no reason given (${where})`);
      skipReasons.set(reason, (skipReasons.get(reason) ?? 0) + 1);
    }
  }
  return { passed: result.numPassedTests ?? 0, failed: result.numFailedTests ?? 0, skipped };
}

/** One line per reason: `17 skipped: no Chromium`. */
export function formatSkipReasons(skipReasons) {
  return [...skipReasons].map(([reason, count]) => `${count} skipped: ${reason}`);
}

/** The closing line CI reads: `N passed, N failed, N skipped`. */
export function formatClosingLine(passed, failed, skipped) {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}
