import type { TokenEvent } from "tokenkit";

const time = (date: Date | undefined) => (date ? date.toISOString() : "no expiry");

/** One line for a `--verbose` event: origins, paths, statuses and timings only (that is all events carry). */
export function formatEvent(event: TokenEvent): string {
  const prefix = `tokenkit: ${event.vendor} ${event.operation}:`;
  switch (event.type) {
    case "request":
      return `${prefix} → ${event.method} ${event.origin}${event.path} (attempt ${event.attempt})`;
    case "response":
      return `${prefix} ← ${event.status} ${event.method} ${event.origin}${event.path} in ${Math.round(event.ms)} ms`;
    case "retry":
      return `${prefix} retry in ${event.delayMs} ms (attempt ${event.attempt} failed: ${event.reason})`;
    case "issued":
    case "renewed":
      return `${prefix} ${event.type} a token (expires ${time(event.expiresAt)})`;
    case "revoked":
      return `${prefix} revoked the token`;
    case "cached":
      return `${prefix} served the cached token from ${event.from === "store" ? "the disk cache" : "memory"} (expires ${time(event.expiresAt)})`;
    case "store-fallback":
      return `${prefix} cache unavailable, went on without it: ${event.reason}`;
    default: {
      // Event types added later: print what they carry (events never hold a secret).
      const other = event as Record<string, unknown>;
      return `${prefix} ${String(other.type)} ${JSON.stringify(other)}`;
    }
  }
}
