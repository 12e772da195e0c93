// Spec changes classified for semver (scripts/spec-changes/classify.mjs on api-smart-diff), and the
// changeset check CI runs: one fixture per class of edit under test/fixtures/spec-diff/, each an edit
// of base.yaml named for the bump it needs; then the scripts themselves on throwaway git repositories.
import { execFile } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { diffSpecs as diff } from "../scripts/spec-changes/classify.mjs";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = path.join(repo, "test", "fixtures", "spec-diff");
const readYaml = (file: string): unknown => parse(readFileSync(file, "utf8"));
const base = readYaml(path.join(fixtures, "base.yaml"));
const edits = readdirSync(fixtures).filter((name) => name.endsWith(".yaml") && name !== "base.yaml");

describe("classifying one spec edit", () => {
  it("has a fixture for every class the release rules name", () => {
    const names = edits.map((name) => name.replace(/\.yaml$/, ""));
    for (const expected of [
      "major-removed-operation",
      "major-removed-parameter",
      "major-removed-response-field",
      "major-new-required-parameter",
      "major-new-required-request-field",
      "major-narrowed-type",
      "major-narrowed-enum",
      "major-changed-security",
      "minor-new-operation",
      "minor-new-optional-parameter",
      "minor-new-response-field",
      "patch-description",
    ]) {
      expect(names).toContain(expected);
    }
  });

  it.each(edits)("%s needs the bump its name says", (name) => {
    const expected = name.split("-")[0];
    const { bump, changes } = diff(base, readYaml(path.join(fixtures, name)));
    expect(bump).toBe(expected);
    expect(changes.length).toBeGreaterThan(0);
    const kind = { major: "breaking", minor: "feature", patch: "docs" }[expected as "major" | "minor" | "patch"];
    expect(changes.filter((change) => change.bump === expected).every((change) => change.kind === kind)).toBe(true);
  });

  it("names the operation and the field of each change", () => {
    const removedField = diff(base, readYaml(path.join(fixtures, "major-removed-response-field.yaml"))).changes;
    expect(removedField).toContainEqual(expect.objectContaining({ bump: "major", place: "GET /token › response 200 › expires_at", what: expect.stringMatching(/^removed /) }));
    const removedParameter = diff(base, readYaml(path.join(fixtures, "major-removed-parameter.yaml"))).changes;
    expect(removedParameter[0]).toMatchObject({ place: "GET /token › parameter query seconds" });
    const narrowed = diff(base, readYaml(path.join(fixtures, "major-narrowed-enum.yaml"))).changes;
    expect(narrowed).toEqual([expect.objectContaining({ bump: "major", place: "GET /token › parameter query scope › enum › 2", what: 'removed "admin"' })]);
  });

  it("reports a change to a shared schema at each operation that uses it, not again under components", () => {
    const { changes } = diff(base, readYaml(path.join(fixtures, "minor-new-response-field.yaml")));
    expect(changes.map((change) => change.place).sort()).toEqual(["GET /token › response 200 › token_type", "POST /tokens › response 201 › token_type"]);
  });

  it("an identical spec has no change", () => {
    expect(diff(base, structuredClone(base))).toEqual({ bump: "none", changes: [] });
  });

  it("a widened request type is a feature, the same change in a response is breaking", () => {
    const widen = (doc: unknown, at: "request" | "response") => {
      const copy = structuredClone(doc) as { components: { schemas: Record<string, { properties: Record<string, { type: unknown }> }> } };
      if (at === "request") copy.components.schemas.TokenRequest!.properties.client_id!.type = ["string", "integer"];
      else copy.components.schemas.Token!.properties.access_token!.type = ["string", "null"];
      return copy;
    };
    expect(diff(base, widen(base, "request")).bump).toBe("minor");
    expect(diff(base, widen(base, "response")).bump).toBe("major");
  });

  it("SFTPGo's expires_at turned from a date-time string into an integer is breaking", () => {
    const sftpgo = readYaml(path.join(repo, "specs", "sftpgo.yaml")) as { components: { schemas: { Token: { properties: Record<string, Record<string, unknown>> } } } };
    const edited = structuredClone(sftpgo);
    edited.components.schemas.Token.properties.expires_at = { type: "integer", description: "Expiry as a Unix time." };
    const { bump, changes } = diff(sftpgo, edited);
    expect(bump).toBe("major");
    expect(changes).toContainEqual(expect.objectContaining({ kind: "breaking", place: "GET /api/v2/token › response 200 › expires_at › type", what: 'changed "string" → "integer"' }));
  });
});

