import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The tests spawn the built bin against a real sandbox: seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts", "test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
  },
});
