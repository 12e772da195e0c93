import { defineConfig } from "vitest/config";

// Repo-level tests: specs, generator, scaffolding, packaging. Package tests live in packages/*/test.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    typecheck: { enabled: true, include: ["test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
  },
});
