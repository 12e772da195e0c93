import { defineConfig } from "vitest/config";

// One file per runtime, each starting its runtime's process, two at a time (2 cores); one sandbox for all.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 150_000,
    typecheck: { enabled: true, include: ["test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
  },
});
