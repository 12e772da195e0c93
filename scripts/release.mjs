#!/usr/bin/env node
// `npm run release`: version → build → test → publish, so what is published is what was tested.
//   1. version  `changeset version` (bumps, changelogs), lockfile refreshed, committed as one release commit
//   2. build    `turbo run build` of every package
//   3. test     `npm test` (every check the repo has)
//   4. publish  `changeset publish` (npm publish of each package whose version is not on the registry yet,
//               git tags `<name>@<version>`), with npm provenance where the CI provides an OIDC identity
// `--dry-run` changes nothing and uploads nothing: it prints the pending release plan instead of
// versioning, then packs every public package with `npm pack --dry-run` (its prepack builds it) and
// lists each tarball, failing when one lacks dist/, README.md, LICENSE or a file its exports map names.
// `--skip-tests` leaves out step 3 (npm test runs this dry run as one of its own steps).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readPendingBumps } from "./spec-changes/changesets.mjs";

const { values } = parseArgs({ options: { "dry-run": { type: "boolean", default: false }, "skip-tests": { type: "boolean", default: false } } });
const dryRun = values["dry-run"];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

function step(title) {
  console.log(`\n━━ release${dryRun ? " (dry run)" : ""}: ${title}`);
}

/** Runs a command in the repo root with inherited output; fails the release when it fails. */
function run(command, args, extraEnv = {}) {
  const { status } = spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: "inherit" });
  if (status !== 0) fail(`${path.basename(command)} ${args.join(" ")} exited ${status}; nothing after it ran`);
}

function capture(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] });
  if (result.status !== 0) fail(`${path.basename(command)} ${args.join(" ")} exited ${result.status}:\n${result.stderr}`);
  return result.stdout;
}

/** Public workspace packages: packages/*\/package.json without `private`. */
function listPublicPackages() {
  return readdirSync(path.join(root, "packages"))
    .map((dir) => path.join("packages", dir))
    .filter((dir) => existsSync(path.join(root, dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(root, dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** Relative files the exports map and bin of a manifest name (globs aside). */
function listTargets(value) {
  if (typeof value === "string") return value.startsWith("./") && !value.includes("*") ? [value.slice(2)] : [];
  if (value && typeof value === "object") return Object.values(value).flatMap(listTargets);
  return [];
}

/** npm provenance needs an OIDC identity from the CI; elsewhere `--provenance` would fail the publish. */
function provenanceSupported() {
  if (process.env.GITHUB_ACTIONS === "true" && process.env.ACTIONS_ID_TOKEN_REQUEST_URL) return true;
  return process.env.GITLAB_CI === "true" && Boolean(process.env.SIGSTORE_ID_TOKEN);
}

const packages = listPublicPackages();

// 1. version
step("version");
const pending = await readPendingBumps(root);
if (dryRun) {
  if (pending.size === 0) console.log("no pending changeset: versions stay as they are");
  for (const { manifest } of packages) {
    const bump = pending.get(manifest.name);
    if (bump) console.log(`  ${manifest.name}@${manifest.version}: ${bump} (and dependents follow, see .changeset/config.json)`);
  }
} else {
  if (capture("git", ["status", "--porcelain"]).trim() !== "") fail("the working tree has uncommitted changes; release from a clean checkout of main");
  if (pending.size > 0) {
    run(bin("changeset"), ["version"]);
    run("npm", ["install", "--package-lock-only", "--no-audit", "--no-fund"]);
    run("git", ["add", "--", ".changeset", "package-lock.json", ...packages.flatMap(({ dir }) => [`${dir}/package.json`, `${dir}/CHANGELOG.md`].filter((file) => existsSync(path.join(root, file))))]);
    run("git", ["commit", "-q", "-m", "Release: version packages"]);
  } else {
    console.log("no pending changeset: publishing the versions already in package.json that the registry lacks");
  }
}

// 2. build
step("build");
run(bin("turbo"), ["run", "build", "--output-logs=errors-only"]);

// 3. test
step("test");
if (values["skip-tests"]) console.log("skipped (--skip-tests)");
else run("npm", ["test"]);

// 4. publish
step(dryRun ? "publish: what would be uploaded" : "publish");
if (dryRun) {
  const packed = JSON.parse(capture("npm", ["pack", "--dry-run", "--json", ...packages.map(({ dir }) => `--workspace=${dir}`)]));
  const problems = [];
  for (const { manifest } of packages) {
    const tarball = packed.find((entry) => entry.name === manifest.name);
    if (!tarball) {
      problems.push(`${manifest.name}: not packed`);
      continue;
    }
    const files = new Set(tarball.files.map((file) => file.path));
    const missing = ["package.json", "README.md", "LICENSE", ...listTargets(manifest.exports), ...listTargets(manifest.bin)].filter((file) => !files.has(file));
    if (![...files].some((file) => file.startsWith("dist/"))) missing.push("dist/");
    if (missing.length > 0) problems.push(`${manifest.name}: missing ${missing.join(", ")}`);
    const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
    console.log(`  ${tarball.filename}  ${tarball.entryCount} files, ${kB(tarball.size)} packed, ${kB(tarball.unpackedSize)} unpacked${manifest.publishConfig?.access === "public" ? ", public" : ""}`);
  }
  if (problems.length > 0) fail(`these tarballs would ship broken:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
  console.log(`${packed.length} tarball(s) would be published; nothing was uploaded`);
} else {
  const provenance = provenanceSupported();
  console.log(provenance ? "publishing with npm provenance" : "publishing without provenance (no CI OIDC identity here)");
  run(bin("changeset"), ["publish"], provenance ? { NPM_CONFIG_PROVENANCE: "true" } : {});
  console.log("published; push the release commit and its tags: git push --follow-tags");
}
