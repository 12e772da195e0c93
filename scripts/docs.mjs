#!/usr/bin/env node
// `npm run docs`: the API reference of every public package (packages/*/package.json without
// `private`), one TypeDoc project per package from the source files its exports map points at, merged
// into one site at docs/api/. Warnings are errors, and every exported symbol must carry a doc comment
// (validation.notDocumented), so CI (a step of `npm test`) fails on an undocumented export.
// `--check` converts and validates without rendering HTML.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Application, OptionDefaults } from "typedoc";

const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, out: { type: "string" } } });
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(values.out ?? path.join(root, "docs", "api"));
const jsonDir = path.join(root, "node_modules", ".cache", "tokenkit-docs");

// Shared by every package's conversion; rendering options only matter for the merge.
const STRICT = {
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  excludePrivate: true,
  excludeInternal: true,
  // No git remote to link sources to; the reference links nothing it cannot resolve.
  disableSources: true,
  // The generated types (openapi-typescript's paths, components, operations) mirror the spec, which
  // ships as each vendor package's openapi.json; the reference documents the hand-written API.
  // openapi-typescript writes the spec's descriptions as @description.
  blockTags: [...OptionDefaults.blockTags, "@description"],
  // Packages document their own symbols; a link to the facade's (TokenStore, …) goes to its README.
  externalSymbolLinkMappings: { tokenkit: { "*": "https://github.com/tokenkit/tokenkit/tree/main/packages/tokenkit#readme" } },
  // Every exported symbol carries a doc comment; members are documented where they need it.
  requiredToBeDocumented: ["Enum", "Variable", "Function", "Class", "Interface", "TypeAlias", "Namespace"],
  // `npm run typecheck` type-checks; TypeDoc only reads.
  skipErrorChecking: true,
  logLevel: "Warn",
};

// @tokenkit/mindbody's createClient narrows `paths` to one site (SiteScopedPaths); callers use its result, never the name.
const INTERNAL_TYPES = { "@tokenkit/mindbody": ["SiteScopedPaths"] };

/** Public packages, each with the source entry behind every JavaScript file its exports map names. */
function listPackages() {
  return readdirSync(path.join(root, "packages"))
    .map((dir) => path.join(root, "packages", dir))
    .filter((dir) => existsSync(path.join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true)
    .map(({ dir, manifest }) => {
      const targets = JSON.stringify(manifest.exports ?? {}).match(/"\.\/dist\/[^"]+\.js"/g) ?? [];
      const entries = [...new Set(targets.map((target) => JSON.parse(target).replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")))];
      return { dir, name: manifest.name, entries: entries.filter((entry) => existsSync(path.join(dir, entry))) };
    });
}

async function convertPackage({ dir, name, entries }) {
  const app = await Application.bootstrapWithPlugins({
    ...STRICT,
    name,
    entryPoints: entries.map((entry) => path.join(dir, entry)),
    entryPointStrategy: "resolve",
    tsconfig: path.join(dir, "tsconfig.json"),
    readme: existsSync(path.join(dir, "README.md")) ? path.join(dir, "README.md") : "none",
    // A vendor package re-exports its generated types (openapi-typescript's paths, components,
    // operations); they mirror the spec, which ships beside them as openapi.json.
    intentionallyNotDocumented: existsSync(path.join(dir, "src", "generated")) ? ["paths", "components", "operations"] : [],
    // Helper types that appear in a signature but are deliberately not part of the package's API.
    intentionallyNotExported: INTERNAL_TYPES[name] ?? [],
  });
  const project = await app.convert();
  if (!project) return { ok: false };
  app.validate(project);
  const ok = !app.logger.hasErrors() && !app.logger.hasWarnings();
  const file = path.join(jsonDir, `${path.basename(dir)}.json`);
  await app.generateJson(project, file);
  return { ok, file };
}

const packages = listPackages();
rmSync(jsonDir, { recursive: true, force: true });
mkdirSync(jsonDir, { recursive: true });
const failed = [];
const files = [];
for (const pkg of packages) {
  if (pkg.entries.length === 0) {
    console.error(`docs: ${pkg.name} has no source entry behind its exports map`);
    failed.push(pkg.name);
    continue;
  }
  const { ok, file } = await convertPackage(pkg);
  if (!ok) failed.push(pkg.name);
  if (file) files.push(file);
}
if (failed.length > 0) {
  console.error(`docs: TypeDoc reported problems in ${failed.join(", ")}; fix them (a one-line /** … */ per exported symbol) and run \`npm run docs\` again`);
  process.exit(1);
}
if (!values.check) {
  const app = await Application.bootstrapWithPlugins({ ...STRICT, name: "tokenkit", entryPoints: files, entryPointStrategy: "merge", readme: path.join(root, "README.md") });
  const project = await app.convert();
  if (!project || app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
  await app.generateDocs(project, out);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
}
console.log(`docs: ${packages.length} package(s) documented${values.check ? " (checked, not rendered)" : ` in ${path.relative(root, out)}/`}: ${packages.map((pkg) => pkg.name).join(", ")}`);
