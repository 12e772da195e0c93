// Bundles one entry of the suite with esbuild, from the packages' built dist/ resolved by package name
// (tokenkit, @tokenkit/sftpgo and whatever they depend on), the way an app's bundler would.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Which entry: a process (Node, Bun, Deno), a module worker (workerd) or a page script (Chromium). */
export type EntryKind = "process" | "worker" | "browser";

const PLATFORM: Record<EntryKind, Pick<BuildOptions, "platform" | "conditions">> = {
  // Node, Bun and Deno all honour the "node" condition when they load an npm package.
  process: { platform: "node" },
  // What wrangler resolves for a worker; "neutral" brings no Node built-ins along.
  worker: { platform: "neutral", conditions: ["workerd", "worker", "browser"] },
  browser: { platform: "browser" },
};

/** The bundled ESM text of `src/entries/<kind>.ts`; `define` replaces free identifiers (e.g. the control URL). */
export async function bundleEntry(kind: EntryKind, define: Record<string, string> = {}): Promise<string> {
  const result = await build({
    entryPoints: [path.join(packageRoot, "src", "entries", `${kind}.ts`)],
    bundle: true,
    format: "esm",
    target: "es2022",
    ...PLATFORM[kind],
    mainFields: kind === "process" ? ["module", "main"] : ["browser", "module", "main"],
    define,
    write: false,
    absWorkingDir: packageRoot,
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}
