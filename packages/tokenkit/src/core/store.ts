import type { Token } from "./types.js";

/**
 * Proof that one process holds a key's lease (cross-process single flight). Opaque to the source:
 * it only hands it back to the store that granted it.
 */
export interface TokenLease {
  /** The key the lease is for. */
  readonly key: string;
  /** A random owner id, so only the holder can write under the lease or release it. */
  readonly owner: string;
  /** When the lease lapses by itself (ms since the epoch), should its holder die. */
  readonly expiresAt: number;
}

/** Options of {@link TokenStore.set}. */
export interface TokenStoreSetOptions {
  /** How long the entry may live, in ms (the token's remaining lifetime); the store drops it then. */
  readonly ttlMs: number;
  /** Write only while this lease is still held (checked atomically); a lapsed lease writes nothing. */
  readonly lease?: TokenLease;
}

/**
 * Where a token source keeps its token beyond its own memory, so that many processes share one token
 * per credential. Keys are opaque strings made by the source (a prefix plus a hash of vendor, origin
 * and the credential's identity): a store never sees a credential. Every method may reject; the source
 * then falls back to issuing locally (a `store-fallback` event) and never fails a call for it.
 */
export interface TokenStore {
  /** The token stored under `key`, or undefined (absent, expired, or unreadable). */
  get(key: string): Promise<Token | undefined>;
  /** Stores `token` under `key`; resolves false when `options.lease` was given and is no longer held. */
  set(key: string, token: Token, options: TokenStoreSetOptions): Promise<boolean>;
  /** Removes the token under `key` (after a revoke, or when it was refused as invalid). */
  delete(key: string): Promise<void>;
  /** Tries to take `key`'s lease for `ttlMs`; undefined while another owner holds it. */
  acquire(key: string, ttlMs: number): Promise<TokenLease | undefined>;
  /** Gives a lease back early (only its owner's lease is removed). */
  release(lease: TokenLease): Promise<void>;
  /**
   * Optional change notification: calls `listener` when the token under `key` is written or removed,
   * so waiters need not poll. Returns a function that unsubscribes.
   */
  subscribe?(key: string, listener: () => void): Promise<() => void>;
}

/** Options of {@link createMemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Clock in ms since the epoch for entry and lease lifetimes; default `Date.now`. */
  readonly now?: () => number;
}

interface Entry {
  readonly token: Token;
  readonly expiresAt: number;
}

/**
 * A {@link TokenStore} in this process's memory: lets several token sources of one credential in one
 * process share a token and a lease (a source without a store keeps its token to itself). Entries,
 * leases and listeners live as long as the store.
 */
export function createMemoryTokenStore(options: MemoryTokenStoreOptions = {}): TokenStore {
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const leases = new Map<string, TokenLease>();
  const listeners = new Map<string, Set<() => void>>();
  const notify = (key: string) => {
    for (const listener of listeners.get(key) ?? []) queueMicrotask(listener);
  };
  const holds = (lease: TokenLease) => {
    const held = leases.get(lease.key);
    return held !== undefined && held.owner === lease.owner && now() < held.expiresAt;
  };
  return {
    async get(key) {
      const entry = entries.get(key);
      if (entry && now() >= entry.expiresAt) entries.delete(key);
      return entry && now() < entry.expiresAt ? entry.token : undefined;
    },
    async set(key, token, { ttlMs, lease }) {
      if (lease !== undefined && (lease.key !== key || !holds(lease))) return false;
      entries.set(key, { token, expiresAt: now() + ttlMs });
      notify(key);
      return true;
    },
    async delete(key) {
      entries.delete(key);
      notify(key);
    },
    async acquire(key, ttlMs) {
      const held = leases.get(key);
      if (held && now() < held.expiresAt) return undefined;
      const lease: TokenLease = Object.freeze({ key, owner: globalThis.crypto.randomUUID(), expiresAt: now() + ttlMs });
      leases.set(key, lease);
      return lease;
    },
    async release(lease) {
      if (leases.get(lease.key)?.owner === lease.owner) leases.delete(lease.key);
    },
    async subscribe(key, listener) {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      const own = () => listener();
      set.add(own);
      return () => {
        set.delete(own);
      };
    },
  };
}
