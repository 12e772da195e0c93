// Pending changesets, read and written with the changesets project's own libraries, so the check and
// the writer parse .changeset/*.md exactly as `changeset version` will.
import path from "node:path";
import readChangesets from "@changesets/read";
import writeChangeset from "@changesets/write";
import { BUMPS, coversBump, maxBump } from "./classify.mjs";

/** The strongest pending bump per package name, over every .changeset/*.md in the working tree. */
export async function readPendingBumps(root) {
  const pending = new Map();
  for (const changeset of await readChangesets(root)) {
    for (const { name, type } of changeset.releases) {
      if (BUMPS.includes(type)) pending.set(name, maxBump(pending.get(name) ?? "none", type));
    }
  }
  return pending;
}

/** Packages whose required bump the pending changesets do not reach, with what they have. */
export function findShortfall(required, pending) {
  const shortfall = [];
  for (const [name, { bump, reasons }] of required) {
    const have = pending.get(name) ?? "none";
    if (!coversBump(have, bump)) shortfall.push({ name, need: bump, have, reasons });
  }
  return shortfall;
}

/** Writes one changeset for the releases, its summary the classified changes; returns the file. */
export async function writeSpecChangeset(root, { releases, results }) {
  const lines = [];
  for (const { vendor, bump, changes } of results) {
    lines.push(`Spec change in \`specs/${vendor}.yaml\` (${bump}):`, "");
    for (const change of changes) lines.push(`- ${change.kind}: ${change.place}: ${change.what}`.replaceAll("\n", " "));
    lines.push("");
  }
  const id = await writeChangeset({ summary: lines.join("\n").trim(), releases }, root, { prettier: false });
  return path.join(root, ".changeset", `${id}.md`);
}
