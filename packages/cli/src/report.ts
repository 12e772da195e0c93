import { TokenError, type TokenErrorCode, type VendorId } from "tokenkit";
import { toEnvName } from "tokenkit/credentials";
import { CacheRefusedError } from "./disk-store.js";
import { UsageError } from "./config.js";
import { PromptAbortedError } from "./prompt.js";

/** The design's exit codes, by TokenError code. */
export const EXIT_CODES: Readonly<Record<TokenErrorCode, number>> = {
  invalid_argument: 2,
  unauthorized: 3,
  forbidden: 3,
  rate_limited: 4,
  network_error: 5,
  timeout: 5,
  server_error: 6,
  invalid_response: 6,
  unsupported: 7,
  not_found: 1,
  conflict: 1,
};

/** The process exit code for an error: 2 for usage mistakes, the design's code for a TokenError, else 1. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof PromptAbortedError) return 130;
  if (error instanceof TokenError) return EXIT_CODES[error.code] ?? 1;
  return 1;
}

/** Thrown when renew/revoke/introspect find no cached token for the credential. */
export class NoCachedTokenError extends Error {
  override readonly name = "NoCachedTokenError";
  constructor(readonly vendor: VendorId) {
    super(`no cached ${vendor} token for this credential`);
  }
}

function nextStep(error: TokenError, vendor: VendorId | undefined): string {
  const id = vendor ?? error.vendor ?? "<vendor>";
  const env = (key: string) => (vendor ? toEnvName(vendor, key) : `TOKENKIT_<VENDOR>_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`);
  switch (error.code) {
    case "invalid_argument":
      return `fix the setting named above; \`tokenkit ${error.operation === "createTokenClient" ? "vendors" : `${error.operation} --help`}\` lists what each vendor takes`;
    case "unauthorized":
    case "forbidden":
      return `check the ${id} credentials (environment, profile or --password-stdin); if a cached token was revoked elsewhere, run \`tokenkit cache clear\``;
    case "rate_limited":
      return `wait${error.retryAfterMs !== undefined ? ` ${Math.ceil(error.retryAfterMs / 1000)} s` : " a moment"} and try again`;
    case "network_error":
    case "timeout":
      return `check that the ${id} host is reachable and ${env("baseUrl")} is right; --verbose shows each request`;
    case "server_error":
    case "invalid_response":
      return `the vendor is failing: try again later; --verbose shows each request and response`;
    case "unsupported":
      return "`tokenkit vendors` shows which operations each vendor supports";
    case "not_found":
      return `the token or endpoint is gone: run \`tokenkit issue ${id}\` for a new token, and check ${env("baseUrl")}`;
    case "conflict":
      return `the vendor refused the request in its current state (e.g. a disabled account or a renew limit): run \`tokenkit issue ${id}\``;
  }
}

/** The lines printed on stderr for a failed command: what happened (with the TokenError code) and what to do next. */
export function describeFailure(error: unknown, vendor?: VendorId): string {
  if (error instanceof TokenError) {
    // The message already names the vendor and operation.
    const extra = [error.status !== undefined && !error.message.includes(String(error.status)) ? `HTTP ${error.status}` : "", error.requestId ? `request id ${error.requestId}` : ""].filter(Boolean).join(", ");
    return `tokenkit: ${error.code}: ${error.message}${extra ? ` (${extra})` : ""}\n  next: ${nextStep(error, vendor)}\n`;
  }
  if (error instanceof NoCachedTokenError) {
    return `tokenkit: ${error.message}\n  next: run \`tokenkit issue ${error.vendor}\` (or \`tokenkit token ${error.vendor}\`) first, with the same settings\n`;
  }
  if (error instanceof UsageError) return `tokenkit: ${error.message}\n  next: see \`tokenkit --help\`\n`;
  if (error instanceof PromptAbortedError) return "tokenkit: cancelled\n";
  if (error instanceof CacheRefusedError) return `tokenkit: ${error.message}\n`;
  return `tokenkit: ${error instanceof Error ? error.message : String(error)}\n`;
}
