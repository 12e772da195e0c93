// Spec changes, classified for semver. api-smart-diff finds and classifies the differences between two
// OpenAPI documents (it resolves $refs, so a change to a shared schema shows up under every operation
// that uses it); this module only maps its findings to a semver bump for a *generated typed client*,
// where a few of its calls differ: a response field that disappears or becomes optional breaks code
// that reads it, a request field that disappears breaks code that sends it (excess-property checks),
// and a narrowed enum anywhere breaks comparisons against the removed value.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { apiCompare } from "api-smart-diff";
import { parse } from "yaml";

/** Semver bumps, weakest first. */
export const BUMPS = ["none", "patch", "minor", "major"];
const KIND = { major: "breaking", minor: "feature", patch: "docs" };
const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
// Component kinds whose changes api-smart-diff already reports at each operation that uses them.
const INLINED_COMPONENTS = new Set(["schemas", "parameters", "responses", "requestBodies", "headers", "examples", "links", "callbacks", "pathItems"]);

/** The stronger of two bumps. */
export function maxBump(a, b) {
  return BUMPS.indexOf(a) >= BUMPS.indexOf(b) ? a : b;
}

/** Whether `have` is at least `need`. */
export function coversBump(have, need) {
  return BUMPS.indexOf(have) >= BUMPS.indexOf(need);
}

/** Follows the document along `jsonPath`, resolving local $refs at every step (api-smart-diff's paths are dereferenced). */
function readAt(doc, jsonPath) {
  let node = doc;
  for (const key of jsonPath) {
    node = resolveRef(doc, node);
    if (node === null || typeof node !== "object") return undefined;
    node = node[key];
  }
  return resolveRef(doc, node);
}

function resolveRef(doc, node) {
  for (let hops = 0; node && typeof node === "object" && typeof node.$ref === "string" && node.$ref.startsWith("#/") && hops < 32; hops++) {
    node = node.$ref
      .slice(2)
      .split("/")
      .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
      .reduce((parent, key) => (parent && typeof parent === "object" ? parent[key] : undefined), doc);
  }
  return node;
}

