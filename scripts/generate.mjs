#!/usr/bin/env node
// `npm run generate [id …]`: lint every spec, then compile each into packages/<id>/src/generated/,
// in this one process, writing only files whose content changed.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GenerateError, renderAll, writeOutputs } from "./lib/generate.mjs";

const args = process.argv.slice(2);
let root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ids = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--root") root = path.resolve(args[++i] ?? ".");
  else ids.push(args[i]);
}

try {
  const started = performance.now();
  const { ids: done, outputs } = await renderAll(root, ids);
  const { written, removed } = await writeOutputs(root, done, outputs);
  for (const rel of written) console.log(`wrote   ${rel}`);
  for (const rel of removed) console.log(`removed ${rel}`);
  const ms = Math.round(performance.now() - started);
  console.log(`generated ${done.length} spec(s): ${written.length} file(s) changed, ${removed.length} removed, ${ms} ms`);
} catch (error) {
  if (error instanceof GenerateError) {
    console.error(error.message);
    console.error("no generated file was changed");
    process.exit(1);
  }
  throw error;
}
