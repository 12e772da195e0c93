// Scratch copies of the repo for the benchmarks that must not touch it: generator roots and a
// clone for the incremental-build check. Everything lives under os.tmpdir(), never inside the repo,
// so no test runner or turbo hash of the real repo can see it.
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (two levels above this file). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The five vendor ids, in the order the project lists them. */
export const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

// Never copied into a clone: installs, caches, build output, scratch and VCS data.
const SKIPPED_NAMES = new Set(["node_modules", ".turbo", "dist", "coverage", ".git"]);
const SKIPPED_PATTERNS = [/^\.vitest-results.*\.json$/, /^\.generate-/, /\.tgz$/];

/** Creates an empty scratch directory named after `label`. */
export function makeTempDir(label) {
  return mkdtempSync(path.join(tmpdir(), `tokenkit-bench-${label}-`));
}

/** Removes a scratch directory made by {@link makeTempDir}. */
export function removeTempDir(dir) {
  if (dir && path.basename(dir).startsWith("tokenkit-bench-")) rmSync(dir, { recursive: true, force: true });
}

/**
 * Builds a generator root: redocly.yaml, `specs/<id>.yaml` and `packages/<id>/package.json` for each
 * `{ id, from }` (a copy of vendor `from`'s spec under the new id). Nothing else is needed by
 * `scripts/generate.mjs --root`.
 */
export function makeGeneratorRoot(label, specs) {
  const root = makeTempDir(label);
  mkdirSync(path.join(root, "specs"));
  cpSync(path.join(REPO_ROOT, "redocly.yaml"), path.join(root, "redocly.yaml"));
  for (const { id, from } of specs) {
    const source = readFileSync(path.join(REPO_ROOT, "specs", `${from}.yaml`), "utf8");
    // A leading comment makes every copy a distinct file without changing what it describes.
    const text = id === from ? source : `# synthetic benchmark copy of specs/${from}.yaml as "${id}"\n${source}`;
    writeFileSync(path.join(root, "specs", `${id}.yaml`), text);
    mkdirSync(path.join(root, "packages", id), { recursive: true });
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "packages", from, "package.json"), "utf8"));
    writeFileSync(path.join(root, "packages", id, "package.json"), JSON.stringify({ ...manifest, name: `@tokenkit-bench/${id}` }, null, 2));
  }
  return root;
}

function shouldCopy(source) {
  const name = path.basename(source);
  if (SKIPPED_NAMES.has(name)) return false;
  if (path.relative(REPO_ROOT, source) === path.join("bench", "tmp")) return false;
  return !SKIPPED_PATTERNS.some((pattern) => pattern.test(name));
}

/**
 * Mirrors `from` (an installed node_modules) into `to` with one symlink per entry. Workspace links
 * (entries that resolve into the repo's packages/) are pointed at the clone's own packages instead,
 * so the clone builds against its own sources, never against the real repo's dist/.
 */
function linkNodeModules(from, to, clone) {
  mkdirSync(to, { recursive: true });
  const packagesDir = path.join(REPO_ROOT, "packages");
  for (const name of readdirSync(from)) {
    const source = path.join(from, name);
    const target = path.join(to, name);
    const stats = lstatSync(source);
    if (name.startsWith("@") && stats.isDirectory()) {
      linkNodeModules(source, target, clone);
      continue;
    }
    const real = stats.isSymbolicLink() ? realpathSync(source) : source;
    const inWorkspace = path.relative(packagesDir, real);
    const destination = !inWorkspace.startsWith("..") && !path.isAbsolute(inWorkspace) ? path.join(clone, "packages", inWorkspace) : real;
    symlinkSync(destination, target);
  }
}

/**
 * Copies the working tree (uncommitted changes included) into a scratch dir, without installs,
 * caches or build output, and gives it a node_modules made of symlinks into the real install.
 * Nothing in the real repo is written: the clone has its own `.turbo` cache.
 */
export function cloneWorkingTree(label) {
  const clone = makeTempDir(label);
  cpSync(REPO_ROOT, clone, { recursive: true, filter: shouldCopy, verbatimSymlinks: true });
  linkNodeModules(path.join(REPO_ROOT, "node_modules"), path.join(clone, "node_modules"), clone);
  for (const name of readdirSync(path.join(REPO_ROOT, "packages"))) {
    const own = path.join(REPO_ROOT, "packages", name, "node_modules");
    if (existsSync(own) && existsSync(path.join(clone, "packages", name))) linkNodeModules(own, path.join(clone, "packages", name, "node_modules"), clone);
  }
  return clone;
}
