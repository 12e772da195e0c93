#!/usr/bin/env node
// `npm run bench`: measures what tokenkit exists for (single-flight, cached tokens, round-trip
// overhead, bundle size, regeneration, incremental builds) against its targets, prints one Markdown
// table, writes it to bench/results.md, and exits non-zero when a figure misses its target by more
// than the noise the bench itself measured. Options: --only=<n|name>[,…] runs some sections;
// --no-build skips the `turbo run build` that makes sure dist/ is current.
import { fork, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { judgeSections, renderReport, tally } from "./bench/report.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SECTIONS = [
  { number: 1, name: "single-flight", title: "Single-flight" },
  { number: 2, name: "cached-token", title: "Cached getToken()" },
  { number: 3, name: "round-trip", title: "Round-trip overhead" },
  { number: 4, name: "bundle-size", title: "Bundle size" },
  { number: 5, name: "regenerate", title: "Regeneration" },
  { number: 6, name: "incremental-build", title: "Incremental build" },
  { number: 7, name: "runtimes", title: "Cold import per runtime" },
  { number: 8, name: "fleet", title: "Fleet (shared Redis store)" },
  { number: 9, name: "vendor-round-trip", title: "Round trip per vendor" },
  { number: 10, name: "cold-import", title: "Cold import per entry point" },
  { number: 11, name: "hot-path", title: "Hot path (authMiddleware)" },
];

function parseArgs(argv) {
  const options = { only: undefined, build: true };
  for (const arg of argv) {
    if (arg === "--no-build") options.build = false;
    else if (arg.startsWith("--only=")) options.only = arg.slice("--only=".length).split(",").filter(Boolean);
    else {
      console.error(`unknown option ${arg}; use --only=<n|name>[,…] and/or --no-build`);
      process.exit(2);
    }
  }
  return options;
}

function selectSections(only) {
  if (!only) return SECTIONS;
  const chosen = SECTIONS.filter((section) => only.includes(String(section.number)) || only.includes(section.name));
  const known = new Set(SECTIONS.flatMap((section) => [String(section.number), section.name]));
  const unknown = only.filter((key) => !known.has(key));
  if (unknown.length > 0 || chosen.length === 0) {
    console.error(`unknown section(s) ${unknown.join(", ")}; known: ${SECTIONS.map((s) => `${s.number} ${s.name}`).join(", ")}`);
    process.exit(2);
  }
  return chosen;
}

function buildPackages() {
  console.error("bench: turbo run build …");
  const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };
  const run = spawnSync("npx", ["--no-install", "turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  if (run.status !== 0) {
    console.error("bench: the build failed; nothing was measured");
    process.exit(1);
  }
}

/** Longest a section may run before it is stopped and reported as an error. */
const SECTION_TIMEOUT_MS = 6 * 60_000;

/** Runs one section in a child process; resolves to `{ result }` or `{ error }`. */
function runSection(section) {
  return new Promise((resolve) => {
    let settled = false;
    const child = fork(path.join(root, "scripts", "bench", "section.mjs"), [section.name], { cwd: root, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const timer = setTimeout(() => {
      settled = true;
      child.kill();
      resolve({ error: `stopped after ${SECTION_TIMEOUT_MS / 60_000} minutes without a result` });
    }, SECTION_TIMEOUT_MS);
    child.once("message", (message) => {
      settled = true;
      resolve(message.ok ? { result: message.result } : { error: message.error });
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (!settled) resolve({ error: `the section's process exited (${signal ?? `code ${code}`}) without a result` });
    });
  });
}

const options = parseArgs(process.argv.slice(2));
const chosen = selectSections(options.only);
if (options.build) buildPackages();

const [cpu] = cpus();
const environment = {
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  machine: `Node ${process.version}, ${cpus().length} × ${cpu?.model?.trim() ?? "unknown CPU"}, ${process.platform}/${process.arch}, load average ${loadavg()[0].toFixed(2)} at start`,
};
const measured = [];
for (const section of chosen) {
  console.error(`bench: ${section.number}. ${section.title} …`);
  const started = Date.now();
  const outcome = await runSection(section);
  if (outcome.error) console.error(`bench: ${section.title} failed:\n${outcome.error}`);
  measured.push({ ...section, ...outcome, ms: Date.now() - started });
}

const sections = judgeSections(measured);
const partial = options.only ? chosen.map((section) => section.number).join(", ") : undefined;
const report = renderReport({ sections, environment, partial });
mkdirSync(path.join(root, "bench"), { recursive: true });
writeFileSync(path.join(root, "bench", "results.md"), report);
console.log(report);
const counts = tally(sections);
const failed = counts.MISS + counts.ERROR;
console.error(`bench: ${failed === 0 ? "every target met (or within noise)" : `${counts.MISS} target(s) missed beyond noise, ${counts.ERROR} section error(s)`}; wrote bench/results.md`);
process.exit(failed === 0 ? 0 : 1);
