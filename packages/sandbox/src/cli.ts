#!/usr/bin/env node
import { DEFAULT_CLI_PORT, parseCliArguments } from "./cli-args.js";
import { FAULTS_PATH } from "./admin.js";
import { FAULT_SPEC_SYNTAX, formatFaultSpec } from "./fault-spec.js";
import { startSandbox } from "./sandbox.js";
import { VENDOR_IDS } from "./types.js";

const USAGE = `Usage: tokenkit-sandbox [--port <n>] [--host <address>] [--cors | --cors=<origin> ...] [--fault <spec> ...]

Serves local emulators of the Mindbody, Vidispine, SFTPGo, Genesys Cloud and AuthAPI token
endpoints on one port, validated against tokenkit's OpenAPI specs.

  --port, -p   TCP port (default ${DEFAULT_CLI_PORT}; 0 picks a free one)
  --host       interface to listen on (default 127.0.0.1)
  --cors       let web pages on any origin call the sandbox with fetch (CORS)
  --cors=<o>   only this origin, e.g. --cors=http://127.0.0.1:5173; repeat for more
  --fault <s>  make a vendor misbehave; repeat for more. <s> is
               ${FAULT_SPEC_SYNTAX}
               vendor:     mindbody, vidispine, sftpgo, genesys, authapi
               operation:  issue, renew, revoke, introspect (default: every request)
               fault:      status=<code>      [retry-after=<seconds|ISO date>, message=<text>]
                           hang               accept, never answer
                           drip[=<ms>]        headers, then one byte per <ms> (default 1000)
                           slow=<ms>          the real answer after <ms>
                           reset              tear the connection down
                           redirect=<url>     [status=301|302|303|307|308, preserve-path]
                           malformed[=truncated-json|wrong-content-type|empty-body]
                           expired[=<s>]      a token that died <s> seconds ago (default 60)
                           oversized=<bytes>  the real answer padded to <bytes>
               every fault: times=<n>, probability=<0..1>; values cannot hold commas
               e.g. --fault genesys:issue:status=429,retry-after=2,times=3
                    --fault sftpgo:hang --fault mindbody:renew:expired

While it runs, ${FAULTS_PATH} lists (GET), adds (POST) and clears (DELETE) faults, for
processes on this machine only, e.g.
  curl -X POST --data 'authapi:issue:status=503,times=2' http://127.0.0.1:${DEFAULT_CLI_PORT}${FAULTS_PATH}
`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseCliArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`tokenkit-sandbox: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return;
  }
  const sandbox = await startSandbox({ port: parsed.port, host: parsed.host, cors: parsed.cors });
  const lines = [`tokenkit sandbox listening on ${sandbox.url}`];
  if (parsed.cors !== false) lines.push(`CORS allowed for ${parsed.cors === true ? "any origin" : parsed.cors.join(", ")}`);
  for (const fault of parsed.faults) sandbox.injectFault(fault);
  for (const active of sandbox.stats().faults) lines.push(`fault ${active.id}: ${formatFaultSpec(active)}`);
  lines.push(`faults: ${sandbox.url}${FAULTS_PATH} (GET, POST, DELETE from this machine)`);
  lines.push("");
  for (const vendor of VENDOR_IDS) {
    const credentials = Object.entries(sandbox.credentials[vendor]).map(([key, value]) => `${key}=${String(value)}`);
    lines.push(`${vendor.padEnd(10)} ${sandbox.baseUrls[vendor]}`);
    if (vendor === "genesys") lines.push(`${"".padEnd(10)} login: ${sandbox.genesysLoginUrl}`);
    lines.push(`${"".padEnd(10)} ${credentials.join("  ")}`);
  }
  const { admin, disabled } = sandbox.accounts.vidispine;
  const { twoFactor } = sandbox.accounts.sftpgo;
  lines.push(
    "",
    "more demo accounts:",
    `  vidispine administrator  username=${admin.username}  password=${admin.password}`,
    `  vidispine disabled user  username=${disabled.username}  password=${disabled.password}`,
    `  sftpgo with 2FA          username=${twoFactor.username}  password=${twoFactor.password}  TOTP secret=${twoFactor.totpSecret}`,
    "",
    "(demo credentials of a local emulator; press Ctrl+C to stop)",
  );
  process.stdout.write(`${lines.join("\n")}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal} received, stopping\n`);
    // If something keeps the loop alive after close, do not hang the terminal.
    setTimeout(() => process.exit(0), 3000).unref();
    sandbox.close().then(
      () => {
        process.exitCode = 0;
      },
      (error: unknown) => {
        process.stderr.write(`tokenkit-sandbox: close failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`tokenkit-sandbox: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
