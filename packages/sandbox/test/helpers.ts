import { startSandbox, type Sandbox, type SandboxOptions } from "../src/index.js";

/** A clock the test moves by hand. */
export interface FakeClock {
  readonly now: () => number;
  advance(ms: number): void;
}

/** A fake clock starting at a fixed instant. */
export function createFakeClock(start = Date.parse("2030-01-01T00:00:00Z")): FakeClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Starts a sandbox on an ephemeral loopback port. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ port: 0, ...options });
}

/** `Authorization: Basic …` for a username and password. */
export function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

/** A response's status, headers and body (parsed as JSON when it is JSON). */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are inspected loosely
  readonly body: any;
}

/** fetch, then read the whole body. */
export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const text = await response.text();
  const isJson = response.headers.get("content-type")?.includes("json") ?? false;
  return { status: response.status, headers: response.headers, text, body: isJson && text !== "" ? (JSON.parse(text) as unknown) : text };
}

/** A JSON request init. */
export function jsonInit(method: string, body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) };
}
