// The packages as a release ships them: copy the repo's sources (tracked and new files, no dist/, no
// node_modules, no turbo cache) to a temporary folder, `npm pack` every public workspace package there
// (packages/*/package.json without `private`; each one's prepack builds it from nothing), install the
// tarballs into one fresh project outside the repo, then `import` (ESM) and `require` (CJS) each
// package and call one operation per vendor against a local server, type-check a consumer with tsc,
// and run publint and attw on every tarball.
import { execFile } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createCleanCopy } from "./helpers/clean-copy.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  author?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  keywords?: string[];
  scripts?: Record<string, string>;
  bin?: Record<string, string>;
  type?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  sideEffects?: boolean;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
}

interface Workspace {
  readonly id: string;
  readonly dir: string;
  readonly manifest: Manifest;
  /** A vendor package has a spec in specs/ and is generated from it. */
  readonly vendor: boolean;
}

/** One real call per vendor: the options, the call, and what must arrive on the wire. */
interface VendorCall {
  readonly options: Record<string, unknown>;
  readonly method: "get" | "post";
  readonly path: string;
  readonly init: Record<string, unknown>;
  readonly wire: { readonly method: string; readonly path: string; readonly header: readonly [string, string] };
}

const VENDOR_CALLS: Readonly<Record<string, VendorCall>> = {
  mindbody: {
    options: { auth: { apiKey: "key-1", siteId: "-99" } },
    method: "post",
    path: "/public/v{version}/usertoken/issue",
    init: { params: { path: { version: "6" } }, body: { Username: "u", Password: "p" } },
    wire: { method: "POST", path: "/public/v6/usertoken/issue", header: ["api-key", "key-1"] },
  },
  vidispine: {
    options: { auth: { username: "u", password: "p" } },
    method: "get",
    path: "/API/token",
    init: { params: { query: { seconds: 60 } } },
    wire: { method: "GET", path: "/API/token", header: ["authorization", `Basic ${btoa("u:p")}`] },
  },
  sftpgo: {
    options: { auth: { token: "jwt-1" } },
    method: "get",
    path: "/api/v2/logout",
    init: {},
    wire: { method: "GET", path: "/api/v2/logout", header: ["authorization", "Bearer jwt-1"] },
  },
  genesys: {
    options: { auth: { clientId: "c", clientSecret: "s" } },
    method: "post",
    path: "/oauth/token",
    init: { body: { grant_type: "client_credentials" } },
    wire: { method: "POST", path: "/oauth/token", header: ["content-type", "application/x-www-form-urlencoded"] },
  },
  authapi: {
    options: { auth: { longToken: "long-1" } },
    method: "post",
    path: "/auth/tokens/short",
    init: {},
    wire: { method: "POST", path: "/auth/tokens/short", header: ["authorization", "Bearer long-1"] },
  },
};

function listWorkspaces(): Workspace[] {
  return readdirSync(path.join(root, "packages"))
    .map((id) => ({ id, dir: path.join(root, "packages", id) }))
    .filter(({ dir }) => existsSync(path.join(dir, "package.json")))
    .map(({ id, dir }) => ({
      id,
      dir,
      manifest: JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest,
      vendor: existsSync(path.join(root, "specs", `${id}.yaml`)),
    }))
    .filter(({ manifest }) => manifest.private !== true);
}

const workspaces = listWorkspaces();

/** Relative files the exports map and bin name (globs aside): what a tarball must hold. */
function listTargets(value: unknown): string[] {
  if (typeof value === "string") return value.startsWith("./") && !value.includes("*") ? [value.slice(2)] : [];
  if (value && typeof value === "object") return Object.values(value).flatMap(listTargets);
  return [];
}

const vendors = workspaces.filter((w) => w.vendor);

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const options = { cwd, env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", ...env }, maxBuffer: 64 * 1024 * 1024 };
    execFile(command, args, options, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function runOk(command: string, args: string[], cwd: string, env?: Record<string, string>): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

function startServer(received: Received[]): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ method: req.method ?? "", path: new URL(req.url ?? "/", "http://x").pathname, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ ok: true }));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** A script that loads every package with `import` or `require` and makes each vendor's call. */
function smokeScript(format: "esm" | "cjs"): string {
  const load = format === "esm" ? "await import(name)" : "require(name)";
  const loadJson = format === "esm" ? '(await import(name + "/openapi.json", { with: { type: "json" } })).default' : 'require(name + "/openapi.json")';
  const body = `
  const { SERVER_URL, PACKAGES } = process.env;
  const results = {};
  for (const { id, name, call } of JSON.parse(PACKAGES)) {
    const mod = ${load};
    const result = { exports: Object.keys(mod).sort() };
    if (call) {
      const client = mod.createClient({ ...call.options, baseUrl: SERVER_URL + "/${format}/" + id });
      const { data, response } = await client.request(call.method, call.path, call.init);
      Object.assign(result, { status: response.status, data, openapi: (${loadJson}).openapi });
    }
    results[id] = result;
  }
  console.log(JSON.stringify(results));`;
  return format === "esm" ? body : `(async () => {${body}\n})().catch((error) => { console.error(error); process.exit(1); });`;
}