// The scripts, run as `npm run …` runs them, on a small git repository shaped like this one.
interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1" } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
const git = (cwd: string, ...args: string[]) => run("git", ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false", ...args], cwd);
const script = (name: string, root: string, ...args: string[]) => run(process.execPath, [path.join(repo, "scripts", name), "--root", root, ...args], root);

const scratch: string[] = [];
afterEach(async () => {
  for (const dir of scratch.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A repository with one vendor, acme, whose types the facade exposes, and changesets set up, committed. */
async function createRepo(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "tokenkit-spec-diff-"));
  scratch.push(root);
  await mkdir(path.join(root, "specs"));
  await cp(path.join(fixtures, "base.yaml"), path.join(root, "specs", "acme.yaml"));
  await mkdir(path.join(root, "packages", "acme"), { recursive: true });
  await writeFile(path.join(root, "packages", "acme", "package.json"), JSON.stringify({ name: "@tokenkit/acme", version: "1.0.0" }));
  await mkdir(path.join(root, "packages", "tokenkit", "src", "adapters"), { recursive: true });
  await writeFile(path.join(root, "packages", "tokenkit", "package.json"), JSON.stringify({ name: "tokenkit", version: "1.0.0" }));
  await writeFile(path.join(root, "packages", "tokenkit", "src", "adapters", "acme.ts"), 'import { createClient, type paths } from "@tokenkit/acme";\n');
  await mkdir(path.join(root, ".changeset"));
  await cp(path.join(repo, ".changeset", "config.json"), path.join(root, ".changeset", "config.json"));
  await writeFile(path.join(root, ".changeset", "README.md"), "# Changesets\n");
  expect((await git(root, "init", "-q", "-b", "main")).code).toBe(0);
  await commitAll(root, "release 1.0.0");
  return root;
}

async function commitAll(root: string, message: string): Promise<void> {
  expect((await git(root, "add", "-A")).code).toBe(0);
  const commit = await git(root, "commit", "-q", "-m", message);
  expect(commit.stderr).toBe("");
}

async function editSpec(root: string, fixture: string): Promise<void> {
  await cp(path.join(fixtures, fixture), path.join(root, "specs", "acme.yaml"));
}

async function writeChangeset(root: string, name: string, releases: Record<string, string>): Promise<void> {
  const front = Object.entries(releases).map(([pkg, bump]) => `"${pkg}": ${bump}`);
  await writeFile(path.join(root, ".changeset", `${name}.md`), `---\n${front.join("\n")}\n---\n\nA change.\n`);
}

async function listChangesets(root: string): Promise<string[]> {
  return (await readdir(path.join(root, ".changeset"))).filter((name) => name.endsWith(".md") && name !== "README.md");
}

describe("npm run spec:diff", () => {
  it("prints each change of an uncommitted edit with its class, against HEAD", async () => {
    const root = await createRepo();
    await editSpec(root, "major-narrowed-enum.yaml");
    const result = await script("spec-diff.mjs", root);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("acme: major (breaking), 1 change(s) since HEAD");
    expect(result.stdout).toMatch(/breaking +major +GET \/token › parameter query scope › enum › 2: removed "admin"/);
  });

  it("compares with --base and names an unknown ref", async () => {
    const root = await createRepo();
    await editSpec(root, "minor-new-operation.yaml");
    await commitAll(root, "new operation");
    expect((await script("spec-diff.mjs", root)).stdout).toContain("acme: no change since HEAD");
    expect((await script("spec-diff.mjs", root, "acme", "--base", "HEAD~1")).stdout).toMatch(/acme: minor \(feature\)[^\n]*\n +feature +minor +GET \/tokens\/\{tokenId\}: added/);
    const unknown = await script("spec-diff.mjs", root, "--base", "no-such-ref");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('--base "no-such-ref" is not a commit');
  });
});

describe("the changeset check (CI) and npm run changeset:spec", () => {
  it("fails on a committed breaking edit without a major changeset, naming the command, and passes once it is written", async () => {
    const origin = await createRepo();
    await editSpec(origin, "major-removed-operation.yaml");
    await commitAll(origin, "drop revoke");
    // CI's view: a fresh clone of main, nothing else.
    const clone = await mkdtemp(path.join(os.tmpdir(), "tokenkit-spec-diff-clone-"));
    scratch.push(clone);
    expect((await git(os.tmpdir(), "clone", "-q", origin, clone)).code).toBe(0);

    const missing = await script("check-changesets.mjs", clone);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("missing changeset: @tokenkit/acme needs a major bump");
    expect(missing.stderr).toContain("missing changeset: tokenkit needs a major bump");
    expect(missing.stderr).toContain("fix: npm run changeset:spec");
    expect(missing.stderr).toContain("DELETE /tokens/{tokenId}: removed");

    // A changeset that is too weak does not count.
    await writeChangeset(clone, "too-weak", { "@tokenkit/acme": "minor", tokenkit: "minor" });
    const weak = await script("check-changesets.mjs", clone);
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain("@tokenkit/acme needs a major bump (specs/acme.yaml: breaking change); pending: minor");

    const written = await script("changeset-spec.mjs", clone);
    expect(written.stderr).toBe("");
    expect(written.stdout).toContain("@tokenkit/acme: major");
    const files = await listChangesets(clone);
    expect(files).toHaveLength(2);
    const changeset = await readFile(path.join(clone, ".changeset", files.find((name) => name !== "too-weak.md")!), "utf8");
    expect(changeset).toMatch(/^---\n"@tokenkit\/acme": major\n"tokenkit": major\n---\n/);
    expect(changeset).toContain("- breaking: DELETE /tokens/{tokenId}: removed");

    const passing = await script("check-changesets.mjs", clone);
    expect(passing.stderr).toBe("");
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain("changesets cover every spec change since the last commit with no pending changeset");
    // Written once: a second run finds nothing left to cover.
    expect((await script("changeset-spec.mjs", clone)).stdout).toContain("already cover");
    expect(await listChangesets(clone)).toHaveLength(2);
  });

  it("a docs edit needs a patch changeset for the vendor only; the facade's types did not change", async () => {
    const root = await createRepo();
    await editSpec(root, "patch-description.yaml");
    const missing = await script("check-changesets.mjs", root);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("@tokenkit/acme needs a patch bump");
    expect(missing.stderr).not.toContain("missing changeset: tokenkit");
    await writeChangeset(root, "docs", { "@tokenkit/acme": "patch" });
    expect((await script("check-changesets.mjs", root)).code).toBe(0);
  });

  it("counts from the last release: after `changeset version` consumed the changesets, earlier edits need none", async () => {
    const root = await createRepo();
    await editSpec(root, "minor-new-response-field.yaml");
    await writeChangeset(root, "feature", { "@tokenkit/acme": "minor", tokenkit: "minor" });
    await commitAll(root, "new field, with its changeset");
    expect((await script("check-changesets.mjs", root)).code).toBe(0);
    await rm(path.join(root, ".changeset", "feature.md"));
    await commitAll(root, "release: changeset version");
    const after = await script("check-changesets.mjs", root);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("no spec changed");
    // The next edit counts again.
    await editSpec(root, "major-changed-security.yaml");
    expect((await script("check-changesets.mjs", root)).code).toBe(1);
  });

  it("a vendor added since the last release needs no changeset: its first version is the one it starts with", async () => {
    const root = await createRepo();
    await cp(path.join(fixtures, "base.yaml"), path.join(root, "specs", "globex.yaml"));
    const result = await script("check-changesets.mjs", root);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });
});
