#!/usr/bin/env node
// Every public package's `prepack` (npm pack and npm publish run it in the package's folder): build
// the package and what it depends on through turbo (a cache hit when `npm test` just built it), copy
// the repo's LICENSE in, and refuse to pack when a file the exports map points at is missing, so a
// tarball always holds what was built and tested. Output goes to stderr: `npm pack --json` owns stdout.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const packageDir = process.cwd();
const manifest = JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8"));

function fail(message) {
  console.error(`prepack ${manifest.name}: ${message}`);
  process.exit(1);
}

if (path.dirname(packageDir) !== path.join(root, "packages")) fail(`expected to run in packages/<name>, ran in ${packageDir}`);

const turbo = path.join(root, "node_modules", ".bin", "turbo");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
const build = spawnSync(turbo, ["run", "build", `--filter=${manifest.name}`, "--output-logs=errors-only"], { cwd: root, env, stdio: ["ignore", 2, 2] });
if (build.status !== 0) fail(`the build failed (turbo run build --filter=${manifest.name}); nothing was packed`);

copyFileSync(path.join(root, "LICENSE"), path.join(packageDir, "LICENSE"));

/** Every relative file the exports map (or bin) names, except globs. */
function listTargets(value) {
  if (typeof value === "string") return value.startsWith("./") && !value.includes("*") ? [value] : [];
  if (value && typeof value === "object") return Object.values(value).flatMap(listTargets);
  return [];
}
const missing = [...new Set([...listTargets(manifest.exports), ...listTargets(manifest.bin)])].filter((target) => !existsSync(path.join(packageDir, target)));
if (missing.length > 0) fail(`the build did not produce ${missing.join(", ")}; nothing was packed`);
