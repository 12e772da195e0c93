#!/usr/bin/env node
// `npm run new-vendor <id>`: scaffold specs/<id>.yaml and packages/<id>/ once. After that both are
// hand-owned; the generator only ever writes packages/<id>/src/generated/.
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const TEMPLATES = path.join(here, "templates");
const ID_PATTERN = /^[a-z][a-z0-9-]*$/;

const args = process.argv.slice(2);
let root = path.resolve(here, "..");
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--root") root = path.resolve(args[++i] ?? ".");
  else positional.push(args[i]);
}

function fail(message) {
  console.error(`new-vendor: ${message}\nnothing was written`);
  process.exit(1);
}

if (positional.length !== 1) fail(`expected exactly one vendor id, e.g. \`npm run new-vendor acme\`; received ${positional.length}`);
const id = positional[0];
if (!ID_PATTERN.test(id)) fail(`vendor id must be lowercase [a-z][a-z0-9-]*; received ${JSON.stringify(id)}`);
const specPath = path.join(root, "specs", `${id}.yaml`);
const packageDir = path.join(root, "packages", id);
const existing = [specPath, packageDir].filter((p) => existsSync(p)).map((p) => path.relative(root, p));
if (existing.length > 0) fail(`vendor "${id}" already exists (${existing.join(", ")}); its files are hand-owned now`);

async function listTemplateFiles(dir, prefix = "") {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) files.push(...(await listTemplateFiles(path.join(dir, entry.name), rel)));
    else files.push(rel);
  }
  return files;
}

const fill = (text) => text.replaceAll("__ID__", id);
const planned = [[specPath, fill(await readFile(path.join(TEMPLATES, "spec.yaml"), "utf8"))]];
for (const rel of await listTemplateFiles(path.join(TEMPLATES, "vendor"))) {
  planned.push([path.join(packageDir, rel), fill(await readFile(path.join(TEMPLATES, "vendor", rel), "utf8"))]);
}
for (const [target, content] of planned) {
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content, { flag: "wx" });
  console.log(`created ${path.relative(root, target)}`);
}
// The README's "Adding a vendor" lists the same steps (test/new-vendor.test.ts holds them to it).
const steps = [
  [`edit specs/${id}.yaml`, "the vendor's token endpoints; then the auth map in src/index.ts and test/client.test.ts to match"],
  ["npm install", "links the new workspace"],
  [`npm run generate ${id}`, `lint the spec, write packages/${id}/src/generated/`],
  ["npm run build", "builds what is stale, the new package included"],
  ["npm test", `every check, with @tokenkit/${id}'s wire test against a loopback server`],
];
console.log(`\nnext steps:\n${steps.map(([step, why], i) => `  ${i + 1}. ${step.padEnd(28)} # ${why}`).join("\n")}`);
