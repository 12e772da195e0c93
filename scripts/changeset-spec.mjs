#!/usr/bin/env node
// `npm run changeset:spec [vendor…] [--base <git-ref>]`: writes the changeset that the spec changes
// since the last release need (the check's base, see check-changesets.mjs), for what the pending
// changesets do not cover yet: the vendor package at its spec's bump, and `tokenkit` at the same bump
// when the facade's types include the vendor's. The summary lists the classified changes.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { diffVendors, findReleaseBase, listRequiredReleases, listVendors, readPackageName, verifyRef } from "./spec-changes/classify.mjs";
import { findShortfall, readPendingBumps, writeSpecChangeset } from "./spec-changes/changesets.mjs";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { base: { type: "string" }, root: { type: "string" } } });
const root = path.resolve(values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));

try {
  const base = values.base ? { ref: verifyRef(root, values.base), note: values.base } : findReleaseBase(root);
  const vendors = positionals.length > 0 ? positionals : listVendors(root, base.ref);
  const results = diffVendors(root, base.ref, vendors).filter((result) => result.status === "changed" || result.status === "removed");
  const shortfall = findShortfall(listRequiredReleases(root, results), await readPendingBumps(root));
  if (shortfall.length === 0) {
    console.log(results.length === 0 ? `no spec changed since ${base.note}; no changeset written` : "the pending changesets already cover these spec changes; no changeset written");
    process.exit(0);
  }
  const names = new Set(shortfall.map((entry) => entry.name));
  const file = await writeSpecChangeset(root, {
    releases: shortfall.map(({ name, need }) => ({ name, type: need })),
    results: results.filter((result) => names.has(readPackageName(root, result.vendor) ?? "")),
  });
  for (const { name, need } of shortfall) console.log(`${name}: ${need}`);
  console.log(`wrote ${path.relative(root, file)}: edit its summary for users if needed, then commit it`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
