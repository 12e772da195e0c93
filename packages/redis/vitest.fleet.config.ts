import { defineConfig } from "vitest/config";

// The slow fleet/fault suite (real processes, real Redis): `npm run test:fleet`, its own turbo task.
export default defineConfig({
  test: {
    include: ["fleet/**/*.test.ts"],
    // Types are checked by the typecheck task (tsconfig.json includes fleet/): this run stays about the processes.
    typecheck: { enabled: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