/** Names of the components reachable from `paths` (and root security), following $refs transitively. */
function listReferencedComponents(doc) {
  const seen = new Set();
  const visit = (node) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== "object") return;
    if (typeof node.$ref === "string" && node.$ref.startsWith("#/components/")) {
      const [kind, name] = node.$ref.slice("#/components/".length).split("/");
      const key = `${kind}/${name}`;
      if (!seen.has(key)) {
        seen.add(key);
        visit(doc.components?.[kind]?.[name]);
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  visit(doc.paths);
  return seen;
}

function short(value) {
  if (value === undefined) return "";
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** A readable place: `GET /token › parameter query foo` or `response 200 › expires_at › type`. */
function describePlace(before, after, jsonPath, removed) {
  if (jsonPath[0] !== "paths" || jsonPath.length < 2) return jsonPath.join(".");
  const parts = [];
  const route = jsonPath[1];
  if (jsonPath.length === 2) return route;
  const method = String(jsonPath[2]);
  parts.push(METHODS.has(method) ? `${method.toUpperCase()} ${route}` : `${route} › ${method}`);
  const rest = jsonPath.slice(3);
  let field = "";
  const flush = () => {
    if (field) parts.push(field);
    field = "";
  };
  for (let i = 0; i < rest.length; i++) {
    const key = rest[i];
    const prefix = jsonPath.slice(0, 3 + i);
    if (key === "parameters" && i + 1 < rest.length) {
      const at = [...prefix, key, rest[i + 1]];
      const parameter = removed ? (readAt(before, at) ?? readAt(after, at)) : (readAt(after, at) ?? readAt(before, at));
      parts.push(parameter?.name ? `parameter ${parameter.in ?? ""} ${parameter.name}`.replace("  ", " ") : `parameter #${rest[i + 1]}`);
      i++;
    } else if (key === "requestBody") parts.push("request body");
    else if (key === "responses" && i + 1 < rest.length) {
      parts.push(`response ${rest[i + 1]}`);
      i++;
    } else if (key === "content" && i + 1 < rest.length) {
      if (rest[i + 1] !== "application/json") parts.push(String(rest[i + 1]));
      i++;
    } else if (key === "schema") continue;
    else if (key === "properties" && i + 1 < rest.length) {
      field = field ? `${field}.${rest[i + 1]}` : String(rest[i + 1]);
      i++;
    } else if (key === "items") field = `${field}[]`;
    else {
      flush();
      parts.push(String(key));
    }
  }
  flush();
  return parts.join(" › ");
}

function describeAction({ action, before, after }) {
  if (action === "add") return `added ${short(after)}`;
  if (action === "remove") return `removed ${short(before)}`;
  if (action === "rename") return `renamed ${short(before)} → ${short(after)}`;
  return `changed ${short(before)} → ${short(after)}`;
}

/** The library's own call, as a bump; "unclassified" is treated as breaking rather than let through. */
function fromLibrary(type) {
  if (type === "breaking" || type === "unclassified") return "major";
  if (type === "non-breaking" || type === "deprecated") return "minor";
  return "patch";
}

/** The hand-written part: one api-smart-diff finding → the bump a generated client needs. */
export function classifyDiff(diff) {
  const jsonPath = diff.path.map(String);
  const last = jsonPath.at(-1);
  const parent = jsonPath.at(-2);
  if (jsonPath.some((key) => key.startsWith("x-"))) return "patch";
  if (["info", "tags", "externalDocs", "jsonSchemaDialect"].includes(jsonPath[0])) return "patch";
  if (jsonPath[0] === "servers") {
    // The first server is the client's default base URL: changing or removing it moves existing callers.
    if (last === "url" || (jsonPath.length <= 2 && diff.action !== "add")) return "major";
    return diff.action === "add" && jsonPath.length === 2 ? "minor" : "patch";
  }
  if (jsonPath[0] === "components" && jsonPath[1] === "securitySchemes") {
    if (jsonPath.length === 3 && diff.action === "add") return "minor";
    if (last === "description") return "patch";
    return "major";
  }
  const securityAt = jsonPath[0] === "security" ? 0 : jsonPath[0] === "paths" && jsonPath[3] === "security" ? 3 : -1;
  if (securityAt >= 0) {
    // A new alternative requirement is additive; anything else changes what a caller must send.
    return diff.action === "add" && jsonPath.length === securityAt + 2 ? "minor" : "major";
  }
  if (parent === "enum" && diff.action === "remove") return "major";
  if (jsonPath[0] === "paths" && jsonPath.length > 3) {
    const inResponse = jsonPath[3] === "responses";
    const inRequest = jsonPath[3] === "requestBody" || jsonPath[3] === "parameters";
    if (diff.action === "remove" && parent === "properties" && (inResponse || inRequest)) return "major";
    if (diff.action === "remove" && parent === "required" && inResponse) return "major";
    // api-smart-diff's verdict on a `type` change varies with its neighbours; decide it here: only
    // a request type that accepts everything it did before is additive.
    if (last === "type" && parent !== "properties" && (inResponse || inRequest)) {
      const before = new Set([diff.before ?? []].flat());
      const after = new Set([diff.after ?? []].flat());
      const widened = diff.action !== "add" && [...before].every((type) => after.has(type));
      return inRequest && widened ? "minor" : "major";
    }
    // A format constrains what a request may send and promises what a response holds.
    if (last === "format" && parent !== "properties" && (inResponse || inRequest)) {
      const tightens = inRequest ? diff.action !== "remove" : diff.action !== "add";
      return tightens ? "major" : "minor";
    }
  }
  return fromLibrary(diff.type);
}

/**
 * Compares two OpenAPI documents (parsed) and lists every change with its bump, plus the overall bump.
 * @returns {{ bump: string, changes: { bump: string, kind: string, place: string, what: string }[] }}
 */
export function diffSpecs(before, after) {
  const { diffs } = apiCompare(structuredClone(before), structuredClone(after));
  const referenced = new Set([...listReferencedComponents(before), ...listReferencedComponents(after)]);
  const changes = [];
  const seen = new Set();
  for (const diff of diffs) {
    const jsonPath = diff.path.map(String);
    if (jsonPath[0] === "components" && INLINED_COMPONENTS.has(jsonPath[1]) && jsonPath.length >= 3 && referenced.has(`${jsonPath[1]}/${jsonPath[2]}`)) continue;
    const bump = classifyDiff(diff);
    const change = { bump, kind: KIND[bump], place: describePlace(before, after, jsonPath, diff.action === "remove"), what: describeAction(diff) };
    const key = `${change.bump}|${change.place}|${change.what}`;
    if (seen.has(key)) continue;
    seen.add(key);
    changes.push(change);
  }
  changes.sort((a, b) => BUMPS.indexOf(b.bump) - BUMPS.indexOf(a.bump));
  return { bump: changes.reduce((bump, change) => maxBump(bump, change.bump), "none"), changes };
}

/** Runs git in `root`, returning stdout, or undefined when git fails (unknown ref, missing file). */
function git(root, args) {
  try {
    return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return undefined;
  }
}

/** Vendor ids: one per specs/<id>.yaml, in the working tree or at `ref`. */
export function listVendors(root, ref) {
  const now = readdirSync(path.join(root, "specs")).filter((name) => name.endsWith(".yaml")).map((name) => name.slice(0, -5));
  const then = ref ? (git(root, ["ls-tree", "--name-only", `${ref}:specs`]) ?? "").split("\n").filter((name) => name.endsWith(".yaml")).map((name) => name.slice(0, -5)) : [];
  return [...new Set([...now, ...then])].sort();
}

/** Checks that `ref` names a commit; throws a message naming the ref otherwise. */
export function verifyRef(root, ref) {
  const sha = git(root, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])?.trim();
  if (!sha) throw new Error(`spec-diff: --base ${JSON.stringify(ref)} is not a commit in ${root}`);
  return sha;
}

/**
 * The release point the pending changesets are counted from: the newest commit that touched
 * .changeset/ and held no pending changeset (a `changeset version` commit, or the commit that set
 * changesets up). Every spec change after it needs a changeset in .changeset/ now.
 * @returns {{ ref: string, note: string }}
 */
export function findReleaseBase(root) {
  const commits = (git(root, ["log", "--format=%H", "--", ".changeset"]) ?? "").split("\n").filter(Boolean);
  for (const commit of commits) {
    const files = (git(root, ["ls-tree", "--name-only", `${commit}:.changeset`]) ?? "").split("\n");
    if (!files.some((name) => name.endsWith(".md") && name !== "README.md")) {
      return { ref: commit, note: `the last commit with no pending changeset (${commit.slice(0, 7)})` };
    }
  }
  // A shallow clone may not reach that commit: compare with the oldest commit it has.
  const oldest = (git(root, ["rev-list", "--max-parents=0", "HEAD"]) ?? git(root, ["rev-list", "--reverse", "HEAD"]) ?? "").split("\n").filter(Boolean)[0];
  if (!oldest) throw new Error("spec-diff: not a git repository with commits; pass --base <git-ref>");
  return { ref: oldest, note: `the oldest commit in this clone (${oldest.slice(0, 7)}; no release point found)` };
}

/** The spec as committed at `ref` (parsed), or undefined when it did not exist there. */
export function readSpecAt(root, ref, vendor) {
  const text = git(root, ["show", `${ref}:specs/${vendor}.yaml`]);
  return text === undefined ? undefined : parse(text);
}

/** The spec in the working tree (parsed), or undefined when it is gone. */
export function readSpecNow(root, vendor) {
  const file = path.join(root, "specs", `${vendor}.yaml`);
  return existsSync(file) ? parse(readFileSync(file, "utf8")) : undefined;
}

/**
 * Each vendor's spec changes between `ref` and the working tree.
 * @returns {{ vendor: string, status: "changed" | "unchanged" | "added" | "removed", bump: string, changes: object[] }[]}
 */
export function diffVendors(root, ref, vendors = listVendors(root, ref)) {
  return vendors.map((vendor) => {
    const before = readSpecAt(root, ref, vendor);
    const after = readSpecNow(root, vendor);
    if (!before && !after) throw new Error(`spec-diff: no spec specs/${vendor}.yaml in the working tree or at ${ref}`);
    if (!before) return { vendor, status: "added", bump: "none", changes: [] };
    if (!after) return { vendor, status: "removed", bump: "major", changes: [{ bump: "major", kind: "breaking", place: `specs/${vendor}.yaml`, what: "removed" }] };
    const { bump, changes } = diffSpecs(before, after);
    return { vendor, status: changes.length > 0 ? "changed" : "unchanged", bump, changes };
  });
}

/** The npm name of a workspace package, or undefined when packages/<dir> has none. */
export function readPackageName(root, dir) {
  const file = path.join(root, "packages", dir, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).name : undefined;
}

/** Whether the facade (packages/tokenkit) exposes this vendor's generated types, so its own types change with the spec. */
export function facadeUsesVendorTypes(root, vendor) {
  const vendorName = readPackageName(root, vendor);
  const src = path.join(root, "packages", "tokenkit", "src");
  if (!vendorName || !existsSync(src)) return false;
  const pattern = new RegExp(`import\\s*(type\\s*)?\\{[^}]*\\b(paths|components|operations)\\b[^}]*\\}\\s*from\\s*["']${vendorName.replace(/[/@.-]/g, "\\$&")}["']`);
  const files = readdirSync(src, { recursive: true }).filter((name) => String(name).endsWith(".ts"));
  return files.some((name) => pattern.test(readFileSync(path.join(src, String(name)), "utf8")));
}

/**
 * The changesets a set of spec changes needs: the vendor package at the spec's bump, and the facade
 * at the same bump when its types follow the vendor's (any change beyond docs).
 * @returns {Map<string, { bump: string, reasons: string[] }>} package name → bump needed
 */
export function listRequiredReleases(root, results) {
  const required = new Map();
  const add = (name, bump, reason) => {
    const entry = required.get(name) ?? { bump: "none", reasons: [] };
    entry.bump = maxBump(entry.bump, bump);
    entry.reasons.push(reason);
    required.set(name, entry);
  };
  for (const { vendor, bump } of results) {
    if (bump === "none") continue;
    const name = readPackageName(root, vendor);
    if (!name) continue;
    add(name, bump, `specs/${vendor}.yaml: ${KIND[bump]} change`);
    if (BUMPS.indexOf(bump) >= BUMPS.indexOf("minor") && facadeUsesVendorTypes(root, vendor)) {
      add(readPackageName(root, "tokenkit") ?? "tokenkit", bump, `its types include ${name}'s (specs/${vendor}.yaml: ${KIND[bump]} change)`);
    }
  }
  return required;
}

/** Formats one vendor's result for a terminal. */
export function formatVendorResult({ vendor, status, bump, changes }, baseLabel) {
  if (status === "added") return `${vendor}: new spec since ${baseLabel} (first release, nothing to compare)`;
  if (status === "unchanged") return `${vendor}: no change since ${baseLabel}`;
  const lines = [`${vendor}: ${bump} (${KIND[bump]}), ${changes.length} change(s) since ${baseLabel}`];
  for (const change of changes) lines.push(`  ${change.kind.padEnd(8)} ${change.bump.padEnd(5)}  ${change.place}: ${change.what}`);
  return lines.join("\n");
}
