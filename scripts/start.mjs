#!/usr/bin/env node
// `npm start`, the main job: build what is stale (turbo regenerates and rebuilds only what changed),
// start the sandbox on an ephemeral port, and drive every vendor end to end through the facade:
// issue, use, renew / introspect where supported, revoke, then check the revoked (or expired)
// token is refused. One table row per vendor (80 columns, the tokenkit command's table); a failure
// names the vendor, the step and the code. Ends with a summary and the next command to try.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const USAGE = `Usage: npm start [-- <options>]

Builds what is stale, starts the local sandbox of all five vendors, and runs
each vendor end to end through the tokenkit facade: issue, use, introspect,
renew, revoke, then checks the dead token is refused. Prints one row per
vendor and exits 1 when any vendor fails.

Options:
  --no-build                   skip the build (use the packages as built)
  --simulate-failure <vendor>  make the sandbox answer that vendor's token
                               request with 401, to see how a failure reads
  --simulate-failure <vendor>:<status>
                               the same with another HTTP status, e.g.
                               sftpgo:503 (retried, then server_error)
  -h, --help                   show this help and do nothing else
`;

const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", REDOCLY_TELEMETRY: "off" };
const tty = !!process.stdout.isTTY;

function usageError(message) {
  process.stderr.write(`npm start: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let flags;
