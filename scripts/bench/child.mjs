// Starts a helper server script in a child process and resolves to its first IPC message.
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Forks `scripts/bench/<script>`; resolves to `{ message, stop }` once it reports. */
export function startChild(script) {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), script), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`${script} exited early (code ${code})`)));
    child.once("message", (message) => resolve({ message, stop: () => child.connected && child.disconnect() }));
  });
}
