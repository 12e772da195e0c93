import { INTERNAL, checkInteger, expectOption, isObject, createRejecter, type Reject } from "./check.js";
import { createError, type TokenError } from "./errors.js";
import { createRedactor } from "./redact.js";
import type { TokenLease, TokenStore } from "./store.js";
import { computeRefreshAt, INSPECT } from "./token.js";
import type { AnyTokenClient, CallOptions, Renewable, Revocable, Token, TokenEvent, VendorId } from "./types.js";

/** Options of {@link createTokenSource}. */
export interface TokenSourceOptions {
  /** Refresh this long before expiry (at most half the token's remaining lifetime); default 120000. */
  readonly refreshWindowMs?: number;
  /** Treat tokens as expiring this much earlier, for clocks that disagree; default 0. */
  readonly clockSkewMs?: number;
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Shares the token with every source of the same credential that uses the same store (other
   * processes, with `@tokenkit/redis`): one issue per credential per token lifetime across all of
   * them. Default: none; the token stays in this source's memory, as before.
   */
  readonly store?: TokenStore;
  /** Budget of one store call in ms; past it (or on a store error) the source issues here and emits `store-fallback`. Default 1000. */
  readonly storeTimeoutMs?: number;
  /** How long one process may issue under the store's lease before another takes over (the holder may have died); default 10000. */
  readonly leaseMs?: number;
  /** How long a caller waits for another process to store a token before issuing here (`store-fallback`); default leaseMs + 5000. */
  readonly waitMs?: number;
}

