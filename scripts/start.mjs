#!/usr/bin/env node
// `npm start`, the main job: build what is stale (turbo regenerates and rebuilds only what changed),
// start the sandbox on an ephemeral port, and drive every vendor end to end through the facade:
// issue, use, renew / introspect where supported, revoke, then check the revoked (or expired)
// token is refused. One table row per vendor; a failure names the vendor, the step and the code.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };

if (!process.argv.includes("--no-build")) {
  console.log("building (turbo: generate → build, cached) …");
  const build = spawnSync("npx", ["turbo", "run", "build", "--output-logs=errors-only"], { cwd: root, env, stdio: "inherit" });
  if (build.status !== 0) {
    console.error("build failed; see the output above");
    process.exit(1);
  }
}

const { startSandbox } = await import("@tokenkit/sandbox");
const { createTokenClient, TokenError } = await import("tokenkit");

/** A step that failed outside a TokenError (an `api` call), carried with the same fields. */
class StepFailure extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

async function expectStatus(promise, expected, what) {
  const { response } = await promise;
  if (response.status !== expected) {
    throw new StepFailure(`${what}: expected HTTP ${expected}, received ${response.status}`, response.status === 401 ? "unauthorized" : "invalid_response");
  }
}

async function expectRefused(promise) {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TokenError && error.code === "unauthorized") return;
    throw error;
  }
  throw new StepFailure("the token was still accepted after it was revoked or expired", "not_refused");
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What "use the token on `api`" means for each vendor: a call authenticated by the issued token. */
const useToken = {
  vidispine: (client, token, options) =>
    expectStatus(
      client.api.GET("/API/user/{username}/token", {
        params: { path: { username: options.credentials.username } },
        headers: { Authorization: `token ${token.accessToken}` },
        parseAs: "text",
      }),
      200,
      "GET /API/user/{username}/token with the token",
    ),
  genesys: (client, token) =>
    expectStatus(client.api.GET("/api/v2/tokens/timeout", { headers: { Authorization: `Bearer ${token.accessToken}` } }), 200, "GET /api/v2/tokens/timeout"),
};

// `--simulate-failure <vendor>` swaps that vendor's password or secret for a wrong one, to show
// how a failing vendor is reported.
const failIndex = process.argv.indexOf("--simulate-failure");
const simulateFailure = failIndex >= 0 ? process.argv[failIndex + 1] : undefined;

function optionsFor(sandbox, vendor) {
  const options = sandbox.clientOptions(vendor);
  if (vendor !== simulateFailure) return options;
  const credentials = { ...options.credentials };
  for (const field of ["password", "clientSecret"]) if (field in credentials) credentials[field] = "wrong-on-purpose";
  return { ...options, credentials };
}

async function runVendor(sandbox, vendor) {
  const done = [];
  let step = "create client";
  const options = optionsFor(sandbox, vendor);
  try {
    const client = createTokenClient(vendor, options);
    step = "issue";
    let token = await client.issue();
    done.push("issue");
    if (useToken[vendor]) {
      step = "use";
      await useToken[vendor](client, token, options);
      done.push("use");
    }
    if (client.capabilities.introspect) {
      step = "introspect";
      await client.introspect(token);
      done.push("introspect");
    }
    if (client.capabilities.renew) {
      step = "renew";
      token = await client.renew(token);
      done.push("renew");
    }
    const expiresAt = token.expiresAt;
    if (client.capabilities.revoke) {
      step = "revoke";
      await client.revoke(token);
      done.push("revoke");
      step = "verify refusal";
      if (client.capabilities.introspect && vendor !== "sftpgo") await expectRefused(client.introspect(token));
      else if (client.capabilities.renew) await expectRefused(client.renew(token));
      else await expectRefused(client.revoke(token));
      done.push("refused");
    } else {
      // No revoke at this vendor: show refusal through expiry instead, with a one-second token.
      step = "verify refusal";
      const shortLived = createTokenClient(vendor, { ...options, seconds: 1 });
      const brief = await shortLived.issue();
      await sleep(1_100);
      await useToken[vendor](shortLived, brief, options).then(
        () => {
          throw new StepFailure("an expired token was still accepted", "not_refused");
        },
        (error) => {
          if (!(error instanceof StepFailure) || error.code !== "unauthorized") throw error;
        },
      );
      done.push("expired→refused");
    }
    return { vendor, done, expiresAt, ok: true };
  } catch (error) {
    const code = error instanceof TokenError || error instanceof StepFailure ? error.code : "unexpected";
    return { vendor, done, ok: false, step, code, message: error instanceof Error ? error.message : String(error) };
  }
}

const sandbox = await startSandbox({ port: 0 });
let rows;
try {
  console.log(`sandbox listening on ${sandbox.url}\n`);
  rows = [];
  for (const vendor of ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"]) rows.push(await runVendor(sandbox, vendor));
} finally {
  await sandbox.close();
}

const table = [
  ["vendor", "operations", "token expiry", "result"],
  ...rows.map((row) => [
    row.vendor,
    row.done.join(" → ") || "–",
    row.expiresAt ? row.expiresAt.toISOString() : "–",
    row.ok ? "ok" : `FAILED at ${row.step}: ${row.code}`,
  ]),
];
const widths = table[0].map((_, column) => Math.max(...table.map((cells) => cells[column].length)));
const line = (cells) => `| ${cells.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
console.log(line(table[0]));
console.log(`|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`);
for (const cells of table.slice(1)) console.log(line(cells));
const failures = rows.filter((row) => !row.ok);
for (const row of failures) console.error(`\n${row.vendor}: step "${row.step}" failed with ${row.code}: ${row.message}`);
process.exit(failures.length > 0 ? 1 : 0);
