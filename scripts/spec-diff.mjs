#!/usr/bin/env node
// `npm run spec:diff [vendor…] [--base <git-ref>]`: each spec against its committed version (HEAD by
// default), every change printed with its class (breaking → major, feature → minor, docs → patch).
// Exit code 0 whatever changed; it reports, `npm run check:changesets` enforces.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { diffVendors, formatVendorResult, listVendors, verifyRef } from "./spec-changes/classify.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { base: { type: "string", default: "HEAD" }, root: { type: "string" }, json: { type: "boolean", default: false } },
});
const root = path.resolve(values.root ?? path.join(path.dirname(fileURLToPath(import.meta.url)), ".."));

try {
  verifyRef(root, values.base);
  const vendors = positionals.length > 0 ? positionals : listVendors(root, values.base);
  const results = diffVendors(root, values.base, vendors);
  if (values.json) console.log(JSON.stringify(results, null, 2));
  else for (const result of results) console.log(formatVendorResult(result, values.base));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
