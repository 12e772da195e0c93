#!/usr/bin/env node
// `npm run check:changesets [--base <git-ref>]` (a step of `npm test`, so CI runs it): every spec
// change since the last release needs a pending changeset (.changeset/*.md) of at least the bump
// `spec:diff` gives it, for the vendor package, and for `tokenkit` when the facade's types follow.
//
// The base: CI runs on a fresh clone of main, which has the whole history but no branch to compare
// with and no release tags. The pending changesets describe everything since the last release, so the
// base is the newest commit that touched .changeset/ and held no pending changeset (`changeset
// version` consumes them; before the first release it is the commit that set changesets up).
// `--base` overrides it, e.g. `--base origin/main` on a pull request.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { diffVendors, findReleaseBase, formatVendorResult, listRequiredReleases, verifyRef } from "./spec-changes/classify.mjs";
import { findShortfall, readPendingBumps } from "./spec-changes/changesets.mjs";

const { values } = parseArgs({ options: { base: { type: "string" }, root: { type: "string" } } });
const root = path.resolve(values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));

try {
  const base = values.base ? { ref: verifyRef(root, values.base), note: values.base } : findReleaseBase(root);
  const results = diffVendors(root, base.ref);
  const required = listRequiredReleases(root, results);
  const shortfall = findShortfall(required, await readPendingBumps(root));
  const changed = results.filter((result) => result.status !== "unchanged");
  if (shortfall.length === 0) {
    const covered = [...required].map(([name, { bump }]) => `${name} ${bump}`).join(", ");
    console.log(`changesets cover every spec change since ${base.note}${covered ? ` (${covered})` : ": no spec changed"}`);
    process.exit(0);
  }
  for (const result of changed) console.error(formatVendorResult(result, base.note));
  console.error("");
  for (const { name, need, have, reasons } of shortfall) {
    console.error(`missing changeset: ${name} needs a ${need} bump (${reasons.join("; ")}); pending: ${have === "none" ? "none" : have}`);
  }
  console.error(`fix: npm run changeset:spec${values.base ? ` -- --base ${values.base}` : ""} (writes .changeset/*.md with these bumps; edit its summary, then commit it)`);
  process.exit(1);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
