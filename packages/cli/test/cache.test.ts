import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { createTokenClient, type Token } from "tokenkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheRefusedError, createDiskTokenStore } from "../src/disk-store.js";
import { createHome, runCli, vendorEnv } from "./helpers.js";

let sandbox: Sandbox;
const homes: ReturnType<typeof createHome>[] = [];
const newHome = () => {
  const home = createHome();
  homes.push(home);
  return home;
};
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  for (const home of homes) home.remove();
});

describe("the disk cache shared by tokenkit processes", () => {
  it("two concurrent `tokenkit token sftpgo` on a cold cache make one issue call; a third within the lifetime makes none", async () => {
    const home = newHome();
    const env = { ...home.env, ...vendorEnv(sandbox, "sftpgo") };
    sandbox.resetRequestCounts();
    // A slow issue keeps the first process inside its call while the second arrives: without the
    // lease, both would issue.
    const slow = sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "slow", delayMs: 1500 } });
    const [first, second] = await Promise.all([runCli(["token", "sftpgo"], env), runCli(["token", "sftpgo"], env)]);
    slow.remove();
    expect(first.stderr + second.stderr).toBe("");
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(first.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(second.stdout).toBe(first.stdout);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(1);

    const third = await runCli(["token", "sftpgo"], env);
    expect(third.stdout).toBe(first.stdout);
    expect(sandbox.requestCount("sftpgo", "getToken")).toBe(1);
  });

  it("writes one 0600 file per credential in a 0700 directory, holding the token but no credential", async () => {
    const home = newHome();
    // The credentials themselves are the canaries: distinctive strings that must not reach the files.
    const env = { ...home.env, ...vendorEnv(sandbox, "sftpgo") };
    const password = env.TOKENKIT_SFTPGO_PASSWORD!;
    const { code, stdout } = await runCli(["token", "sftpgo"], env);
    expect(code).toBe(0);
    const genesys = await runCli(["token", "genesys"], { ...home.env, ...vendorEnv(sandbox, "genesys") });
    expect(genesys.code).toBe(0);
    const dir = path.join(home.env.XDG_CACHE_HOME!, "tokenkit");
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files.filter((name) => name.endsWith(".json"))).toHaveLength(2);
    expect(files.filter((name) => !name.endsWith(".json"))).toEqual([]);
    const texts = files.map((name) => {
      expect(statSync(path.join(dir, name)).mode & 0o777).toBe(0o600);
      return readFileSync(path.join(dir, name), "utf8");
    });
    const all = texts.join("\n");
    expect(all).toContain(stdout.trim());
    expect(all).not.toContain(password);
    expect(all).not.toContain(vendorEnv(sandbox, "genesys").TOKENKIT_GENESYS_CLIENT_SECRET);
    expect(files.join(" ")).not.toMatch(/demo|sftpgo|genesys/);
  });

  it("ignores a corrupt or truncated entry with a warning, and replaces it", async () => {
    const home = newHome();
    const env = { ...home.env, ...vendorEnv(sandbox, "sftpgo") };
    const first = await runCli(["token", "sftpgo"], env);
    const dir = path.join(home.env.XDG_CACHE_HOME!, "tokenkit");
    const [file] = readdirSync(dir);
    const text = readFileSync(path.join(dir, file!), "utf8");
    writeFileSync(path.join(dir, file!), text.slice(0, Math.floor(text.length / 2)), { mode: 0o600 });
    const second = await runCli(["token", "sftpgo"], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/^tokenkit: warning: ignoring the unreadable cache entry .+ \(corrupt or truncated\); a new token will replace it\n$/);
    expect(second.stderr).not.toContain(first.stdout.trim().slice(0, 20));
    expect(second.stdout).not.toBe(first.stdout);
    const third = await runCli(["token", "sftpgo"], env);
    expect(third.stderr).toBe("");
    expect(third.stdout).toBe(second.stdout);
  });

  it("refuses a cache directory or file that other users can read", async () => {
    const home = newHome();
    const env = { ...home.env, ...vendorEnv(sandbox, "sftpgo") };
    const dir = path.join(home.env.XDG_CACHE_HOME!, "tokenkit");
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const open = await runCli(["token", "sftpgo"], env);
    expect(open.code).toBe(1);
    expect(open.stdout).toBe("");
    expect(open.stderr).toContain(`the token cache directory ${dir} is open to other users (mode 0755)`);
    expect(open.stderr).toContain(`Run: chmod 700 ${dir}`);

    chmodSync(dir, 0o700);
    expect((await runCli(["token", "sftpgo"], env)).code).toBe(0);
    const [file] = readdirSync(dir);
    chmodSync(path.join(dir, file!), 0o644);
    const readable = await runCli(["token", "sftpgo"], env);
    expect(readable.code).toBe(1);
    expect(readable.stderr).toContain("is open to other users (mode 0644)");
  });
});

describe("createDiskTokenStore", () => {
  const token = () => createTokenClient("sftpgo", sandbox.clientOptions("sftpgo")).issue();

  it("round-trips a token, expires it by ttl, and deletes it", async () => {
    let now = Date.now();
    const store = createDiskTokenStore({ dir: path.join(newHome().dir, "c"), now: () => now });
    const issued = await token();
    expect(await store.get("k")).toBeUndefined();
    expect(await store.set("k", issued, { ttlMs: 60_000 })).toBe(true);
    const back = (await store.get("k")) as Token;
    expect(back.accessToken).toBe(issued.accessToken);
    expect(back.expiresAt?.getTime()).toBe(issued.expiresAt?.getTime());
    now += 60_001;
    expect(await store.get("k")).toBeUndefined();
    now -= 60_001;
    await store.delete("k");
    expect(await store.get("k")).toBeUndefined();
  });

  it("grants a key's lease to one owner at a time, lets it lapse, and writes under a lease only while it is held", async () => {
    let now = Date.now();
    const store = createDiskTokenStore({ dir: path.join(newHome().dir, "c"), now: () => now });
    const [a, b] = await Promise.all([store.acquire("k", 1000), store.acquire("k", 1000)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const lease = (a ?? b)!;
    expect(await store.acquire("k", 1000)).toBeUndefined();
    const issued = await token();
    expect(await store.set("k", issued, { ttlMs: 60_000, lease })).toBe(true);
    now += 1001;
    // The holder overran: another process takes over, and the old holder's write is refused.
    const takeover = await store.acquire("k", 1000);
    expect(takeover).toBeDefined();
    expect(await store.set("k", issued, { ttlMs: 60_000, lease })).toBe(false);
    await store.release(lease);
    expect(await store.acquire("k", 1000)).toBeUndefined();
    await store.release(takeover!);
    expect(await store.acquire("k", 1000)).toBeDefined();
  });

  it("throws CacheRefusedError for a directory others can read", async () => {
    const dir = path.join(newHome().dir, "open");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    await expect(createDiskTokenStore({ dir }).get("k")).rejects.toBeInstanceOf(CacheRefusedError);
  });
});
