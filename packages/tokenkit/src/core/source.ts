import { INTERNAL, checkInteger, expectOption, isObject, createRejecter, type Reject } from "./check.js";
import type { TokenError } from "./errors.js";
import { computeRefreshAt, INSPECT } from "./token.js";
import type { AnyTokenClient, Renewable, Token, TokenEvent, VendorId } from "./types.js";

/** Options of {@link createTokenSource}. */
export interface TokenSourceOptions {
  /** Refresh this long before expiry (at most half the token's remaining lifetime); default 120000. */
  readonly refreshWindowMs?: number;
  /** Treat tokens as expiring this much earlier, for clocks that disagree; default 0. */
  readonly clockSkewMs?: number;
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

/** A cached, self-refreshing supply of tokens from one client. */
export interface TokenSource<V extends VendorId = VendorId> {
  readonly vendor: V;
  /** The cached token, or a fresh one; concurrent callers share one refresh. */
  getToken(): Promise<Token<V>>;
  /** Drops the cached token (only if it is `token`, when given), so the next getToken() fetches a new one. */
  invalidate(token?: Token<V>): void;
}

/** What the client and the middleware know about a client's tokens. */
export interface ClientInternals {
  /** The Authorization header value for an access token. */
  readonly authorize: (accessToken: string) => string;
  /** Reports an event to the client's `onEvent` listener (never throws). */
  readonly emit: (event: TokenEvent) => void;
  /**
   * What identifies the client's tokens, for store keys: vendor, origin, the non-secret options that
   * shape a token, and the credential's identity (username, client id). Never a secret; hash it before use.
   */
  readonly identity: () => Promise<string>;
}

// Renew failures that mean "this token cannot be renewed" rather than "the vendor is unwell".
const RENEW_FALLBACK = /^(?:unauthorized|forbidden|not_found|invalid_argument|conflict)$/;

const ignore = () => {};

/**
 * Caches a client's token and refreshes it ahead of expiry (renew where the vendor can, otherwise
 * issue; a renew refused as unauthorized/invalid falls back to issue). At most one refresh runs at a
 * time, failures are never cached, and a failed refresh keeps serving the old token while it is valid.
 * Tokens without an expiry stay until invalidated.
 */
export function createTokenSource<V extends VendorId>(client: AnyTokenClient<V>, options: TokenSourceOptions = {}): TokenSource<V> {
  const internals = (isObject(client) ? client[INTERNAL] : undefined) as ClientInternals | undefined;
  const reject: Reject = createRejecter(internals ? client.vendor : undefined, "createTokenSource");
  if (!internals) reject("expected a client made by createTokenClient()");
  if (!isObject(options)) reject("expected an options object");
  const windowMs = checkInteger(reject, "refreshWindowMs", options.refreshWindowMs, 0, Number.MAX_SAFE_INTEGER, 120_000);
  const skewMs = checkInteger(reject, "clockSkewMs", options.clockSkewMs, 0, Number.MAX_SAFE_INTEGER, 0);
  expectOption(reject, options.now === undefined || typeof options.now === "function", "now", "a function returning ms", options.now);
  const now = (options.now ?? Date.now) as () => number;

  let current: Token<V> | undefined;
  let cached: Promise<Token<V>> | undefined;
  let pending: Promise<Token<V>> | undefined;
  let refreshAt = 0;
  let validUntil = 0;

  const adopt = (token: Token<V>): Token<V> => {
    const expiry = token.expiresAt?.getTime();
    const at = now();
    current = token;
    // One resolved promise per token keeps the cached path of getToken() allocation-free.
    cached = Promise.resolve(token);
    validUntil = expiry === undefined ? Infinity : expiry - skewMs;
    refreshAt = computeRefreshAt(validUntil, windowMs, at);
    return token;
  };

  const refresh = (): Promise<Token<V>> => {
    const old = current !== undefined && now() < validUntil && client.capabilities.renew ? current : undefined;
    const next = old
      ? (client as unknown as Renewable<V>).renew(old).catch((error: TokenError) => {
          if (RENEW_FALLBACK.test(error?.code)) return client.issue();
          throw error;
        })
      : client.issue();
    const flight: Promise<Token<V>> = next.then(
      (token) => {
        if (pending === flight) pending = undefined;
        return adopt(token);
      },
      (error: unknown) => {
        // Never cache a failure: the next getToken() tries again.
        if (pending === flight) pending = undefined;
        throw error;
      },
    );
    pending = flight;
    return flight;
  };

  const source: TokenSource<V> = {
    vendor: client.vendor,
    getToken() {
      if (cached !== undefined && now() < refreshAt) return cached;
      if (cached !== undefined && now() < validUntil) {
        // Refresh ahead in the background; while it runs, or if it fails, the old token is still good.
        if (pending === undefined) refresh().catch(ignore);
        return cached;
      }
      return pending ?? refresh();
    },
    invalidate(token) {
      if (token !== undefined && token !== current) return;
      current = cached = undefined;
      refreshAt = validUntil = 0;
    },
  };
  const describeSource = () => ({ vendor: client.vendor, cached: current !== undefined, expiresAt: current?.expiresAt?.toISOString() });
  Object.defineProperties(source, {
    [INTERNAL]: { value: internals },
    toJSON: { value: describeSource },
    [INSPECT]: { value: describeSource },
  });
  return Object.freeze(source);
}