/** A consumer that must type-check: typed calls compile, an unknown path does not. */
function consumerSource(): string {
  const lines: string[] = [];
  for (const { id, manifest } of workspaces) {
    const name = JSON.stringify(manifest.name);
    const ident = id.replace(/[^a-zA-Z0-9]/g, "_");
    const call = VENDOR_CALLS[id];
    if (!call) {
      lines.push(`import * as ${ident} from ${name};`, `export const loaded_${ident}: object = ${ident};`);
      continue;
    }
    lines.push(
      `import { createClient as create_${ident}, type paths as paths_${ident}, type ClientOptions as options_${ident} } from ${name};`,
      `const options_${ident} = ${JSON.stringify(call.options)} satisfies options_${ident};`,
      `const client_${ident} = create_${ident}(options_${ident});`,
      `export const call_${ident} = () => client_${ident}.request(${JSON.stringify(call.method)}, ${JSON.stringify(call.path)}, ${JSON.stringify(call.init)});`,
      `export type Paths_${ident} = keyof paths_${ident};`,
      "// @ts-expect-error: the published types are real, so an unknown path does not compile",
      `export const wrong_${ident} = () => client_${ident}.request("get", "/no/such/path");`,
    );
  }
  return lines.join("\n") + "\n";
}

let scratch = "";
let project = "";
const tarballs = new Map<string, { file: string; files: string[] }>();
const received: Received[] = [];
let server: Server | undefined;
let serverUrl = "";

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), "tokenkit-packaging-"));
  const copy = path.join(scratch, "repo");
  await createCleanCopy(root, copy);
  const tarballDir = path.join(scratch, "tarballs");
  await mkdir(tarballDir);
  // As `npm run release` does: pack every public workspace; each prepack builds its package (turbo, no cache yet).
  const packed = JSON.parse(
    await runOk("npm", ["pack", ...workspaces.map((w) => `--workspace=${path.relative(root, w.dir)}`), "--pack-destination", tarballDir, "--json"], copy),
  ) as { name: string; filename: string; files: { path: string }[] }[];
  for (const entry of packed) tarballs.set(entry.name, { file: path.join(tarballDir, entry.filename), files: entry.files.map((f) => f.path) });

  project = path.join(scratch, "consumer");
  await mkdir(project);
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "tokenkit-consumer", version: "0.0.0", private: true }));
  await runOk("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", ...[...tarballs.values()].map((t) => t.file)], project);

  server = await startServer(received);
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 900_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

const installed = () => workspaces.filter((w) => tarballs.has(w.manifest.name));

test("every public package is packed, and only those", () => {
  expect(vendors.map((w) => w.id).sort()).toEqual(expect.arrayContaining(Object.keys(VENDOR_CALLS)));
  expect([...tarballs.keys()].sort()).toEqual(workspaces.map((w) => w.manifest.name).sort());
});

describe.each(workspaces.map((w) => [w.manifest.name, w] as const))("%s manifest", (_name, { id, manifest }) => {
  test("is an ESM-first dual package with types first, files [dist], no side effects and an engines range", () => {
    expect(manifest.type).toBe("module");
    expect(manifest.files).toEqual(["dist"]);
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.engines?.node).toMatch(/^>=\d+/);
    const main = manifest.exports?.["."] as Record<string, Record<string, string>>;
    expect(Object.keys(main)).toEqual(["import", "require"]);
    for (const condition of Object.values(main)) expect(Object.keys(condition)[0]).toBe("types");
    expect(manifest.exports?.["./package.json"]).toBe("./package.json");
  });

  test("says where it comes from: license, author, repository with its directory, homepage, bugs, keywords", () => {
    expect(manifest.license).toBe("MIT");
    expect(manifest.author).toEqual(expect.any(String));
    expect(manifest.repository).toMatchObject({ type: "git", url: expect.stringMatching(/^git\+https:\/\/.+\.git$/), directory: `packages/${id}` });
    expect(manifest.homepage).toMatch(new RegExp(`^https://.+/packages/${id}#readme$`));
    expect(manifest.bugs?.url).toMatch(/^https:\/\/.+\/issues$/);
    expect(manifest.keywords?.length).toBeGreaterThan(0);
  });

  test("builds itself when packed (prepack), so a tarball never ships without dist", () => {
    expect(manifest.scripts?.prepack).toBe("node ../../scripts/prepack.mjs");
  });

  test("takes caret ranges for its runtime dependencies, so an app can dedupe and patch them", () => {
    for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) expect(range, dependency).toMatch(/^\^\d+\.\d+\.\d+$/);
  });
});

