import { defineConfig } from "tsup";

export default defineConfig({
  // cli.ts starts with `#!/usr/bin/env node`; esbuild keeps that banner on the cli entry only.
  entry: { index: "src/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  dts: { entry: { index: "src/index.ts" } },
  // Maps ship in dist, so stack traces from an installed package point at src/, not at bundled chunks.
  sourcemap: true,
  clean: true,
  target: "es2022",
  // import.meta.url (used to resolve the vendor specs) in the CommonJS build too.
  shims: true,
});
