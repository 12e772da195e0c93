import { defineConfig } from "tsup";

export default defineConfig({
  // index: the pieces other tools reuse (disk store, table); bin: the `tokenkit` command.
  entry: ["src/index.ts", "src/bin.ts"],
  format: ["esm", "cjs"],
  dts: { entry: "src/index.ts" },
  clean: true,
  target: "es2022",
  splitting: true,
});
