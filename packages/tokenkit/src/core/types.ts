/** The five vendor ids; the same everywhere (folder, spec, package suffix, facade argument). */
export type VendorId = "mindbody" | "vidispine" | "sftpgo" | "genesys" | "authapi";

/** What the facade was doing when a TokenError happened. */
export type TokenOperation = "createTokenClient" | "createTokenSource" | "authMiddleware" | "issue" | "renew" | "revoke" | "introspect" | "serializeToken" | "deserializeToken";

/**
 * A token, normalised across vendors. Read-only. `toJSON()`, `String()` and `util.inspect` redact
 * `accessToken` and every token-bearing field of `raw`; the properties themselves stay readable in code.
 */
export interface Token<V extends VendorId = VendorId> {
  readonly vendor: V;
  /** The secret to send; see {@link TokenClientBase.capabilities} and `authMiddleware` for the header format. */
  readonly accessToken: string;
  /** Lowercase token type: `bearer`, or `token` for Vidispine. */
  readonly tokenType: string;
  /** Absolute expiry; absent when the vendor gives none. */
  readonly expiresAt?: Date;
  /** The vendor's id for the token (AuthAPI `token_id`), used to revoke it. */
  readonly tokenId?: string;
  /** Space-separated scopes, when the vendor reports them. */
  readonly scope?: string;
  /** The vendor's response body, as received (redacted when serialised or inspected). */
  readonly raw: unknown;
}

/** Per-call options of every token operation. */
export interface CallOptions {
  /** Aborts the call (including retries and their waits). */
  readonly signal?: AbortSignal;
}

/** Retry policy for issue and renew (408, 429, 5xx, network errors and timeouts). */
export interface RetryOptions {
  /** Retries after the first attempt; default 2. */
  readonly retries?: number;
  /** First backoff delay in ms, doubled per retry, with jitter; default 500. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff delay in ms; default 8000. `Retry-After` (up to 60 s) overrides it. */
  readonly maxDelayMs?: number;
}

/** Options every vendor's token client takes. */
export interface CommonClientOptions {
  /** Root URL of the vendor API; defaults to the vendor spec's server. */
  readonly baseUrl?: string;
  /** A fetch implementation to use instead of `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  /** Time limit of one attempt in ms, response body included; default 30000. It holds whatever fetch does (see README: worst case with retries). */
  readonly timeoutMs?: number;
  /** The most bytes read from one response body; default 65536. A larger body ends the call with `invalid_response`. */
  readonly maxResponseBytes?: number;
  /** Retry policy for issue/renew, or `false` for none. */
  readonly retry?: RetryOptions | false;
  /** Allow `http://` to a non-loopback host (credentials would travel in clear text). */
  readonly allowInsecureHttp?: boolean;
  /** Called with every request, response, retry and token event of this client (redacted; see {@link TokenEvent}). */
  readonly onEvent?: TokenEventListener;
}

/** Which uniform operations a vendor supports. */
export interface Capabilities<R extends boolean = boolean, X extends boolean = boolean, I extends boolean = boolean> {
  readonly issue: true;
  readonly renew: R;
  readonly revoke: X;
  readonly introspect: I;
}

/** What every token client has. */
export interface TokenClientBase<V extends VendorId, Api, C extends Capabilities> {
  readonly vendor: V;
  readonly capabilities: C;
  /**
   * The vendor's generated openapi-fetch client, authenticated with the client's credentials and with
   * the most recent token this client issued or renewed (one is issued on first use when there is none).
   */
  readonly api: Api;
  /** Gets a new token from the vendor. Retried on 408/429/5xx/network errors per `retry`. */
  issue(options?: CallOptions): Promise<Token<V>>;
}

/** A client whose vendor can extend a token. */
export interface Renewable<V extends VendorId> {
  /** Gets a fresh token from an existing one (retried like issue). */
  renew(token: Token<V>, options?: CallOptions): Promise<Token<V>>;
}

/** A client whose vendor can invalidate a token. */
export interface Revocable<V extends VendorId> {
  /** Invalidates the token at the vendor. Not retried. */
  revoke(token: Token<V>, options?: CallOptions): Promise<void>;
}

/** A client whose vendor can describe a token. */
export interface Introspectable<V extends VendorId, I> {
  /** Describes the token (vendor-specific shape). */
  introspect(token: Token<V>, options?: CallOptions): Promise<I>;
}

/** The structural shape createTokenSource needs; every vendor's TokenClient matches it. */
export interface AnyTokenClient<V extends VendorId = VendorId> {
  readonly vendor: V;
  readonly capabilities: Capabilities;
  /** Issues a new token. */
  issue(options?: CallOptions): Promise<Token<V>>;
}

/** What a {@link TokenEvent} is about: where a request went (origin and path only: never a query, token or secret). */
export interface TokenEventBase {
  readonly vendor: VendorId;
  readonly operation: TokenOperation;
}

/**
 * One thing that happened in a client or a source, for logs and metrics. Events carry origins, paths,
 * statuses, timings and reasons only: never a token, a credential or a query string.
 */
export type TokenEvent =
  /** An attempt is about to be sent. `attempt` counts from 1. */
  | (TokenEventBase & { readonly type: "request"; readonly attempt: number; readonly method: string; readonly origin: string; readonly path: string })
  /** An attempt got an HTTP response (any status) after `ms`. */
  | (TokenEventBase & { readonly type: "response"; readonly attempt: number; readonly method: string; readonly origin: string; readonly path: string; readonly status: number; readonly ms: number })
  /** A failed attempt will be retried after `delayMs`; `reason` is the failure's TokenError code. */
  | (TokenEventBase & { readonly type: "retry"; readonly attempt: number; readonly delayMs: number; readonly reason: string })
  /** issue() or renew() produced a token. */
  | (TokenEventBase & { readonly type: "issued" | "renewed"; readonly expiresAt?: Date })
  /** revoke() succeeded. */
  | (TokenEventBase & { readonly type: "revoked" })
  /** A token source served its cached (or shared-store) token. `from` says which layer. */
  | (TokenEventBase & { readonly type: "cached"; readonly from: "memory" | "store"; readonly expiresAt?: Date })
  /** A store call failed or ran past its budget; the source went on without the store. `reason` is a redacted message. */
  | (TokenEventBase & { readonly type: "store-fallback"; readonly reason: string });

/** Receives {@link TokenEvent}s. A listener that throws is ignored: events never change a call's outcome. */
export type TokenEventListener = (event: TokenEvent) => void;
