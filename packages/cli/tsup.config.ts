import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

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
  // `tokenkit --version`, without reading package.json at run time (its place differs in ESM and CJS).
  define: { TOKENKIT_CLI_VERSION: JSON.stringify(version) },
});
