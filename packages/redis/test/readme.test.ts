// Every ```ts block of README.md runs against the BUILT package (imported through its `exports`), a
// real redis-server and Redis Cluster, and the sandbox; and type-checks against the built types.
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NEEDS_REDIS, startRedis, startRedisCluster, type RedisClusterServers, type RedisServer } from "./servers.js";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
// Inside the package, so the examples resolve redis, tokenkit and @tokenkit/redis as an app would.
const scratch = path.join(packageDir, "node_modules", ".readme-examples");
const examples = [...(await readFile(path.join(packageDir, "README.md"), "utf8")).matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);

let sandbox: Sandbox;
let server: RedisServer;
let cluster: RedisClusterServers;

describe("README examples", NEEDS_REDIS, () => {
  beforeAll(async () => {
    [sandbox, server, cluster] = await Promise.all([startSandbox({ port: 0 }), startRedis(), startRedisCluster()]);
    const sftpgo = sandbox.clientOptions("sftpgo");
    const genesys = sandbox.clientOptions("genesys");
    Object.assign(process.env, {
      REDIS_URL: server.url,
      REDIS_CLUSTER_URL: cluster.rootNodes[0]!.url,
      TOKENKIT_STORE_KEY: Buffer.alloc(32, 1).toString("base64"),
      TOKENKIT_STORE_KEY_NEW: Buffer.alloc(32, 2).toString("base64"),
      SFTPGO_URL: sftpgo.baseUrl,
      SFTPGO_USERNAME: sftpgo.credentials.username,
      SFTPGO_PASSWORD: sftpgo.credentials.password,
      GENESYS_URL: genesys.baseUrl,
      GENESYS_LOGIN_URL: genesys.loginUrl,
      GENESYS_CLIENT_ID: genesys.credentials.clientId,
      GENESYS_CLIENT_SECRET: genesys.credentials.clientSecret,
    });
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    await Promise.all(examples.map((code, index) => writeFile(path.join(scratch, `example-${index}.mts`), code)));
  }, 60_000);

  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
    await Promise.all([sandbox?.close(), server?.stop(), cluster?.stop()]);
  });

  it("has examples", () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(examples.map((_, index) => index))("example %i runs", async (index) => {
    sandbox.resetRequestCounts();
    await import(path.join(scratch, `example-${index}.mts`));
    const keys = (await server.cli("--scan")) + (await Promise.all(cluster.nodes.map((node) => node.cli("--scan")))).join("");
    if (examples[index]!.includes("getToken()")) expect(keys).toMatch(/tokenkit:\{(sftpgo|genesys):[0-9a-f]{64}\}:token/);
  });

  it("type-check against the built types", async () => {
    await writeFile(
      path.join(scratch, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022", "DOM"], types: ["node"], skipLibCheck: true },
        include: ["*.mts"],
      }),
    );
    const tsc = path.join(packageDir, "..", "..", "node_modules", "typescript", "bin", "tsc");
    const result = await promisify(execFile)(process.execPath, [tsc, "-p", scratch]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("");
  }, 60_000);
});
