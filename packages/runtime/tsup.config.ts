import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  // Maps ship in dist, so stack traces from an installed package point at src/, not at bundled chunks.
  sourcemap: true,
  clean: true,
  target: "es2022",
});
