import { defineConfig } from "tsup";

export default defineConfig({
  // One entry per vendor so `tokenkit/<vendor>` bundles only that vendor's package.
  entry: ["src/index.ts", "src/mindbody.ts", "src/vidispine.ts", "src/sftpgo.ts", "src/genesys.ts", "src/authapi.ts", "src/credentials.ts"],
  format: ["esm", "cjs"],
  dts: true,
  // Maps ship in dist, so stack traces from an installed package point at src/, not at bundled chunks.
  sourcemap: true,
  clean: true,
  target: "es2022",
  // Shared chunks in both formats: one TokenError class whichever entries an app loads.
  splitting: true,
});
