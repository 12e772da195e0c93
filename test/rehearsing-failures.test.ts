// The README's "Rehearsing failures" examples, run as written: each ```ts block is compiled by
// esbuild and run by node against the built packages (resolved through the repo's node_modules,
// as an app would import them), and all of them are type-checked against the built types.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FAULT_KINDS } from "@tokenkit/sandbox";
import { typeCheckFiles } from "@tokenkit/testkit/readme";
import { transform } from "esbuild";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const readme = readFileSync(path.join(repo, "README.md"), "utf8");
const section = /^## Rehearsing failures\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? "";
const blocks = [...section.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((match) => match[1] ?? "");

function runNode(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file], { timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe("README: Rehearsing failures", () => {
  let dir = "";

  beforeAll(async () => {
    // Under the repo's node_modules, so `tokenkit` and `@tokenkit/sandbox` resolve as in an app.
    const cache = path.join(repo, "node_modules", ".cache");
    await mkdir(cache, { recursive: true });
    dir = await mkdtemp(path.join(cache, "rehearsing-failures-"));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    for (const [index, block] of blocks.entries()) {
      await writeFile(path.join(dir, `example-${index + 1}.ts`), block);
      await writeFile(path.join(dir, `example-${index + 1}.mjs`), (await transform(block, { loader: "ts", format: "esm", target: "node20" })).code);
    }
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("has one example per fault kind, a token source riding out 429s, and an app test on hang", () => {
    for (const kind of FAULT_KINDS) {
      expect(blocks.some((block) => block.includes(`kind: "${kind}"`) || block.includes(`fault: "${kind}"`)), kind).toBe(true);
    }
    expect(blocks.some((block) => block.includes("createTokenSource") && block.includes("status: 429"))).toBe(true);
    expect(blocks.some((block) => block.includes('from "node:test"') && block.includes('fault: "hang"'))).toBe(true);
  });

  test.each(blocks.map((_, index) => index + 1))("example %i runs against the built packages", async (n) => {
    const result = await runNode(path.join(dir, `example-${n}.mjs`));
    expect(result.code, result.output).toBe(0);
  });

  test("the examples type-check against the built types", () => {
    expect(typeCheckFiles(blocks.map((_, index) => path.join(dir, `example-${index + 1}.ts`)))).toEqual([]);
  });
});
