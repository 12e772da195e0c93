// Runs every ```ts block of a package's README with node against the BUILT package (resolved
// through the package's own `exports`), with fetch redirected to a local server that answers with
// the spec's examples, and type-checks the blocks against the built types, so the examples cannot
// rot. A vendor package's test/readme.test.ts calls `testReadmeExamples` with its own paths and
// generated metadata.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transform } from "esbuild";
import ts from "typescript";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startServer, type LocalServer, type Received, type Reply } from "./server.js";

/** Type-checks example files as an app would (strict, NodeNext, DOM + Node types): one "file:line message" per problem. */
export function typeCheckFiles(files: readonly string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    types: ["node"],
  });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1} ` : "";
    return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
  });
}

/** One operation, as in a generated `operationIndex`. */
export interface ReadmeOperation {
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  readonly security: readonly (readonly string[])[];
}

/** A security scheme, as in a generated `securitySchemes`. */
export interface ReadmeSecurityScheme {
  readonly type: string;
  readonly name?: string;
  readonly scheme?: string;
}

export interface ReadmeExamplesOptions {
  /** The package's directory (a path or a file: URL); examples run inside it, so they import the package by name. */
  readonly packageDir: string | URL;
  /** The README, relative to `packageDir`. */
  readonly readme?: string;
  /** The bundled OpenAPI document (JSON), relative to `packageDir`; its examples answer the calls. */
  readonly spec?: string;
  /** The generated `operationIndex`: path template → lowercase method → operation. */
  readonly operationIndex: Readonly<Record<string, Readonly<Partial<Record<string, ReadmeOperation>>>>>;
  /** The generated `securitySchemes`. */
  readonly securitySchemes: Readonly<Record<string, ReadmeSecurityScheme>>;
}

// The spec is plain JSON walked by key, so it is typed loosely.
type Json = any;

// Loaded with `node --import` before an example: sends every request to the local server instead.
const REDIRECT_FETCH = `
const target = new URL(process.env.README_TARGET);
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const { pathname, search } = new URL(request.url);
  const body = request.body ? await request.arrayBuffer() : undefined;
  return realFetch(new URL(pathname + search, target), { method: request.method, headers: request.headers, body });
};
`;

function runNode(args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { env: { ...process.env, ...env }, timeout: 20_000 }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stderr });
    });
  });
}

/** Registers the README tests (hooks included) in the calling test file. */
export function testReadmeExamples(options: ReadmeExamplesOptions): void {
  const packageDir = options.packageDir instanceof URL ? fileURLToPath(options.packageDir) : options.packageDir;
  const readmeName = options.readme ?? "README.md";
  const readme = readFileSync(path.join(packageDir, readmeName), "utf8");
  const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");
  const spec: Json = JSON.parse(readFileSync(path.join(packageDir, options.spec ?? "src/generated/openapi.json"), "utf8"));
  const operations = Object.values(options.operationIndex).flatMap((byMethod) => Object.values(byMethod).filter((op) => op !== undefined));
  const schemes = options.securitySchemes;

  // Literal paths first, so /tokens/me is not taken for /tokens/{userId}.
  const bySpecificity = [...operations].sort((a, b) => a.path.split("{").length - b.path.split("{").length);

  function matchOperation(request: Received): ReadmeOperation | undefined {
    return bySpecificity.find((op) => {
      const template = op.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^/]+?\}/g, "[^/]+");
      // A suffix match, so a base URL with a path prefix (e.g. /v1) still matches.
      return op.method.toUpperCase() === request.method && new RegExp(`${template}$`).test(request.path);
    });
  }

  function resolveRef(node: Json): Json {
    let current = node;
    while (current && typeof current.$ref === "string") {
      current = current.$ref
        .slice(2)
        .split("/")
        .reduce((at: Json, key: string) => at?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
    }
    return current;
  }

  /** The operation's first 2xx response, with the spec's example body. */
  function exampleReply(op: ReadmeOperation): Reply {
    const responses = spec.paths[op.path][op.method].responses;
    const status = Object.keys(responses).find((code) => /^2\d\d$/.test(code)) ?? "200";
    const response = resolveRef(responses[status]);
    const headers = Object.fromEntries(
      Object.entries(response?.headers ?? {})
        .map(([name, header]) => [name, resolveRef(header)?.example ?? resolveRef(resolveRef(header)?.schema)?.example])
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, String(value)]),
    );
    const [media, content]: [string?, Json?] = Object.entries(response?.content ?? {})[0] ?? [];
    if (typeof media !== "string") return { status: Number(status), headers };
    const example =
      content.example ?? resolveRef(Object.values(content.examples ?? {})[0])?.value ?? resolveRef(content.schema)?.example;
    return media.startsWith("text/")
      ? { status: Number(status), text: String(example ?? "example"), headers }
      : { status: Number(status), json: example ?? {}, headers: { "Content-Type": media, ...headers } };
  }

  function isAuthenticated(op: ReadmeOperation, headers: Received["headers"]): boolean {
    if (op.security.length === 0) return true;
    return op.security.some((requirement) =>
      requirement.every((name) => {
        const scheme = schemes[name];
        if (!scheme) return false;
        if (scheme.type === "apiKey") return typeof headers[scheme.name?.toLowerCase() ?? ""] === "string";
        const prefix = `${scheme.type === "http" ? scheme.scheme : "bearer"} `.toLowerCase();
        return (headers.authorization ?? "").toLowerCase().startsWith(prefix) && headers.authorization!.length > prefix.length;
      }),
    );
  }

  let server: LocalServer;
  let dir = "";
  const results: { code: number; stderr: string }[] = [];

  beforeAll(async () => {
    server = await startServer();
    server.respond((request) => {
      const op = matchOperation(request);
      return op ? exampleReply(op) : { status: 404, json: { message: `no operation at ${request.method} ${request.path}` } };
    });
    // Inside the package, so `import … from "<this package>"` resolves through its own exports to dist.
    dir = await mkdtemp(path.join(packageDir, ".readme-"));
    const preload = path.join(dir, "redirect-fetch.mjs");
    await writeFile(preload, REDIRECT_FETCH);
    for (const [index, block] of blocks.entries()) {
      const base = path.join(dir, `example-${index + 1}`);
      await writeFile(`${base}.ts`, block);
      await writeFile(`${base}.mjs`, (await transform(block, { loader: "ts", format: "esm", target: "node20" })).code);
      results.push(await runNode(["--import", pathToFileURL(preload).href, `${base}.mjs`], { README_TARGET: server.url }));
    }
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test(`${readmeName} has ts examples`, () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  test.each(blocks.map((_, index) => index + 1))("README example %i runs against the built package", (n) => {
    const result = results[n - 1];
    expect(result?.code, result?.stderr).toBe(0);
  });

  test("README examples call every operation, each with its credentials", () => {
    const called = new Set<string>();
    for (const request of server.received) {
      const op = matchOperation(request);
      expect(op, `${request.method} ${request.path} is no operation of the spec`).toBeDefined();
      expect(isAuthenticated(op!, request.headers), `${op!.operationId} was sent without its credentials`).toBe(true);
      called.add(op!.operationId);
    }
    expect([...called].sort(), JSON.stringify(server.received.map((r) => `${r.method} ${r.path}`))).toEqual(operations.map((op) => op.operationId).sort());
  });

  test("README examples type-check against the built types", () => {
    expect(typeCheckFiles(blocks.map((_, index) => path.join(dir, `example-${index + 1}.ts`)))).toEqual([]);
  }, 60_000);
}
