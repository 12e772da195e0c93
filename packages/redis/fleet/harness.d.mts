import type { TokenEvent } from "tokenkit";

/** What a worker answers to `get`. */
export interface GetResult {
  readonly fulfilled: number;
  readonly rejected: number;
  readonly tokens: string[];
  readonly errors: string[];
  readonly ms: number;
  /** The earliest expiry among the tokens handed out (ms since the epoch), if any. */
  readonly expiresAt?: number;
}

/** A fleet worker process. */
export interface Worker {
  readonly pid: number;
  readonly events: TokenEvent[];
  readonly unhandled: string[];
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  call(type: "init", args: Record<string, unknown>): Promise<void>;
  call(type: "get", args: { count: number; fresh?: boolean }): Promise<GetResult>;
  call(type: "ping"): Promise<{ ready: boolean }>;
  call(type: "clock", args: { offsetMs: number }): Promise<void>;
  call(type: string, args?: Record<string, unknown>): Promise<unknown>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: string | null }>;
  stop(): Promise<void>;
}

/** Forks one worker and waits until it is up. */
export function startWorker(): Promise<Worker>;