/** A cached, self-refreshing supply of tokens from one client. */
export interface TokenSource<V extends VendorId = VendorId> {
  readonly vendor: V;
  /** The cached token, or a fresh one; concurrent callers share one refresh (across processes with a store). */
  getToken(): Promise<Token<V>>;
  /**
   * Drops the cached token (only if it is `token`, when given), so the next getToken() fetches a new
   * one; a store's copy of that token is not adopted again (the next issue overwrites it).
   */
  invalidate(token?: Token<V>): void;
  /**
   * Revokes the current token (this source's, or else the store's): removes it from the store and
   * from this source first, so no source of the store serves it afterwards (others drop it when the
   * store notifies them, else at their next refresh), then revokes it at the vendor where the vendor
   * can (see `capabilities.revoke`). The next getToken() issues a new token.
   */
  revoke(options?: CallOptions): Promise<void>;
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
// How long a store keeps a token that has no expiry (the vendor gave none).
const NO_EXPIRY_TTL_MS = 24 * 3_600_000;
// While another process refreshes ahead, look at the store again this often (a notification is sooner).
const RECHECK_MS = 1_000;
// Polling of a waiter without notifications: first delay, doubled up to the cap.
const POLL_FIRST_MS = 20;
const POLL_MAX_MS = 500;

const ignore = () => {};

/** A store call failed or ran out of time: the source goes on without the store. */
class StoreUnavailable extends Error {}

/** Hex SHA-256 of a string, through WebCrypto (Node, browsers, workers). */
async function hashText(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Caches a client's token and refreshes it ahead of expiry (renew where the vendor can, otherwise
 * issue; a renew refused as unauthorized/invalid falls back to issue). At most one refresh runs at a
 * time, failures are never cached, and a failed refresh keeps serving the old token while it is valid.
 * A token is never handed out past its expiry, and a vendor answer that has already expired is
 * refused (`invalid_response`). Tokens without an expiry stay until invalidated.
 *
 * With a `store`, the in-process cache stays in front (a cached getToken() never touches the store);
 * a refresh reads the store first, and only the process holding the store's lease issues or renews,
 * while the others keep serving their valid token or wait for the new one. A store that fails or is
 * slow never fails getToken(): the source issues here and emits `store-fallback`.
 */
export function createTokenSource<V extends VendorId>(client: AnyTokenClient<V>, options: TokenSourceOptions = {}): TokenSource<V> {
  const internals = (isObject(client) ? client[INTERNAL] : undefined) as ClientInternals | undefined;
  const reject: Reject = createRejecter(internals ? client.vendor : undefined, "createTokenSource");
  if (!internals) reject("expected a client made by createTokenClient()");
  if (!isObject(options)) reject("expected an options object");
  const windowMs = checkInteger(reject, "refreshWindowMs", options.refreshWindowMs, 0, Number.MAX_SAFE_INTEGER, 120_000);
  const skewMs = checkInteger(reject, "clockSkewMs", options.clockSkewMs, 0, Number.MAX_SAFE_INTEGER, 0);
  expectOption(reject, options.now === undefined || typeof options.now === "function", "now", "a function returning ms", options.now);
  const store = options.store as TokenStore | undefined;
  const given: unknown = store;
  const storeMethods = ["get", "set", "delete", "acquire", "release"] as const;
  expectOption(reject, given === undefined || (isObject(given) && storeMethods.every((name) => typeof given[name] === "function")), "store", "a TokenStore (get, set, delete, acquire, release)", given);
  const storeTimeoutMs = checkInteger(reject, "storeTimeoutMs", options.storeTimeoutMs, 1, 600_000, 1_000);
  const leaseMs = checkInteger(reject, "leaseMs", options.leaseMs, 1, 3_600_000, 10_000);
  const waitMs = checkInteger(reject, "waitMs", options.waitMs, 0, 3_600_000, leaseMs + 5_000);
  const now = (options.now ?? Date.now) as () => number;
  const vendor = client.vendor;
  const { emit } = internals;

  let current: Token<V> | undefined;
  let cached: Promise<Token<V>> | undefined;
  let pending: Promise<Token<V>> | undefined;
  let refreshAt = 0;
  let validUntil = 0;
  // Made once per token, so the cached path emits without allocating.
  let cachedEvent: TokenEvent | undefined;
  // The access token invalidate() refused: a store still holding it is not believed.
  let refused: string | undefined;

  const adopt = (token: Token<V>, from?: "store", holdOffMs = 0): Token<V> => {
    const expiry = token.expiresAt?.getTime();
    const at = now();
    current = token;
    // One resolved promise per token keeps the cached path of getToken() allocation-free.
    cached = Promise.resolve(token);
    validUntil = expiry === undefined ? Infinity : expiry - skewMs;
    // holdOffMs: another process is refreshing this token; look again that soon (a notification is sooner).
    refreshAt = holdOffMs > 0 ? Math.min(validUntil, at + holdOffMs) : computeRefreshAt(validUntil, windowMs, at);
    cachedEvent = Object.freeze({ type: "cached", vendor, operation: "createTokenSource", from: "memory", expiresAt: token.expiresAt });
    if (from) emit({ type: "cached", vendor, operation: "createTokenSource", from, expiresAt: token.expiresAt });
    return token;
  };

  const drop = () => {
    current = cached = cachedEvent = undefined;
    refreshAt = validUntil = 0;
  };

  const isUsable = (token: Token | undefined): token is Token<V> =>
    token !== undefined && token.vendor === vendor && token.accessToken !== refused && (token.expiresAt === undefined || now() < token.expiresAt.getTime() - skewMs);
  // The same token: the same secret and expiry (a renew may extend a token and keep its secret: Mindbody).
  const isSame = (one: Token | undefined, other: Token | undefined): boolean =>
    one !== undefined && other !== undefined && one.accessToken === other.accessToken && one.expiresAt?.getTime() === other.expiresAt?.getTime();
  // A refresh starts when this source's token is due; a valid token in the store other than that one
  // is another process's newer token (its own refresh time is worked out when it is adopted).
  const isNewer = (token: Token<V>): boolean => !isSame(token, current);

  /** Renews `base` where the vendor can (issue when refused), else issues; refuses an answer that has already expired. */
  const fetchFresh = async (base: Token<V> | undefined): Promise<Token<V>> => {
    const renewing = base !== undefined && client.capabilities.renew;
    const token = await (renewing
      ? (client as unknown as Renewable<V>).renew(base).catch((error: TokenError) => {
          if (RENEW_FALLBACK.test(error?.code)) return client.issue();
          throw error;
        })
      : client.issue());
    const expiry = token.expiresAt?.getTime();
    if (expiry !== undefined && !(expiry > now())) {
      throw createError({ vendor, operation: renewing ? "renew" : "issue" }, `the vendor answered with a token that had already expired (expiresAt ${token.expiresAt?.toISOString()}, now ${new Date(now()).toISOString()}); expected a token that is still valid`, { code: "invalid_response", retryable: false });
    }
    return token;
  };

  const validCurrent = (): Token<V> | undefined => (current !== undefined && now() < validUntil && current.accessToken !== refused ? current : undefined);

  // ---- the store layer: everything below runs only on a refresh, never on the cached path ----

  const redactReason = (text: string): string => createRedactor(current ? [current.accessToken] : [])(text).slice(0, 200);
  const storeCall = <T>(what: string, call: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, fail) => {
      const timer = setTimeout(() => fail(new StoreUnavailable(`store ${what} took longer than ${storeTimeoutMs} ms`)), storeTimeoutMs);
      Promise.resolve()
        .then(call)
        .then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            const message = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
            fail(new StoreUnavailable(`store ${what} failed (${redactReason(message)})`));
          },
        );
    });
  const fallBack = (error: unknown): void => {
    emit({ type: "store-fallback", vendor, operation: "createTokenSource", reason: error instanceof StoreUnavailable ? error.message : "store error" });
  };

  let keyFlight: Promise<string> | undefined;
  const readKey = (): Promise<string> =>
    (keyFlight ??= internals
      .identity()
      .then((identity) => hashText(identity))
      .then((hash) => `${vendor}:${hash}`)
      .catch((error: unknown) => {
        keyFlight = undefined;
        throw error;
      }));

  // Waiters for another process's token, woken early by the store's change notification.
  const wakers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  // Another process wrote or removed the token: wake the waiters, and drop or replace this source's
  // copy when the store no longer holds it (a revoke elsewhere, or a refresh ahead by another process).
  let changedMeanwhile: string | undefined;
  const recheck = async (key: string) => {
    const token = current;
    if (!store || token === undefined) return;
    // A refresh in flight settles this source's token; look once more after it.
    if (pending !== undefined) return void (changedMeanwhile = key);
    const shared = await storeCall("get", () => store.get(key)).catch(() => token);
    if (current !== token || pending !== undefined || isSame(shared, token)) return;
    if (isUsable(shared)) adopt(shared, "store");
    else drop();
  };
  let subscribed: Promise<unknown> | undefined;
  const subscribe = (key: string) => {
    if (!store?.subscribe || subscribed) return;
    const onChange = () => {
      for (const wake of [...wakers]) wake();
      recheck(key).catch(ignore);
    };
    subscribed = storeCall("subscribe", () => store.subscribe!(key, onChange)).catch(() => {
      // Waiters poll meanwhile; the next refresh tries again.
      subscribed = undefined;
    });
  };

  const holdLease = async (key: string, lease: TokenLease, base: Token<V> | undefined): Promise<Token<V>> => {
    try {
      // Another process may have stored a token between our look and our lease.
      const shared = await storeCall("get", () => store!.get(key));
      if (isUsable(shared) && isNewer(shared)) return adopt(shared, "store");
      const token = await fetchFresh(isUsable(shared) ? shared : base);
      const remaining = token.expiresAt === undefined ? NO_EXPIRY_TTL_MS : token.expiresAt.getTime() - now();
      // false: our lease lapsed and someone else holds it now; the store keeps theirs, we keep ours.
      await storeCall("set", () => store!.set(key, token, { ttlMs: Math.max(1, Math.ceil(remaining)), lease })).catch(fallBack);
      return adopt(token);
    } finally {
      storeCall("release", () => store!.release(lease)).catch(ignore);
    }
  };

  const refreshThroughStore = async (shared: Token | undefined, key: string): Promise<Token<V>> => {
    const started = Date.now();
    let delay = POLL_FIRST_MS;
    for (;;) {
      const base = isUsable(shared) ? shared : validCurrent();
      const lease = await storeCall("acquire", () => store!.acquire(key, leaseMs));
      if (lease) return holdLease(key, lease, base);
      // Another process is refreshing: keep serving a valid token meanwhile, and look again later.
      if (base) return adopt(base, base === shared && base !== current ? "store" : undefined, RECHECK_MS);
      const left = waitMs - (Date.now() - started);
      if (left <= 0) throw new StoreUnavailable(`waited ${waitMs} ms for another process's token`);
      await pause(Math.min(delay, left));
      delay = Math.min(delay * 2, POLL_MAX_MS);
      shared = await storeCall("get", () => store!.get(key));
      if (isUsable(shared)) return adopt(shared, "store");
    }
  };

  const refreshShared = async (): Promise<Token<V>> => {
    let shared: Token | undefined;
    let key: string;
    try {
      key = await storeCall("key", readKey);
      subscribe(key);
      shared = await storeCall("get", () => store!.get(key));
      if (isUsable(shared) && isNewer(shared)) return adopt(shared, "store");
      return await refreshThroughStore(isUsable(shared) ? shared : undefined, key);
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      fallBack(error);
      return adopt(await fetchFresh(validCurrent()));
    }
  };

  const refresh = (): Promise<Token<V>> => {
    const next = store ? refreshShared() : fetchFresh(validCurrent()).then((token) => adopt(token));
    const settle = () => {
      if (pending !== flight) return;
      pending = undefined;
      const key = changedMeanwhile;
      changedMeanwhile = undefined;
      if (key !== undefined) recheck(key).catch(ignore);
    };
    const flight: Promise<Token<V>> = next.then(
      (token) => {
        settle();
        return token;
      },
      (error: unknown) => {
        // Never cache a failure: the next getToken() tries again.
        settle();
        throw error;
      },
    );
    pending = flight;
    return flight;
  };

  const source: TokenSource<V> = {
    vendor,
    getToken() {
      if (cached !== undefined && now() < refreshAt) {
        emit(cachedEvent!);
        return cached;
      }
      if (cached !== undefined && now() < validUntil) {
        // Refresh ahead in the background; while it runs, or if it fails, the old token is still good.
        if (pending === undefined) refresh().catch(ignore);
        emit(cachedEvent!);
        return cached;
      }
      return pending ?? refresh();
    },
    invalidate(token) {
      if (token !== undefined && token !== current) return;
      refused = current?.accessToken ?? refused;
      drop();
    },
    async revoke(callOptions) {
      let token = current;
      refused = token?.accessToken ?? refused;
      drop();
      if (store) {
        try {
          const key = await storeCall("key", readKey);
          if (token === undefined) {
            const shared = await storeCall("get", () => store.get(key));
            if (isUsable(shared)) token = shared;
            refused = token?.accessToken ?? refused;
          }
          await storeCall("delete", () => store.delete(key));
        } catch (error) {
          if (!(error instanceof StoreUnavailable)) throw error;
          fallBack(error);
        }
      }
      if (token !== undefined && client.capabilities.revoke) await (client as unknown as Revocable<V>).revoke(token, callOptions);
    },
  };
  const describeSource = () => ({ vendor, cached: current !== undefined, shared: store !== undefined, expiresAt: current?.expiresAt?.toISOString() });
  Object.defineProperties(source, {
    [INTERNAL]: { value: internals },
    toJSON: { value: describeSource },
    [INSPECT]: { value: describeSource },
  });
  return Object.freeze(source);
}
