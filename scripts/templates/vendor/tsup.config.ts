import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  // Maps ship in dist, so stack traces from an installed package point at src/, not at bundled chunks.
  sourcemap: true,
  clean: true,
  target: "es2022",
  // The spec ships beside the code so tools (the sandbox, mock servers) can read what the client was built from.
  onSuccess: () => copyFile("src/generated/openapi.json", "dist/openapi.json"),
});
