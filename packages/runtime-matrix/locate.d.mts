/** A runtime of the matrix. */
export interface RuntimeEntry {
  readonly id: RuntimeId;
  readonly name: string;
  readonly kind: "process" | "worker" | "browser";
}

/** Runtime ids. */
export type RuntimeId = "node20" | "node22" | "node24" | "bun" | "deno" | "workerd" | "chromium";

/** A runtime that cannot start here, and why. */
export interface MissingRuntime {
  readonly missing: string;
}

/** A runtime started as a process: `command ...args(file)` runs one ESM script. */
export interface ProcessRuntime {
  readonly missing?: undefined;
  readonly command: string;
  readonly args: (file: string) => string[];
  readonly version: string;
}

/** workerd, driven through Miniflare. */
export interface WorkerRuntime {
  readonly missing?: undefined;
  readonly binary: string;
  readonly version: string;
  readonly compatibilityDate: string;
  readonly miniflareVersion: string;
}

/** Debian's Chromium, driven through playwright-core. */
export interface BrowserRuntime {
  readonly missing?: undefined;
  readonly binary: string;
  readonly version: string;
}

/** The runtimes of the matrix, in the order the README's table lists them. */
export declare const RUNTIMES: readonly RuntimeEntry[];

/** Where a runtime is and which version it is, or why it cannot start here (`missing`). */
export declare function locateRuntime(id: "node20" | "node22" | "node24" | "bun" | "deno"): ProcessRuntime | MissingRuntime;
export declare function locateRuntime(id: "workerd"): WorkerRuntime | MissingRuntime;
export declare function locateRuntime(id: "chromium"): BrowserRuntime | MissingRuntime;
export declare function locateRuntime(id: RuntimeId): ProcessRuntime | WorkerRuntime | BrowserRuntime | MissingRuntime;
