import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import type { VendorId } from "tokenkit";
import { toEnvName } from "tokenkit/credentials";
import type { Io } from "./config.js";

const VENDORS: readonly VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

/** Single-quotes a value for a POSIX shell. */
function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The TOKENKIT_* variables that point every vendor at a running sandbox (its demo credentials included). */
export function sandboxEnvironment(sandbox: Sandbox): Record<string, string> {
  const env: Record<string, string> = {};
  for (const vendor of VENDORS) {
    const options = sandbox.clientOptions(vendor) as { baseUrl: string; loginUrl?: string; credentials: Record<string, unknown> };
    env[toEnvName(vendor, "baseUrl")] = options.baseUrl;
    if (options.loginUrl) env[toEnvName(vendor, "loginUrl")] = options.loginUrl;
    for (const [key, value] of Object.entries(options.credentials)) if (typeof value === "string") env[toEnvName(vendor, key)] = value;
  }
  return env;
}

/** `tokenkit sandbox`: starts the sandbox, prints the export lines (stdout), and runs until SIGINT or SIGTERM. */
export async function runSandbox(options: { readonly port: number; readonly json: boolean }, io: Io): Promise<void> {
  const sandbox = await startSandbox({ port: options.port });
  const env = sandboxEnvironment(sandbox);
  if (options.json) io.stdout.write(`${JSON.stringify({ url: sandbox.url, env })}\n`);
  else io.stdout.write(Object.entries(env).map(([name, value]) => `export ${name}=${quote(value)}\n`).join(""));
  io.stderr.write(`tokenkit sandbox listening on ${sandbox.url} (demo credentials of a local emulator).\nPaste the export lines into another shell, then try: tokenkit token sftpgo\nPress Ctrl-C to stop.\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (received: NodeJS.Signals) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(received);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await sandbox.close();
  io.stderr.write(`${signal} received: sandbox stopped\n`);
}