describe.each(vendors.map((w) => [w.manifest.name, w] as const))("%s", (_name, { manifest }) => {
  test("ships the spec it was generated from", () => {
    expect(manifest.exports?.["./openapi.json"]).toBe("./dist/openapi.json");
  });
});

test("every tarball holds its README, the MIT LICENSE, dist with source maps, and every file its exports map names", () => {
  for (const { manifest } of workspaces) {
    const files = tarballs.get(manifest.name)?.files ?? [];
    expect(files, manifest.name).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", ...listTargets(manifest.exports), ...listTargets(manifest.bin)]));
    const scripts = files.filter((file) => /^dist\/.+\.(c|m)?js$/.test(file));
    expect(scripts.length, manifest.name).toBeGreaterThan(0);
    for (const script of scripts) expect(files, `${manifest.name}: ${script} has no source map`).toContain(`${script}.map`);
  }
  expect(readFileSync(path.join(root, "LICENSE"), "utf8")).toMatch(/^MIT License\n/);
});

test("tarballs hold only the manifest, README, LICENSE and dist", () => {
  for (const [name, { files }] of tarballs) {
    expect(files, name).toContain("package.json");
    expect(files.filter((file) => !/^(package\.json|README\.md|LICENSE(\.md)?|dist\/.+)$/.test(file)), name).toEqual([]);
  }
});

test.each(["esm", "cjs"] as const)("%s: every package loads from the install and each vendor's call goes over the wire", async (format) => {
  const script = path.join(project, format === "esm" ? "smoke.mjs" : "smoke.cjs");
  await writeFile(script, smokeScript(format));
  const packages = installed().map((w) => ({ id: w.id, name: w.manifest.name, call: VENDOR_CALLS[w.id] }));
  const stdout = await runOk(process.execPath, [script], project, { SERVER_URL: serverUrl, PACKAGES: JSON.stringify(packages) });
  const results = JSON.parse(stdout) as Record<string, { exports: string[]; status?: number; data?: unknown; openapi?: string }>;
  for (const { id, manifest } of installed()) {
    const result = results[id];
    expect(result?.exports.length, `${manifest.name} exports nothing`).toBeGreaterThan(0);
    const call = VENDOR_CALLS[id];
    if (!call) continue;
    expect(result?.exports).toEqual(["createClient"]);
    expect(result).toMatchObject({ status: 200, data: { ok: true }, openapi: expect.stringMatching(/^3\./) });
    const request = received.find((r) => r.path === `/${format}/${id}${call.wire.path}`);
    expect(request, `${manifest.name} (${format}) sent nothing to ${call.wire.path}`).toBeDefined();
    expect(request?.method).toBe(call.wire.method);
    expect(request?.headers[call.wire.header[0]]).toBe(call.wire.header[1]);
  }
  const genesys = received.find((r) => r.path === `/${format}/genesys/oauth/token`);
  if (genesys) expect(genesys.body).toBe("grant_type=client_credentials");
}, 60_000);

test("a TypeScript consumer (ESM and CJS) type-checks against the published types", async () => {
  const source = consumerSource();
  await writeFile(path.join(project, "consumer.mts"), source);
  await writeFile(path.join(project, "consumer.cts"), source);
  await writeFile(
    path.join(project, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], types: [], skipLibCheck: true },
      files: ["consumer.mts", "consumer.cts"],
    }),
  );
  const result = await run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], project);
  expect(result.stdout + result.stderr).toBe("");
  expect(result.code).toBe(0);
}, 60_000);

test("publint reports nothing, not even suggestions", async () => {
  for (const [name, { file }] of tarballs) {
    const data = await readFile(file);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }, level: "suggestion" });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false })}`), name).toEqual([]);
  }
}, 60_000);

test("attw finds no problems", async () => {
  const checks = [...tarballs].map(async ([name, { file }]) => {
    const manifest = installed().find((w) => w.manifest.name === name)?.manifest;
    // Legacy node10 resolution ignores `exports`, so it cannot see a mapped JSON subpath such as
    // ./openapi.json; those subpaths are checked by the ESM import and CJS require above instead.
    const jsonSubpaths = Object.keys(manifest?.exports ?? {}).filter((subpath) => subpath.endsWith(".json") && subpath !== "./package.json");
    const args = [file, "--format", "json", ...(jsonSubpaths.length > 0 ? ["--exclude-entrypoints", ...jsonSubpaths] : [])];
    const { stdout } = await run(bin("attw"), args, project);
    // attw groups problems by kind: { NoResolution: [{ entrypoint, resolutionKind, … }], … }.
    const { problems = {} } = JSON.parse(stdout) as { problems?: Record<string, { kind: string; entrypoint?: string; resolutionKind?: string }[]> };
    const found = Object.values(problems)
      .flat()
      .map((p) => [p.kind, p.entrypoint, p.resolutionKind].filter(Boolean).join(" "));
    return [name, found] as const;
  });
  for (const [name, problems] of await Promise.all(checks)) expect(problems, name).toEqual([]);
}, 120_000);
