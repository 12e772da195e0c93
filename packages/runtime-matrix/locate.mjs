// Finds each runtime of the matrix on this machine: the npm packages npm ci installed (Bun, Deno,
// Miniflare's workerd), the Node 22/24 binaries of node-versions/, Debian's Chromium, and the Node
// that runs this process. Plain ESM so the bench (scripts/bench/runtimes.mjs) shares it with the tests.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

/** The runtimes of the matrix, in the order the README's table lists them. */
export const RUNTIMES = [
  { id: "node20", name: "Node 20", kind: "process" },
  { id: "node22", name: "Node 22", kind: "process" },
  { id: "node24", name: "Node 24", kind: "process" },
  { id: "bun", name: "Bun", kind: "process" },
  { id: "deno", name: "Deno", kind: "process" },
  { id: "workerd", name: "workerd", kind: "worker" },
  { id: "chromium", name: "headless Chromium", kind: "browser" },
];

const INSTALL_NODE = "npm run install-node-versions -w @tokenkit/runtime-matrix";

function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** Runs `command --version` (the runtime's own word that it starts here); the first line, or undefined. */
function readVersion(command, args = ["--version"]) {
  const run = spawnSync(command, args, { encoding: "utf8", timeout: 30_000, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } });
  if (run.status !== 0) return undefined;
  return run.stdout.trim().split("\n")[0];
}

function locateNode(major) {
  if (major === 20) {
    const version = process.versions.node;
    if (!version.startsWith("20.")) return { missing: `the Node running the tests is ${version}, not 20` };
    return { command: process.execPath, args: (file) => [file], version };
  }
  const binary = path.join(here, "node-versions", "node_modules", `node${major}`, "bin", "node");
  if (!existsSync(binary)) return { missing: `no Node ${major} binary at ${path.relative(process.cwd(), binary)} (install it with \`${INSTALL_NODE}\`; Linux x64 only)` };
  const version = readVersion(binary);
  if (!version) return { missing: `${binary} does not start` };
  return { command: binary, args: (file) => [file], version: version.replace(/^v/, "") };
}

function locateBun() {
  const dir = packageDir("bun");
  if (!dir) return { missing: "the `bun` package is not installed (npm ci installs it)" };
  // bun's postinstall links the platform package's binary over this placeholder.
  const binary = path.join(dir, "bin", "bun.exe");
  const version = existsSync(binary) ? readVersion(binary) : undefined;
  if (!version) return { missing: `bun's binary (${binary}) does not start: no @oven/bun-${process.platform}-${process.arch} package, or its postinstall did not run` };
  // cwd is the script's folder: no bunfig or package.json of the repo is read.
  return { command: binary, args: (file) => ["run", file], version };
}

function locateDeno() {
  const dir = packageDir("deno");
  if (!dir) return { missing: "the `deno` package is not installed (npm ci installs it)" };
  const binary = path.join(dir, process.platform === "win32" ? "deno.exe" : "deno");
  const version = existsSync(binary) ? readVersion(binary) : undefined;
  if (!version) return { missing: `deno's binary (${binary}) does not start: no @deno/${process.platform}-${process.arch} package, or its postinstall did not run` };
  return {
    command: binary,
    // Loopback only: the suite talks to the sandbox and the driver, nothing else.
    args: (file) => ["run", "--no-config", "--no-lock", "--no-prompt", "--allow-net=127.0.0.1", file],
    version: version.replace(/^deno /, "").replace(/ .*/, ""),
  };
}

function locateWorkerd() {
  const dir = packageDir("miniflare");
  if (!dir) return { missing: "the `miniflare` package is not installed (npm ci installs it)" };
  const fromMiniflare = createRequire(path.join(dir, "package.json"));
  let workerd;
  try {
    workerd = fromMiniflare("workerd");
  } catch (error) {
    return { missing: `miniflare's workerd cannot be loaded: ${error.message}` };
  }
  const binary = workerd.default;
  const version = binary && existsSync(binary) ? readVersion(binary) : undefined;
  if (!version) return { missing: `workerd (${binary}) does not start: no @cloudflare/workerd-${process.platform}-${process.arch} package` };
  return {
    binary,
    version: version.replace(/^workerd /, ""),
    // The newest date this workerd supports: the Workers behaviour a new deployment gets.
    compatibilityDate: workerd.compatibilityDate,
    miniflareVersion: fromMiniflare("./package.json").version,
  };
}

function locateChromium() {
  // Debian's package path; CHROMIUM_PATH points elsewhere. Playwright's own browser download cannot run here.
  const binary = process.env.CHROMIUM_PATH ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => existsSync(file));
  if (!binary) return { missing: "no Chromium at /usr/bin/chromium (apt-get install chromium) and no CHROMIUM_PATH" };
  const version = readVersion(binary);
  if (!version) return { missing: `${binary} --version failed` };
  return { binary, version: version.replace(/^Chromium /, "").replace(/ .*/, "") };
}

/** Where a runtime is and which version it is, or why it cannot start here (`missing`). */
export function locateRuntime(id) {
  switch (id) {
    case "node20":
      return locateNode(20);
    case "node22":
      return locateNode(22);
    case "node24":
      return locateNode(24);
    case "bun":
      return locateBun();
    case "deno":
      return locateDeno();
    case "workerd":
      return locateWorkerd();
    case "chromium":
      return locateChromium();
    default:
      throw new TypeError(`unknown runtime "${id}"; known: ${RUNTIMES.map((runtime) => runtime.id).join(", ")}`);
  }
}
