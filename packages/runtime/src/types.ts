import type { Client } from "openapi-fetch";
import type { FetchLike } from "./transport.js";

/** A secret value, or a function that supplies it per request (for rotating tokens and vaults). */
export type SecretSource = string | (() => string | Promise<string>);

/** Options every vendor client accepts. */
export interface BaseClientOptions {
  /** Root URL of the API; defaults to the spec's server. `http://` only for loopback unless `allowInsecureHttp`. */
  readonly baseUrl?: string;
  /** A fetch implementation to use instead of `globalThis.fetch` (looked up per request); it gets the request and `{ signal, redirect }`. */
  readonly fetch?: FetchLike;
  /** Headers sent with every request; a header given here or per call wins over configured auth. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Allow `http://` to a non-loopback host (credentials then travel in clear text). */
  readonly allowInsecureHttp?: boolean;
  /** Time limit of one call in ms, response body included; none by default (as fetch). A call's own `signal` also ends it. */
  readonly timeoutMs?: number;
  /** The most bytes read from one response body (default 65536); a larger body fails the call with `ERR_RESPONSE_TOO_LARGE`. */
  readonly maxResponseBytes?: number;
}

/** Security alternatives (OR) of scheme names (AND), as in an OpenAPI security requirement list. */
export type Security = readonly (readonly string[])[];

/** Per-call options a spec hook sets for an operation; the caller's own options win. */
export interface CallDefaults {
  /** The operation's own server (OpenAPI operation-level `servers`). */
  readonly baseUrl?: string;
  /** Headers the operation needs unless the caller sets them (a form body's Content-Type). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a spec hook gets: the client (for middleware), the runtime tables, and per-operation call defaults. */
export interface HookContext {
  readonly client: Client<{}>;
  readonly runtime: VendorRuntime & ClientSpec;
  /** Sets the call defaults of operation `key` (`"METHOD /path/template"`). */
  readonly setCallDefaults: (key: string, defaults: CallDefaults) => void;
}

/**
 * A runtime piece for a spec feature only some specs use (form bodies, per-operation servers, text
 * bodies), applied to the operations `keys`. Specs without the feature do not reference it, so
 * bundlers leave its code out.
 */
export type SpecHook = (context: HookContext, keys: readonly string[]) => void;

/** What the client runtime needs from a spec; generated into `clientSpec`. */
export interface ClientSpec {
  /** The first server's URL, its variables at their defaults. */
  readonly baseUrl: string;
  /** How each security scheme travels: its header, and the text before the secret (`"Bearer "`; none for an API key). */
  readonly schemes: Readonly<Record<string, readonly [header: string, prefix?: string]>>;
  /** The security of every operation not in `operations`. */
  readonly security: Security;
  /** The operations whose security differs, keyed by `"METHOD /path/template"`. Every scheme named is in `schemes`. */
  readonly operations: Readonly<Record<string, Security>>;
  /** The spec's hooks, each with the operation keys it applies to. */
  readonly hooks: readonly (readonly [hook: SpecHook, ...keys: string[]])[];
}

/** A header filled from an auth option (a site id, a one-time code) unless the call sets it. */
export interface AuthHeader {
  readonly header: string;
  /** The key in `options.auth`. */
  readonly option: string;
  /** The operation keys (`"GET /path"`) that get the header; every operation when omitted. */
  readonly operations?: readonly string[];
}

/** What a vendor package adds to its spec: its name, and which `options.auth` keys feed which scheme or header. */
export interface VendorRuntime {
  readonly packageName: string;
  /** The key(s) in `options.auth` holding each security scheme's credential: [username, password] for Basic. */
  readonly auth: Readonly<Record<string, string | readonly [username: string, password: string]>>;
  readonly authHeaders?: readonly AuthHeader[];
  /** Base URLs of operations that live on their own server, keyed like `ClientSpec.operations`. */
  readonly operationBaseUrls?: Readonly<Record<string, string>>;
  /**
   * Rewrites a Basic credential pair before it is encoded (e.g. OAuth's form-urlencoding of client id and
   * secret, RFC 6749 §2.3.1), keyed by security scheme name.
   */
  readonly encodeBasic?: Readonly<Record<string, (username: string, password: string) => readonly [string, string]>>;
}
