import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real HTTP on loopback; a cold start compiles the spec validators, and CI machines are small.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts", "test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
  },
});
