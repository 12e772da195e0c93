#!/usr/bin/env node
// `npm run check:generated`: regenerate in memory and fail, naming each stale file, when the
// committed output differs from what the specs produce.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GenerateError, renderAll } from "./lib/generate.mjs";

const args = process.argv.slice(2);
const rootIndex = args.indexOf("--root");
const root = rootIndex >= 0 ? path.resolve(args[rootIndex + 1] ?? ".") : path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

let result;
try {
  result = await renderAll(root);
} catch (error) {
  if (error instanceof GenerateError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
const stale = [];
for (const [rel, content] of result.outputs) {
  const committed = await readFile(path.join(root, rel), "utf8").catch(() => undefined);
  if (committed === undefined) stale.push(`${rel} (missing)`);
  else if (committed !== content) stale.push(`${rel} (differs from its spec)`);
}
for (const id of result.ids) {
  const dir = path.join("packages", id, "src", "generated");
  for (const name of await readdir(path.join(root, dir)).catch(() => [])) {
    if (!result.outputs.has(path.join(dir, name))) stale.push(`${path.join(dir, name)} (not produced by any spec)`);
  }
}
if (stale.length > 0) {
  console.error(`generated code is stale:\n${stale.map((s) => `  ${s}`).join("\n")}\nfix: npm run generate (then commit the result)`);
  process.exit(1);
}
console.log(`generated code is current (${result.outputs.size} files from ${result.ids.length} specs)`);
