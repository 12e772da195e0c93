// Runs the bundled suite in one runtime and returns its report. Every runtime talks to the sandbox
// over real loopback HTTP; only the way the input goes in and the report comes out differs.
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BrowserRuntime, ProcessRuntime, WorkerRuntime } from "../locate.mjs";
import type { SuiteInput, SuiteReport } from "../src/checks.js";
import { bundleEntry } from "./bundle.js";

/** Longest one runtime may take for the whole suite. */
export const SUITE_TIMEOUT_MS = 90_000;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/**
 * Node, Bun, Deno: the bundle runs as a script; it fetches the input from a control server and posts
 * the report back, so no secret passes through argv, the environment or a file.
 */
export async function runInProcess(runtime: ProcessRuntime, input: SuiteInput): Promise<SuiteReport> {
  let deliver: (report: SuiteReport) => void = () => {};
  const reported = new Promise<SuiteReport>((resolve) => (deliver = resolve));
  const control = createServer((request, response) => {
    if (request.method === "GET" && request.url === "/input") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(input));
      return;
    }
    if (request.method === "POST" && request.url === "/report") {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        response.writeHead(204).end();
        deliver(JSON.parse(Buffer.concat(chunks).toString("utf8")) as SuiteReport);
      });
      return;
    }
    response.writeHead(404).end();
  });
  const controlUrl = await listen(control);
  const folder = await mkdtemp(path.join(tmpdir(), "tokenkit-runtime-"));
  try {
    const file = path.join(folder, "suite.mjs");
    await writeFile(file, await bundleEntry("process", { TOKENKIT_CONTROL_URL: JSON.stringify(controlUrl) }));
    // cwd is the bundle's own folder, so no runtime picks up the repo's package.json or config files.
    const child = spawn(runtime.command, runtime.args(file), {
      cwd: folder,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? folder, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1", DO_NOT_TRACK: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    const timer = setTimeout(() => child.kill("SIGKILL"), SUITE_TIMEOUT_MS);
    try {
      const code = await exited;
      if (code !== 0) throw new Error(`${runtime.command} exited with ${code ?? "a signal"} before reporting:\n${output.trim()}`);
      return await Promise.race([reported, Promise.reject(new Error(`${runtime.command} exited without posting a report:\n${output.trim()}`))]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await close(control);
    await rm(folder, { recursive: true, force: true });
  }
}

/** workerd through Miniflare: the input is the request body of one fetch to the worker, the report its response. */
export async function runInWorkerd(runtime: WorkerRuntime, input: SuiteInput): Promise<SuiteReport> {
  const { Miniflare } = await import("miniflare");
  const worker = new Miniflare({
    modules: true,
    script: await bundleEntry("worker"),
    compatibilityDate: runtime.compatibilityDate,
  });
  try {
    const response = await worker.dispatchFetch("http://runtime-matrix.invalid/", { method: "POST", body: JSON.stringify(input) });
    const text = await response.text();
    if (!response.ok) throw new Error(`the worker answered ${response.status}: ${text}`);
    return JSON.parse(text) as SuiteReport;
  } finally {
    await worker.dispose();
  }
}

/**
 * Headless Chromium: the page and its bundle come from one loopback origin, the sandbox (CORS on) is
 * another, so every exchange is a cross-origin fetch as in a deployed web app.
 */
export async function runInChromium(runtime: BrowserRuntime, input: SuiteInput): Promise<SuiteReport> {
  const { chromium } = await import("playwright-core");
  const script = await bundleEntry("browser");
  const html = '<!doctype html><meta charset="utf-8"><title>tokenkit runtime matrix</title><script type="module" src="/suite.js"></script>';
  const pageServer = createServer((request, response) => {
    if (request.url === "/suite.js") response.writeHead(200, { "content-type": "text/javascript" }).end(script);
    else if (request.url === "/") response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else response.writeHead(404).end();
  });
  const origin = await listen(pageServer);
  const browser = await chromium.launch({
    executablePath: runtime.binary,
    // Without these, Chromium keeps dialling Google's services, which this network refuses.
    args: ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => "runMatrixSuite" in globalThis, undefined, { timeout: 30_000 });
    const report = await page.evaluate(
      (suiteInput) => (globalThis as unknown as { runMatrixSuite: (input: unknown) => Promise<unknown> }).runMatrixSuite(suiteInput),
      input,
    );
    if (pageErrors.length > 0) throw new Error(`the page threw: ${pageErrors.join("; ")}`);
    return report as SuiteReport;
  } finally {
    await browser.close();
    await close(pageServer);
  }
}
