import { copyFile } from "node:fs/promises";
import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  target: "es2022",
  // The spec ships beside the code so tools (the sandbox, mock servers) can read what the client was built from.
  onSuccess: () => copyFile("src/generated/openapi.json", "dist/openapi.json"),
});
