import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts", "test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
    // Real servers and processes on a 2-core machine shared with other suites: seconds, not milliseconds.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
