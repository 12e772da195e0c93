import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // deadline.test.ts forces garbage collections mid-call: time limits must hold whatever the collector does.
    execArgv: ["--expose-gc"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts", "test/**/*.test.ts"], tsconfig: "./tsconfig.json" },
  },
});
