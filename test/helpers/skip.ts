// The convention `npm test` reads (scripts/run-tests.mjs): a suite or test that may be skipped
// carries its reason in vitest's task meta, which the JSON report keeps, so the summary can say
// `17 skipped: no Chromium` instead of counting silence as a pass.
import type { TestOptions } from "vitest";

declare module "vitest" {
  interface TaskMeta {
    /** Why this test is skipped when it is; read by scripts/run-tests.mjs. */
    skipReason?: string;
  }
}

/** Options for `describe`/`test`: skipped unless `condition` holds, counted under `reason` when skipped. */
export function skipUnless(condition: unknown, reason: string): TestOptions {
  return { skip: !condition, meta: { skipReason: reason } };
}