try {
  flags = parseArgs({
    args: process.argv.slice(2),
    options: { "no-build": { type: "boolean" }, "simulate-failure": { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  usageError(error.message);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

/** `<vendor>` or `<vendor>:<status>` → the sandbox fault to inject for that vendor's issue. */
function readSimulatedFailure(value) {
  if (value === undefined) return undefined;
  const [vendor, status = "401", extra] = value.split(":");
  if (!VENDORS.includes(vendor) || extra !== undefined) usageError(`--simulate-failure takes <vendor> or <vendor>:<status>, vendor one of ${VENDORS.join(", ")}; received ${JSON.stringify(value)}`);
  if (!/^[45]\d\d$/.test(status)) usageError(`--simulate-failure status must be an HTTP error status from 400 to 599; received ${JSON.stringify(status)}`);
  return { vendor, status: Number(status) };
}
const simulated = readSimulatedFailure(flags["simulate-failure"]);

const started = Date.now();
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

/**
 * Runs `turbo run build` and shows its progress: one updating line on a terminal, a line per rebuilt
 * package in a pipe. Turbo's own logs (every line prefixed `<package>:<task>: `) are kept, and the
 * failing tasks' lines printed only when the build fails.
 */
function build() {
  return new Promise((resolve) => {
    const child = spawn("npx", ["turbo", "run", "build", "--output-logs=new-only", "--log-order=stream"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    let buffer = "";
    let done = 0;
    let cached = 0;
    let total;
    const status = (text) => {
      if (tty) process.stdout.write(`\r\x1b[2K${text.slice(0, (process.stdout.columns || 80) - 1)}`);
    };
    status("building: starting turbo…");
    const onLine = (line) => {
      const task = /^(\S+?):(\w[\w:-]*): cache (hit|miss|bypass)/.exec(line);
      const summary = /^\s*Tasks:\s+(\d+) successful, (\d+) total/.exec(line);
      if (summary) total = Number(summary[2]);
      if (!task) return;
      done++;
      if (task[3] === "hit") cached++;
      status(`building: task ${done} (${cached} from cache): ${task[1]} ${task[2]}`);
      if (!tty && task[3] !== "hit") process.stdout.write(`  building ${task[1]} (${task[2]})\n`);
    };
    const collect = (chunk) => {
      const text = chunk.toString();
      log += text;
      buffer += text;
      const lines = buffer.split("\n");
      buffer = lines.pop();
      for (const line of lines) onLine(line.replace(/\x1b\[[\d;]*m/g, ""));
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("close", (code) => {
      if (tty) process.stdout.write("\r\x1b[2K");
      resolve({ ok: code === 0, log: code === 0 ? log : selectFailures(log), done: total ?? done, cached });
    });
  });
}

/** The log lines of the tasks turbo reports as failed (`<package>#<task>: ERROR`), or the whole log. */
function selectFailures(log) {
  const lines = log.replace(/\x1b\[[\d;]*m/g, "").split("\n");
  const failed = new Set(lines.map((line) => /^(\S+)#(\S+):\s+ERROR/.exec(line)).filter(Boolean).map((match) => `${match[1]}:${match[2]}: `));
  if (failed.size === 0) return log;
  return `${lines.filter((line) => [...failed].some((prefix) => line.startsWith(prefix)) || /ERROR/.test(line)).join("\n")}\n`;
}

if (flags["no-build"]) {
  console.log("build skipped (--no-build)");
} else {
  if (!tty) console.log("building (turbo: generate → build, cached)…");
  const result = await build();
  if (!result.ok) {
    process.stderr.write(`${result.log}\nnpm start: the build failed (output above); fix it, or run npm start -- --no-build to use what is built\n`);
    process.exit(1);
  }
  console.log(`built in ${seconds(started)}: ${result.done} tasks, ${result.cached} from cache`);
}

const { startSandbox } = await import("@tokenkit/sandbox");
const { createTokenClient, TokenError } = await import("tokenkit");
const { renderTable, startSpinner } = await import("@tokenkit/cli");

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

async function runVendor(sandbox, vendor) {
  const done = [];
  let step = "create client";
  const options = sandbox.clientOptions(vendor);
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

/** "in 20 min", "in 24 h": the token lifetime each vendor gave, readable in a narrow column. */
function describeExpiry(expiresAt) {
  if (!expiresAt) return "none given";
  const secondsLeft = Math.round((expiresAt.getTime() - Date.now()) / 1000);
  if (secondsLeft >= 5400) return `in ${Math.round(secondsLeft / 3600)} h`;
  if (secondsLeft >= 120) return `in ${Math.round(secondsLeft / 60)} min`;
  return `in ${secondsLeft} s`;
}

const sandbox = await startSandbox({ port: 0 });
const rows = [];
const runStarted = Date.now();
console.log(`sandbox started on ${sandbox.url}${simulated ? ` (${simulated.vendor} token requests answer ${simulated.status}: --simulate-failure)` : ""}`);
try {
  if (simulated) sandbox.injectFault({ vendor: simulated.vendor, operation: "issue", fault: { kind: "status", status: simulated.status } });
  for (const vendor of VENDORS) {
    const spinner = startSpinner(process.stdout, `running ${vendor} end to end…`);
    const row = await runVendor(sandbox, vendor);
    spinner.stop();
    if (!tty) console.log(`  ${vendor}: ${row.ok ? "ok" : `failed at ${row.step}`}`);
    rows.push(row);
  }
} finally {
  await sandbox.close();
}
console.log(`sandbox stopped\n`);

const width = tty && process.stdout.columns ? Math.min(process.stdout.columns, 100) : 80;
process.stdout.write(
  renderTable(
    ["vendor", "steps", "token expires", "result"],
    rows.map((row) => [row.vendor, row.done.join(" → ") || "–", row.ok ? describeExpiry(row.expiresAt) : "–", row.ok ? "ok" : `FAILED at ${row.step}: ${row.code}`]),
    { width },
  ),
);
const failures = rows.filter((row) => !row.ok);
for (const row of failures) console.error(`\n${row.vendor}: step "${row.step}" failed with ${row.code}: ${row.message}`);
const passed = rows.length - failures.length;
console.log(`\n${passed} of ${rows.length} vendors ok, end to end in ${seconds(runStarted)} (${seconds(started)} in all).`);
if (failures.length === 0) {
  console.log("Next, from the terminal: npx tokenkit sandbox   (then, in another shell,\npaste its export lines and run: npx tokenkit token sftpgo)");
} else if (simulated) {
  console.log("That failure was simulated; run npm start without --simulate-failure.");
} else {
  console.log(`Next: npx tokenkit issue ${failures[0].vendor} --verbose against the sandbox shows each request.`);
}
process.exit(failures.length > 0 ? 1 : 0);
