import { defineConfig } from "vitest/config";

// One file per runtime; each starts its own sandbox and runtime process, so two run at a time (2 cores).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 150_000,
    typecheck: { enabled: true, include: ["test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
  },
});
