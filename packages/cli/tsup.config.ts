import { defineConfig } from "tsup";

export default defineConfig({
  // index: the pieces other tools reuse (disk store, table); bin: the `tokenkit` command.
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm", "cjs"],
  dts: { entry: "src/index.ts" },
  // Maps ship in dist, so stack traces from an installed package point at src/, not at bundled chunks.
  sourcemap: true,
  clean: true,
  target: "es2022",
  splitting: true,
});
