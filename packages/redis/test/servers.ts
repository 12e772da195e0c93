// Real Redis for the tests: Debian's redis-server, started here on free loopback ports in a temporary
// directory with persistence off, and stopped at the end. Where it is missing, the suites skip with a
// warning naming it, unless TOKENKIT_REDIS_TESTS=required (CI), where they fail instead.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { TestOptions } from "vitest";

const run = promisify(execFile);

/** Where redis-server and redis-cli are, or undefined (the reason is in {@link REDIS_MISSING}). */
function findBinary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/bin", "/usr/local/bin"])) {
    const file = path.join(dir, name);
    if (dir && existsSync(file)) return file;
  }
  return undefined;
}

export const REDIS_SERVER = findBinary("redis-server");
export const REDIS_CLI = findBinary("redis-cli");
export const REDIS_REQUIRED = process.env.TOKENKIT_REDIS_TESTS === "required";
/** Why the Redis suites cannot run here, or undefined when they can. */
export const REDIS_MISSING = REDIS_SERVER && REDIS_CLI ? undefined : `redis-server${REDIS_CLI || !REDIS_SERVER ? "" : " / redis-cli"} is not installed (apt-get install redis-server)`;

declare module "vitest" {
  interface TaskMeta {
    /** Why this test is skipped when it is; read by scripts/run-tests.mjs. */
    skipReason?: string;
  }
}

/** Options for a `describe` that needs Redis: skipped, with the reason npm test's summary prints, where it is missing. */
export const NEEDS_REDIS: TestOptions = { skip: REDIS_MISSING !== undefined, meta: { skipReason: REDIS_MISSING ?? "" } };

if (REDIS_MISSING) {
  if (REDIS_REQUIRED) throw new Error(`TOKENKIT_REDIS_TESTS=required but ${REDIS_MISSING}`);
  console.warn(`WARNING: skipping the Redis tests: ${REDIS_MISSING}`);
}

/** A free loopback TCP port; with `bus`, port + 10000 (the Cluster bus) is free too. */
export async function findFreePort(bus = false): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(undefined));
      server.listen(port, "127.0.0.1", () => {
        const { port: bound } = server.address() as { port: number };
        server.close(() => resolve(bound));
      });
    });
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await tryPort(bus ? 20_000 + Math.floor(Math.random() * 30_000) : 0);
    if (port !== undefined && (!bus || (await tryPort(port + 10_000)) !== undefined)) return port;
  }
  throw new Error("no free loopback port found");
}

async function waitForPing(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited: ${output().slice(-500)}`);
    const ok = await run(REDIS_CLI!, ["-h", "127.0.0.1", "-p", String(port), "ping"]).then(
      ({ stdout }) => stdout.trim() === "PONG",
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 15 s: ${output().slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One redis-server process that can be killed and started again on the same port. */
export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills it with SIGKILL (a crash, no goodbye to clients). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty (persistence is off). */
  restart(): Promise<void>;
  /** Runs redis-cli against it and returns stdout. */
  cli(...args: string[]): Promise<string>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 (a free port unless `port`), persistence off, in a temp dir. */
export async function startRedis(options: { port?: number; dir?: string; args?: string[] } = {}): Promise<RedisServer> {
  if (!REDIS_SERVER || !REDIS_CLI) throw new Error(REDIS_MISSING);
  const port = options.port ?? (await findFreePort());
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), "tokenkit-redis-")));
  let child: ChildProcess;
  let output = "";
  const spawnServer = async () => {
    output = "";
    child = spawn(
      REDIS_SERVER,
      ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", ...(options.args ?? [])],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    await waitForPing(port, child, () => output);
  };
  const kill = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  };
  await spawnServer();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: spawnServer,
    cli: async (...args) => (await run(REDIS_CLI, ["-h", "127.0.0.1", "-p", String(port), ...args], { maxBuffer: 64 * 1024 * 1024 })).stdout,
    async stop() {
      await kill();
      if (!options.dir) await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A 3-master Redis Cluster on loopback ports. */
export interface RedisClusterServers {
  readonly nodes: readonly RedisServer[];
  /** `{ url }` per master, for createCluster({ rootNodes }). */
  readonly rootNodes: { url: string }[];
  stop(): Promise<void>;
}

/** Starts three cluster-enabled redis-servers and joins them (redis-cli --cluster create, no replicas). */
export async function startRedisCluster(): Promise<RedisClusterServers> {
  const root = await mkdtemp(path.join(os.tmpdir(), "tokenkit-redis-cluster-"));
  const nodes: RedisServer[] = [];
  try {
    for (let index = 0; index < 3; index++) {
      const dir = path.join(root, String(index));
      await run("mkdir", ["-p", dir]);
      nodes.push(await startRedis({ port: await findFreePort(true), dir, args: ["--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"] }));
    }
    await run(REDIS_CLI!, ["--cluster", "create", ...nodes.map((node) => `127.0.0.1:${node.port}`), "--cluster-replicas", "0", "--cluster-yes"]);
    const deadline = Date.now() + 20_000;
    for (const node of nodes) {
      while (!(await node.cli("cluster", "info")).includes("cluster_state:ok")) {
        if (Date.now() > deadline) throw new Error("the Redis Cluster did not reach cluster_state:ok within 20 s");
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  return {
    nodes,
    rootNodes: nodes.map((node) => ({ url: node.url })),
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Every key and value in a server's keyspace (SCAN, then GET each string). */
export async function dumpKeyspace(server: RedisServer): Promise<string> {
  const keys = (await server.cli("--scan")).split("\n").filter(Boolean);
  const values = await Promise.all(keys.map((key) => server.cli("get", key)));
  return keys.map((key, index) => `${key} = ${values[index]}`).join("\n");
}
