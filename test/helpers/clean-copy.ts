// A copy of the repo as a fresh clone has it, plus files not committed yet, for tests that must start
// from sources (packaging, the new-vendor flow) without touching the working tree.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { copyFile, mkdir, readdir, symlink } from "node:fs/promises";
import path from "node:path";

/**
 * Copies every file git tracks or would track (no dist/, no node_modules, no turbo cache) from `root`
 * into `into`. node_modules links to the repo's installed dependencies, except the workspace packages,
 * which link to the copy's own folders, so every build there starts from the copy's sources. turbo's
 * cache is shared: an entry is restored only for identical inputs.
 */
export async function createCleanCopy(root: string, into: string): Promise<void> {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
    .split("\0")
    .filter(Boolean);
  for (const rel of files) {
    if (!existsSync(path.join(root, rel))) continue; // deleted, not yet committed
    await mkdir(path.dirname(path.join(into, rel)), { recursive: true });
    await copyFile(path.join(root, rel), path.join(into, rel));
  }
  await linkDependencies(root, into);
  if (existsSync(path.join(root, ".turbo", "cache"))) {
    await mkdir(path.join(into, ".turbo"), { recursive: true });
    await symlink(path.join(root, ".turbo", "cache"), path.join(into, ".turbo", "cache"), "dir");
  }
}

/** The copy's workspace packages by npm name → folder. */
export function listWorkspaceDirs(into: string): Map<string, string> {
  return new Map(
    readdirSync(path.join(into, "packages"))
      .filter((dir) => existsSync(path.join(into, "packages", dir, "package.json")))
      .map((dir) => [(JSON.parse(readFileSync(path.join(into, "packages", dir, "package.json"), "utf8")) as { name: string }).name, path.join(into, "packages", dir)]),
  );
}

async function linkDependencies(root: string, into: string): Promise<void> {
  const workspaces = listWorkspaceDirs(into);
  const linkModules = async (from: string, to: string) => {
    await mkdir(to, { recursive: true });
    for (const entry of await readdir(from)) {
      if (entry.startsWith("@")) {
        await mkdir(path.join(to, entry), { recursive: true });
        for (const name of await readdir(path.join(from, entry))) {
          await symlink(workspaces.get(`${entry}/${name}`) ?? path.join(from, entry, name), path.join(to, entry, name), "dir");
        }
      } else {
        await symlink(workspaces.get(entry) ?? path.join(from, entry), path.join(to, entry), "dir");
      }
    }
  };
  await linkModules(path.join(root, "node_modules"), path.join(into, "node_modules"));
  for (const dir of readdirSync(path.join(root, "packages"))) {
    const nested = path.join(root, "packages", dir, "node_modules");
    if (existsSync(nested) && existsSync(path.join(into, "packages", dir))) await linkModules(nested, path.join(into, "packages", dir, "node_modules"));
  }
}
