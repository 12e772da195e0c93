// Starts fleet workers (worker.mjs) as real child processes and talks to them over IPC.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER = fileURLToPath(new URL("./worker.mjs", import.meta.url));

/** Forks one worker and waits until it is up. */
export async function startWorker() {
  const child = fork(WORKER, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const events = [];
  const unhandled = [];
  const waiting = new Map();
  let nextId = 0;
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  exited.then(() => {
    for (const { reject } of waiting.values()) reject(new Error("the worker exited"));
    waiting.clear();
  });
  const up = new Promise((resolve, reject) => {
    child.once("error", reject);
    exited.then(({ code, signal }) => reject(new Error(`the worker exited (${signal ?? `code ${code}`}) before it was up`)));
    child.on("message", (message) => {
      if (message.type === "up") resolve();
      else if (message.type === "event") events.push(message.event);
      else if (message.type === "unhandled") unhandled.push(message.message);
      else if (message.type === "result") {
        const entry = waiting.get(message.id);
        waiting.delete(message.id);
        if (message.error !== undefined) entry?.reject(new Error(message.error));
        else entry?.resolve(message.result);
      }
    });
  });
  await up;
  return {
    pid: child.pid,
    events,
    unhandled,
    exited,
    /** Sends a command and resolves with the worker's answer. */
    call(type, args = {}) {
      const id = (nextId += 1);
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        child.send({ id, type, ...args });
      });
    },
    kill(signal = "SIGKILL") {
      child.kill(signal);
      return exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await Promise.race([this.call("exit").catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000))]);
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
