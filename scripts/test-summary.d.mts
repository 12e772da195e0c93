// Types for test-summary.mjs, which tests import.

/** Counts of one vitest JSON report. */
export interface ReportCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

export declare function tallyReport(result: unknown, where: string, skipReasons: Map<string, number>): ReportCounts;
export declare function formatSkipReasons(skipReasons: Map<string, number>): string[];
export declare function formatClosingLine(passed: number, failed: number, skipped: number): string;
