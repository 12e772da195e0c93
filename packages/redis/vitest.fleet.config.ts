import { defineConfig } from "vitest/config";

// The slow fleet/fault suite (real processes, real Redis): `npm run test:fleet`, its own turbo task.
export default defineConfig({
  test: {
    include: ["fleet/**/*.test.ts"],
    // Types are checked by the typecheck task (tsconfig.json includes fleet/): this run stays about the processes.
    typecheck: { enabled: false },
    // Eight processes on a 2-core machine that CI shares with every other package's tests.
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});
