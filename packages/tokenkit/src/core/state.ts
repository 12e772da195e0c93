import type { Token } from "./types.js";

/**
 * Vendor state a token needs beyond its own fields to be renewed or revoked (AuthAPI: the long-term
 * token behind a short-term one). Plain JSON, so `serializeToken` can carry it to another process.
 */
export type TokenState = Readonly<Record<string, unknown>>;

// Tokens are frozen and their serialised forms must stay redacted, so the state lives beside them,
// keyed by the token object: it is garbage-collected with the token and never enumerable on it.
// One registry per realm (not per client, nor per copy of tokenkit: the ESM and CJS builds, or a
// store package's own copy, share it), so a new client can renew a token another one issued.
const REGISTRY = Symbol.for("tokenkit.tokenState");

function readRegistry(): WeakMap<object, TokenState> {
  const realm = globalThis as { [REGISTRY]?: WeakMap<object, TokenState> };
  return (realm[REGISTRY] ??= new WeakMap());
}

/** Attaches vendor state to a token (it is shared by every client of this realm and by serializeToken). */
export function attachTokenState(token: Token, state: TokenState): void {
  readRegistry().set(token, state);
}

/** The vendor state attached to a token, if any. */
export function readTokenState(token: Token): TokenState | undefined {
  return readRegistry().get(token);
}
