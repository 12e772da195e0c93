import { defineConfig } from "vitest/config";

// The slow fleet/fault suite (real processes, real Redis): `npm run test:fleet`, its own turbo task.
export default defineConfig({
  test: {
    include: ["fleet/**/*.test.ts"],
    typecheck: { enabled: true, include: ["fleet/**/*.test.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
