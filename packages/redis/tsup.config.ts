import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  // The caller's node-redis and tokenkit, never copies: tokens must come from the same tokenkit.
  external: ["redis", "tokenkit"],
});
