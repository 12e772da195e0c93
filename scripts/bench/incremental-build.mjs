// §6 Incremental build: in a scratch clone of the working tree, a no-op `turbo run build` must be a
// full cache hit, and after editing one spec and regenerating only that vendor, tokenkit and the
// sandbox may rebuild.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { cloneWorkingTree, removeTempDir } from "./workspace.mjs";

const EDITED_VENDOR = "sftpgo";
/** Packages allowed to rebuild after an edit of the vendor's spec. */
const ALLOWED = new Set([`@tokenkit/${EDITED_VENDOR}`, "tokenkit", "@tokenkit/sandbox"]);
// No inherited TURBO_* settings: a shared TURBO_CACHE_DIR or TURBO_FORCE would void the measurement.
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("TURBO_"))),
  TURBO_TELEMETRY_DISABLED: "1",
  DO_NOT_TRACK: "1",
  REDOCLY_TELEMETRY: "off",
};

function listRuns(clone) {
  const dir = path.join(clone, ".turbo", "runs");
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** One `turbo run build --summarize` in the clone: wall ms and each task's cache status. */
function runTurboBuild(clone) {
  const before = new Set(listRuns(clone));
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [path.join(clone, "node_modules", "turbo", "bin", "turbo"), "run", "build", "--summarize", "--output-logs=errors-only", "--cache-dir=.turbo/cache"], {
    cwd: clone,
    env: ENV,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`turbo run build failed in the clone (${clone}):\n${(run.stdout + run.stderr).slice(-3000)}`);
  const summaryFile = listRuns(clone).find((name) => !before.has(name));
  if (!summaryFile) throw new Error("turbo run build --summarize wrote no run summary");
  const summary = JSON.parse(readFileSync(path.join(clone, ".turbo", "runs", summaryFile), "utf8"));
  const tasks = summary.tasks.map((task) => ({ id: task.taskId, pkg: task.package, hit: task.cache?.status === "HIT" }));
  return { wallMs, tasks, hits: tasks.filter((task) => task.hit).length };
}

/**
 * Adds a sentence to the spec's `info.description` with a minimal text edit (the rest of the file
 * stays byte-identical), and checks that nothing else in the parsed document changed.
 */
function editDescription(clone, vendor) {
  const file = path.join(clone, "specs", `${vendor}.yaml`);
  const text = readFileSync(file, "utf8");
  const lines = text.split("\n");
  const header = lines.findIndex((line, i) => /^ {2}description:/.test(line) && lines.slice(0, i).some((l) => /^info:\s*$/.test(l)));
  if (header < 0) throw new Error(`specs/${vendor}.yaml has no info.description to edit`);
  const sentence = "Edited by the incremental-build benchmark.";
  if (/^ {2}description: *[|>][-+]?\s*$/.test(lines[header])) {
    const indent = /^(\s*)/.exec(lines[header + 1] ?? "")[1] || "    ";
    lines.splice(header + 1, 0, `${indent}${sentence}`, indent.trimEnd());
  } else {
    lines[header] = lines[header].replace(/\s*$/, "") + ` ${sentence}`;
  }
  const edited = lines.join("\n");
  const before = parse(text);
  const after = parse(edited);
  if (after.info.description === before.info.description) throw new Error("the description edit did not change info.description");
  after.info.description = before.info.description;
  if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error("the description edit changed more than info.description");
  writeFileSync(file, edited);
}

function regenerate(clone) {
  const run = spawnSync(process.execPath, [path.join(clone, "scripts", "generate.mjs")], { cwd: clone, env: ENV, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run generate failed in the clone:\n${run.stdout}\n${run.stderr}`);
  return run.stdout.split("\n").filter((line) => line.startsWith("wrote ")).map((line) => line.slice("wrote ".length).trim());
}

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const clone = cloneWorkingTree("incremental");
  try {
    const cold = runTurboBuild(clone);
    const warm = runTurboBuild(clone);
    editDescription(clone, EDITED_VENDOR);
    const written = regenerate(clone);
    const edited = runTurboBuild(clone);

    const rebuilt = [...new Set(edited.tasks.filter((task) => !task.hit).map((task) => task.pkg))].sort();
    const unexpected = rebuilt.filter((pkg) => !ALLOWED.has(pkg));
    const missed = edited.tasks.filter((task) => !task.hit).map((task) => task.id).sort();
    // The edit must reach the vendor's build and the facade's, or the cache is hiding a change.
    const propagated = [`@tokenkit/${EDITED_VENDOR}#build`, "tokenkit#build"].every((id) => missed.includes(id));
    return {
      rows: [
        {
          measure: "turbo run build, second (no-op) run: cache hits",
          value: warm.hits,
          shown: `${warm.hits}/${warm.tasks.length} cached in ${seconds(warm.wallMs)} (cold build: ${seconds(cold.wallMs)}, ${cold.hits}/${cold.tasks.length} cached)`,
          target: { op: "=", limit: warm.tasks.length, shown: `${warm.tasks.length}/${warm.tasks.length} (full hit)` },
          noise: 0,
        },
        {
          measure: `after editing specs/${EDITED_VENDOR}.yaml + regenerate: packages rebuilt other than ${EDITED_VENDOR}, tokenkit, sandbox`,
          value: propagated ? unexpected.length : Number.NaN,
          shown: `${unexpected.length}${unexpected.length ? ` (${unexpected.join(", ")})` : ""} — ${edited.hits}/${edited.tasks.length} cached in ${seconds(edited.wallMs)}; re-ran: ${missed.join(", ") || "nothing"}${propagated ? "" : " — the edit did NOT reach the vendor and facade builds"}`,
          target: { op: "=", limit: 0, shown: "0" },
          noise: 0,
          baseline: `no cache: all ${edited.tasks.length} tasks, ${seconds(cold.wallMs)}`,
        },
      ],
      notes: [
        `Incremental build: the working tree (uncommitted changes included) copied to a scratch dir without node_modules/.turbo/dist/.git, node_modules made of symlinks into the real install (workspace links pointed at the copy's own packages), so the real repo's .turbo cache is never read or written. \`turbo run build --summarize\` three times: cold, no-op, and after adding a sentence to \`info.description\` of specs/${EDITED_VENDOR}.yaml and running the generator (it rewrote: ${written.join(", ") || "nothing"}). Cache status per task from turbo's run summary.`,
      ],
    };
  } finally {
    if (!process.env.BENCH_KEEP_TMP) removeTempDir(clone);
  }
}
