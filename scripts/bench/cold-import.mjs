// §10 Cold import per entry point on Node: a process that requires (and one that imports) one entry point
// and nothing else vs `node -e ''`, in rotation; the figure is the difference of medians in ms.
import { spawnSync } from "node:child_process";
import { median, spread, splitBlocks } from "./stats.mjs";
import { REPO_ROOT, VENDORS } from "./workspace.mjs";

const RUNS = 16;
const BLOCKS = 4;
const ENTRY_POINTS = ["tokenkit", ...VENDORS.map((vendor) => `tokenkit/${vendor}`), ...VENDORS.map((vendor) => `@tokenkit/${vendor}`), "@tokenkit/runtime"];

/** ms from spawn to exit of `node …args` in the repo root (so workspace packages resolve as they do for an app). */
function time(args, attempt = 1) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status === 0) return ms;
  const stderr = String(run.stderr);
  // A dist/ being rebuilt (tsup cleans it first) is missing files for a few seconds: wait and measure again.
  if (stderr.includes("ERR_MODULE_NOT_FOUND") && attempt < 4) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10_000);
    return time(args, attempt + 1);
  }
  throw new Error(`node ${args.join(" ")} exited with ${run.status}: ${stderr.split("\n").find((line) => /Error/.test(line)) ?? stderr.trim().split("\n")[0]}`);
}

/** Difference of medians (arm − empty) and its spread over blocks. */
function difference(arm, empty) {
  const emptyBlocks = splitBlocks(empty, BLOCKS);
  const blockDiffs = splitBlocks(arm, BLOCKS).map((block, index) => median(block) - median(emptyBlocks[index]));
  return { over: median(arm) - median(empty), noise: spread(blockDiffs), ms: median(arm) };
}

/**
 * `node -e 'require(entry)'` (the same kind of process as `node -e ''`, plus the entry point), the ESM
 * import of it, and the empty script, in a rotating order.
 */
function compare(entry) {
  const keep = "globalThis.keep = Object.keys(entry).length;";
  const arms = {
    require: ["-e", `const entry = require(${JSON.stringify(entry)}); ${keep}`],
    import: ["--input-type=module", "-e", `import * as entry from ${JSON.stringify(entry)}; ${keep}`],
    empty: ["-e", ""],
  };
  const names = Object.keys(arms);
  for (const name of names) time(arms[name]); // warms the OS file cache for this entry's files
  const samples = { require: [], import: [], empty: [] };
  for (let i = 0; i < RUNS; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      samples[name].push(time(arms[name]));
    }
  }
  return { cjs: difference(samples.require, samples.empty), esm: difference(samples.import, samples.empty), emptyMs: median(samples.empty) };
}

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const rows = ENTRY_POINTS.map((entry) => {
    const { cjs, esm, emptyMs } = compare(entry);
    return {
      measure: `cold import of ${entry}: node -e 'require(…)' − node -e '' (median)`,
      value: cjs.over,
      shown: `+${cjs.over.toFixed(1)} ms (${cjs.ms.toFixed(1)} ms vs ${emptyMs.toFixed(1)} ms)`,
      target: { op: "<=", limit: 10, shown: "≤ 10 ms over" },
      noise: cjs.noise,
      noiseShown: `±${cjs.noise.toFixed(1)} ms`,
      baseline: `as ESM (node --input-type=module -e 'import …'): +${esm.over.toFixed(1)} ms ±${esm.noise.toFixed(1)}`,
    };
  });
  return {
    rows,
    notes: [
      `Cold import per entry point: \`node -e 'const entry = require("<entry>"); …'\` (the CommonJS build) and \`node --input-type=module -e 'import * as entry from "<entry>"; …'\` (the ESM build) run in the repo root, resolving the built dist/ through each package's exports as an installed app would, against \`node -e ''\`; ${RUNS} runs of each, in a rotating order, after one unmeasured run of each that warms the file cache. Figure = median run − median empty run (process start to exit, spawnSync); noise = spread of that difference over ${BLOCKS} blocks. The target is judged on require(), the same kind of process as \`node -e ''\`; the ESM figure includes starting Node's ESM loader, which an ESM entry pays even for \`import "node:path"\`.`,
    ],
  };
}
