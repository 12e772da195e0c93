// §10 Cold import per entry point on Node: a process that imports one entry point (and nothing else)
// vs `node -e ''`, alternated; the figure is the difference of medians in ms.
import { spawnSync } from "node:child_process";
import { median, spread, splitBlocks } from "./stats.mjs";
import { REPO_ROOT, VENDORS } from "./workspace.mjs";

const RUNS = 16;
const BLOCKS = 4;
const ENTRY_POINTS = ["tokenkit", ...VENDORS.map((vendor) => `tokenkit/${vendor}`), ...VENDORS.map((vendor) => `@tokenkit/${vendor}`), "@tokenkit/runtime"];

/** ms from spawn to exit of `node …args` in the repo root (so workspace packages resolve as they do for an app). */
function time(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${run.status}: ${String(run.stderr).split("\n").find((line) => /Error/.test(line)) ?? String(run.stderr).trim().split("\n")[0]}`);
  return ms;
}

/** The entry point's import and the empty script, alternated; the difference of medians and its spread over blocks. */
function compare(entry) {
  const importArgs = ["--input-type=module", "-e", `import * as entry from ${JSON.stringify(entry)}; globalThis.keep = Object.keys(entry).length;`];
  const emptyArgs = ["-e", ""];
  time(importArgs); // warms the OS file cache for this entry's files
  const imported = [];
  const empty = [];
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      imported.push(time(importArgs));
      empty.push(time(emptyArgs));
    } else {
      empty.push(time(emptyArgs));
      imported.push(time(importArgs));
    }
  }
  const emptyBlocks = splitBlocks(empty, BLOCKS);
  const blockDiffs = splitBlocks(imported, BLOCKS).map((block, index) => median(block) - median(emptyBlocks[index]));
  return { over: median(imported) - median(empty), noise: spread(blockDiffs), importMs: median(imported), emptyMs: median(empty) };
}

/** Runs the section; returns its rows and method notes. */
export async function run() {
  // What ESM itself costs over `node -e ''`: the floor under every entry point's figure.
  const esmFloor = compare("node:path");
  const rows = ENTRY_POINTS.map((entry) => {
    const { over, noise, importMs, emptyMs } = compare(entry);
    return {
      measure: `cold import of ${entry}: node importing it − node -e '' (median)`,
      value: over,
      shown: `+${over.toFixed(1)} ms (${importMs.toFixed(1)} ms vs ${emptyMs.toFixed(1)} ms)`,
      target: { op: "<=", limit: 10, shown: "≤ 10 ms over" },
      noise,
      noiseShown: `±${noise.toFixed(1)} ms`,
      baseline: `an ESM script importing node:path: +${esmFloor.over.toFixed(1)} ms`,
    };
  });
  return {
    rows,
    notes: [
      `Cold import per entry point: \`node --input-type=module -e 'import * as entry from "<entry>"; …'\` run in the repo root (resolving the built dist/ through each package's exports, as an installed app would) against \`node -e ''\`, ${RUNS} runs each, alternated, after one unmeasured run that warms the file cache; figure = median of the import runs − median of the empty runs (process start to exit, spawnSync); noise = spread of that difference over ${BLOCKS} blocks. The "compared with" column is the same figure for an ESM script importing only node:path: the part of every figure that is Node's ESM loader, not tokenkit.`,
    ],
  };
}
