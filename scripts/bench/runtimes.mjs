// §7 Cold import per runtime: how much longer a script that imports the facade takes than an empty
// script in the same runtime, for every runtime of the matrix that can start here (found as the
// matrix finds them: packages/runtime-matrix/locate.mjs). The facade is `tokenkit` (all five vendors)
// bundled once by esbuild from the built dist/, so every runtime loads the same code from one file.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { build } from "esbuild";
import { locateRuntime, RUNTIMES } from "../../packages/runtime-matrix/locate.mjs";
import { median, spread, splitBlocks } from "./stats.mjs";
import { makeTempDir, removeTempDir, REPO_ROOT } from "./workspace.mjs";

const PROCESS_RUNS = 20;
const WORKER_RUNS = 6;
const PAGE_RUNS = 15;
const BLOCKS = 4;
// Kept alive so no bundler drops it: evaluating the module is the cost being measured.
const FACADE_ENTRY = 'import * as tokenkit from "tokenkit";\nglobalThis.tokenkitLoaded = Object.keys(tokenkit).length;\n';

async function bundleFacade(platform) {
  const result = await build({
    stdin: { contents: FACADE_ENTRY, resolveDir: REPO_ROOT, loader: "js" },
    bundle: true,
    format: "esm",
    target: "es2022",
    platform,
    ...(platform === "neutral" ? { conditions: ["workerd", "worker", "browser"], mainFields: ["browser", "module", "main"] } : {}),
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0].text;
}

/** Runs `measure(arm)` for both arms in alternation; the ratio of medians and its spread over blocks. */
async function compare(runs, measure) {
  const facade = [];
  const empty = [];
  await measure("empty"); // the first start warms the OS file cache for both arms alike
  for (let i = 0; i < runs; i++) {
    for (const arm of i % 2 === 0 ? ["facade", "empty"] : ["empty", "facade"]) (arm === "facade" ? facade : empty).push(await measure(arm));
  }
  const emptyBlocks = splitBlocks(empty, BLOCKS);
  const blocks = splitBlocks(facade, BLOCKS).map((block, index) => median(block) / median(emptyBlocks[index]));
  return { ratio: median(facade) / median(empty), noise: spread(blocks), facadeMs: median(facade), emptyMs: median(empty) };
}

function measureProcess(runtime, folder) {
  return (arm) => {
    const file = path.join(folder, `${arm}.mjs`);
    const started = process.hrtime.bigint();
    const run = spawnSync(runtime.command, runtime.args(file), { cwd: folder, stdio: "ignore", env: { PATH: process.env.PATH, HOME: process.env.HOME, DENO_NO_UPDATE_CHECK: "1" } });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (run.status !== 0) throw new Error(`${runtime.command} ${arm}.mjs exited with ${run.status}`);
    return ms;
  };
}

async function measureWorkerd(runtime) {
  const { Miniflare } = await import("miniflare");
  const scripts = {
    facade: `${await bundleFacade("neutral")}\nexport default { fetch: () => new Response(String(globalThis.tokenkitLoaded)) };`,
    empty: "export default { fetch: () => new Response('0') };",
  };
  // Start to first answer: workerd loads the module when the worker starts.
  return compare(WORKER_RUNS, async (arm) => {
    const started = process.hrtime.bigint();
    const worker = new Miniflare({ modules: true, script: scripts[arm], compatibilityDate: runtime.compatibilityDate });
    try {
      const answer = await (await worker.dispatchFetch("http://bench.invalid/")).text();
      if (arm === "facade" && !(Number(answer) > 0)) throw new Error("the facade did not load in workerd");
      return Number(process.hrtime.bigint() - started) / 1e6;
    } finally {
      await worker.dispose();
    }
  });
}

async function measureChromium(runtime) {
  const { chromium } = await import("playwright-core");
  const scripts = { facade: await bundleFacade("browser"), empty: "globalThis.tokenkitLoaded = 0;\n" };
  const server = createServer((request, response) => {
    const arm = request.url?.slice(1).replace(/\.js$/, "");
    if (request.url?.endsWith(".js") && arm in scripts) {
      response.writeHead(200, { "content-type": "text/javascript", "cache-control": "no-store" }).end(scripts[arm]);
      return;
    }
    response.writeHead(200, { "content-type": "text/html", "cache-control": "no-store" }).end(`<!doctype html><script type="module" src="/${arm}.js"></script>`);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: runtime.binary, args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  try {
    const page = await browser.newPage();
    // Navigation to the module having run, as the page itself times it.
    return await compare(PAGE_RUNS, async (arm) => {
      await page.goto(`${origin}/${arm}`);
      await page.waitForFunction(() => "tokenkitLoaded" in globalThis);
      return page.evaluate(() => performance.now());
    });
  } finally {
    await browser.close();
    server.close();
  }
}

const shown = (result) => `×${result.ratio.toFixed(2)} (${result.facadeMs.toFixed(0)} ms vs ${result.emptyMs.toFixed(0)} ms)`;

/** The section: one row per runtime, `info` (no target) or an ERROR-free "not here" row when a runtime cannot start. */
export async function run() {
  const folder = makeTempDir("runtimes");
  try {
    writeFileSync(path.join(folder, "facade.mjs"), await bundleFacade("node"));
    writeFileSync(path.join(folder, "empty.mjs"), "globalThis.tokenkitLoaded = 0;\n");
    const rows = [];
    for (const { id, name, kind } of RUNTIMES) {
      const runtime = locateRuntime(id);
      if (runtime.missing) {
        rows.push({ measure: `cold import: ${name}`, shown: `not measured: ${runtime.missing}` });
        continue;
      }
      const result = kind === "process" ? await compare(PROCESS_RUNS, measureProcess(runtime, folder)) : kind === "worker" ? await measureWorkerd(runtime) : await measureChromium(runtime);
      rows.push({
        measure: `cold import: ${name} ${runtime.version}, script importing tokenkit ÷ empty script (median)`,
        value: result.ratio,
        shown: shown(result),
        noise: result.noise,
        noiseShown: `±${result.noise.toFixed(3)}`,
      });
    }
    return {
      rows,
      notes: [
        `Cold import: \`tokenkit\` (all five vendors) bundled by esbuild from dist/ into one ESM file per platform (node for Node, Bun and Deno; neutral for workerd; browser for Chromium). Node, Bun, Deno: wall time of a fresh process running that file ÷ one running an empty file, ${PROCESS_RUNS} runs of each, alternating. workerd: Miniflare start to the worker's first answer with the bundle as its module ÷ an empty worker, ${WORKER_RUNS} runs each. Chromium: navigation start to the page's module having run (\`performance.now()\`) ÷ an empty module, ${PAGE_RUNS} loads each, no caching. Noise = spread of the ratio over ${BLOCKS} consecutive blocks. No target: the figures show where the facade's load cost is noticeable.`,
      ],
    };
  } finally {
    removeTempDir(folder);
  }
}
