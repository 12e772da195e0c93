import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Checks the built output (turbo runs build before test): what each entry point pulls in.
const dist = join(dirname(fileURLToPath(import.meta.url)), "../dist");
const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"] as const;

/** Bare module specifiers reachable from an entry file through its relative imports. */
function externalsOf(entry: string): string[] {
  const seen = new Set<string>();
  const externals = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(dist, file), "utf8");
    for (const [, specifier = ""] of code.matchAll(/(?:from\s*|import\s*\(?\s*|require\()\s*["']([^"']+)["']/g)) {
      if (specifier.startsWith("./")) visit(specifier.slice(2));
      else externals.add(specifier);
    }
  };
  visit(entry);
  return [...externals].sort();
}

describe("built entry points", () => {
  it("exist (run the build first: turbo does)", () => {
    expect(existsSync(join(dist, "index.js"))).toBe(true);
  });

  for (const vendor of VENDORS) {
    for (const format of ["js", "cjs"]) {
      // SFTPGo's JWT claims are decoded by a few lines of our own (no jose: it is ESM-only, a cold-start cost).
      // @tokenkit/runtime: the one client runtime, shared with the vendor package rather than bundled again.
      const expected = ["@tokenkit/runtime", `@tokenkit/${vendor}`].sort();
      it(`tokenkit/${vendor} (${format}) imports only ${expected.join(" and ")}`, () => {
        expect(externalsOf(`${vendor}.${format}`)).toEqual(expected);
      });
    }
  }

  it("the root entry point imports all five vendor packages and nothing Node-only", () => {
    expect(externalsOf("index.js")).toEqual(["@tokenkit/authapi", "@tokenkit/genesys", "@tokenkit/mindbody", "@tokenkit/runtime", "@tokenkit/sftpgo", "@tokenkit/vidispine"]);
  });

  it("every entry point exports the same runtime surface", async () => {
    const surface = ["TOKEN_ERROR_CODES", "TOKEN_FORMAT_VERSION", "TokenError", "authMiddleware", "createMemoryTokenStore", "createTokenClient", "createTokenSource", "deserializeToken", "serializeToken"];
    for (const entry of ["index", ...VENDORS]) {
      const module = (await import(join(dist, `${entry}.js`))) as Record<string, unknown>;
      expect(Object.keys(module).sort(), entry).toEqual(surface);
    }
    const root = (await import(join(dist, "index.js"))) as Record<string, unknown>;
    const sftpgo = (await import(join(dist, "sftpgo.js"))) as Record<string, unknown>;
    // Shared chunks: one TokenError class whichever entry points an app loads.
    expect(sftpgo.TokenError).toBe(root.TokenError);
  });
});
