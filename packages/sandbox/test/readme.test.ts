// The README's Faults examples, run as written against the built package (resolved by name, as an
// app would). The other sections use the facade, which
// depends on this package, so they are exercised by the facade's and the repo's tests instead.
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const readme = readFileSync(path.join(packageDir, "README.md"), "utf8");
const section = /^## Faults\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? "";
const blocks = [...section.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");

describe("README: Faults", () => {
  let dir = "";

  beforeAll(async () => {
    // turbo builds before testing; a bare `vitest run` in a fresh checkout builds here.
    if (!existsSync(path.join(packageDir, "dist/index.js"))) execFileSync("npx", ["tsup"], { cwd: packageDir, stdio: "ignore" });
    // Under the repo's node_modules, so `@tokenkit/sandbox` resolves through its package exports.
    const cache = path.join(packageDir, "../../node_modules/.cache");
    await mkdir(cache, { recursive: true });
    dir = await mkdtemp(path.join(cache, "sandbox-readme-"));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    for (const [index, block] of blocks.entries()) {
      await writeFile(path.join(dir, `example-${index + 1}.ts`), block);
      await writeFile(path.join(dir, `example-${index + 1}.mjs`), (await transform(block, { loader: "ts", format: "esm", target: "node20" })).code);
    }
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("has examples", () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  test.each(blocks.map((_, index) => index + 1))("example %i runs against the built package", async (n) => {
    const result = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(process.execPath, [path.join(dir, `example-${n}.mjs`)], { timeout: 20_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
    expect(result.code, result.output).toBe(0);
  });
});
