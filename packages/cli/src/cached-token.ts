import type { Token, TokenStore } from "tokenkit";

/** How long a token without an expiry stays cached (as long as tokenkit's token source keeps one). */
export const NO_EXPIRY_TTL_MS = 24 * 3_600_000;

/** The store's time to live for a token: its remaining lifetime, or {@link NO_EXPIRY_TTL_MS} without an expiry. */
export function computeTtl(token: Token, now: number): number {
  return token.expiresAt ? token.expiresAt.getTime() - now : NO_EXPIRY_TTL_MS;
}

/** Stores a token under `key` for its lifetime (no lease: `issue` and `renew` replace the entry outright). */
export async function storeToken(store: TokenStore, key: string, token: Token, now = Date.now()): Promise<void> {
  const ttlMs = computeTtl(token, now);
  if (ttlMs > 0) await store.set(key, token, { ttlMs });
  else await store.delete(key);
}
