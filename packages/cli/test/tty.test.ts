import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, createHome, runCli, vendorEnv } from "./helpers.js";

// The terminal paths (table width, spinner, echo-off prompt) run in a real pseudo-terminal: tmux.
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
// Required where .ci/run installed tmux; elsewhere skipped (and counted as such) when it is missing.
const tmuxRequired = process.env.TOKENKIT_TMUX_TESTS === "required";

declare module "vitest" {
  interface TaskMeta {
    /** Why this test is skipped when it is; read by the repo's scripts/run-tests.mjs. */
    skipReason?: string;
  }
}

let sandbox: Sandbox;
const home = createHome();
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox?.close();
  home.remove();
});

/** One tmux server on a private socket, running one command in a pane of the given size. */
function startTerminal(command: string[], env: Record<string, string>, columns = 80) {
  const socket = `tokenkit-test-${randomBytes(4).toString("hex")}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8", env });
  // The command's exit status stays on screen; `sleep` keeps the pane for the last capture.
  const quoted = command.map((part) => `'${part.replace(/'/g, `'\\''`)}'`).join(" ");
  tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", String(columns), "-y", "40", `${quoted}; echo "[exit $?]"; sleep 60`);
  const capture = () => tmux("capture-pane", "-p", "-t", "t");
  return {
    capture,
    sendText: (text: string) => tmux("send-keys", "-t", "t", "-l", text),
    sendEnter: () => tmux("send-keys", "-t", "t", "Enter"),
    panePid: () => Number(tmux("list-panes", "-t", "t", "-F", "#{pane_pid}").trim()),
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const screen = capture();
        if (pattern.test(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`terminal never showed ${pattern}; it shows:\n${screen}`);
        await sleep(50);
      }
    },
    close: () => spawnSync("tmux", ["-L", socket, "kill-server"], { env }),
  };
}

/** The node process under the pane's shell (its child), found through /proc. */
function findChild(parent: number): number | undefined {
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === parent) return Number(entry);
    } catch {
      // Gone already.
    }
  }
  return undefined;
}

describe("tokenkit in a terminal (tmux)", { skip: !hasTmux && !tmuxRequired, meta: { skipReason: "no tmux" } }, () => {
  it("fits its table to the terminal: 80 columns, and 60", async () => {
    for (const columns of [80, 60]) {
      const terminal = startTerminal([process.execPath, BIN, "vendors"], home.env, columns);
      try {
        const screen = await terminal.waitFor(/\[exit 0\]/);
        const rows = screen.split("\n").filter((line) => line.startsWith("|"));
        expect(rows.length).toBeGreaterThan(7);
        // A row wider than the pane would wrap, leaving a line that does not end with the border.
        for (const line of rows) expect(line.trimEnd(), `${columns} columns`).toMatch(/\|$/);
        expect(Math.max(...rows.map((line) => line.trimEnd().length))).toBeLessThanOrEqual(columns);
        expect(screen).toMatch(/^\| sftpgo +\| – +\| yes +\| yes +\|/m);
      } finally {
        terminal.close();
      }
    }
  });

  it("shows a spinner while a slow call runs, clears it, and never spins in a pipe", async () => {
    const env = { ...home.env, ...vendorEnv(sandbox, "sftpgo") };
    const slow = sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "slow", delayMs: 3000 } });
    const terminal = startTerminal([process.execPath, BIN, "issue", "sftpgo"], env);
    try {
      await terminal.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] issuing a sftpgo token…/);
      const screen = await terminal.waitFor(/\[exit 0\]/);
      expect(screen).not.toContain("issuing a sftpgo token…");
      expect(screen).toContain("issued a sftpgo token");
    } finally {
      terminal.close();
      slow.remove();
    }
    const piped = sandbox.injectFault({ vendor: "sftpgo", operation: "issue", fault: { kind: "slow", delayMs: 1000 } });
    const result = await runCli(["issue", "sftpgo"], env);
    piped.remove();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(result.stdout).not.toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]|\x1b/);
  });

  it("prompts for a missing password with echo off; the typed secret is neither shown nor in argv", async () => {
    const env = { ...home.env, TOKENKIT_SFTPGO_BASE_URL: sandbox.baseUrls.sftpgo, TOKENKIT_SFTPGO_USERNAME: "demo" };
    const password = vendorEnv(sandbox, "sftpgo").TOKENKIT_SFTPGO_PASSWORD!;
    const terminal = startTerminal([process.execPath, BIN, "token", "sftpgo"], env);
    try {
      await terminal.waitFor(/sftpgo password \(not shown\):\s*$/m);
      const node = findChild(terminal.panePid());
      expect(node).toBeDefined();
      terminal.sendText(password);
      const typed = terminal.capture();
      expect(typed).not.toContain(password);
      const argv = readFileSync(`/proc/${node}/cmdline`, "utf8").split("\0").join(" ");
      expect(argv).toContain("token sftpgo");
      expect(argv).not.toContain(password);
      terminal.sendEnter();
      const screen = await terminal.waitFor(/\[exit \d+\]/);
      expect(screen).toContain("[exit 0]");
      expect(screen).toMatch(/eyJ[\w-]+\.[\w-]+/);
      expect(screen).not.toContain(password);
    } finally {
      terminal.close();
    }
  });
});
