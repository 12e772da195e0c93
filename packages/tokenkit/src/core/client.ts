import { INTERNAL, checkInteger, describe, expectOption, isObject, createRejecter, type Reject } from "./check.js";
import { fail, TokenError } from "./errors.js";
import type { Call, ErrorReader, RetryPolicy } from "./http.js";
import { createRedactor } from "./redact.js";
import { computeRefreshAt } from "./token.js";
import type { ClientInternals } from "./source.js";
import type { CallOptions, CommonClientOptions, Token, TokenEvent, VendorId } from "./types.js";

/** What an adapter gets from the facade to build its vendor clients. */
export interface AdapterEnv {
  /** The options every vendor client takes, as the caller gave them (the vendor package checks them). */
  readonly base: {
    readonly baseUrl: string | undefined;
    readonly fetch: typeof globalThis.fetch | undefined;
    readonly allowInsecureHttp: boolean | undefined;
    /** Bounds each call of the vendor client (the `api` calls; token calls also have the facade's per-attempt limit). */
    readonly timeoutMs: number;
    readonly maxResponseBytes: number | undefined;
  };
  /**
   * The options of the vendor clients the token operations call through: `base` without a timeout of
   * its own, as each attempt already has the facade's (one deadline per attempt, not two).
   */
  readonly wire: Omit<AdapterEnv["base"], "timeoutMs">;
  /** The api client's token provider: the token this client issued or renewed last, or a new one. */
  readonly token: () => Promise<string>;
  /** The Token behind {@link AdapterEnv.token}. */
  readonly current: () => Promise<Token>;
  /** Rejects a vendor option before any I/O. */
  readonly reject: Reject;
}

/** A vendor's implementation of the uniform operations; the ones it lacks are absent. */
export interface Operations<V extends VendorId> {
  readonly issue: (call: Call) => Promise<Token<V>>;
  readonly renew?: (call: Call, token: Token<V>) => Promise<Token<V>>;
  readonly revoke?: (call: Call, token: Token<V>) => Promise<void>;
  readonly introspect?: (call: Call, token: Token<V>) => Promise<unknown>;
}

/** Everything the facade needs to know about one vendor; one adapter file per vendor. */
export interface Adapter<V extends VendorId, O> {
  readonly vendor: V;
  /** Credential field names; a trailing "?" marks an optional one. */
  readonly credentials: readonly string[];
  /** The credential fields that say whose token it is (username, client id): never a secret. */
  readonly identity: readonly string[];
  /** Reads error bodies; default: OAuth `{error, error_description}` or `{code, message}`. */
  readonly readError?: ErrorReader;
  /** The Authorization scheme of an access token; default "Bearer". */
  readonly scheme?: string;
  /** Checks vendor options and builds the authenticated `api` and the operations. */
  readonly setup: (options: O, env: AdapterEnv) => { readonly api: unknown; readonly operations: Operations<V> };
}

const OPERATIONS = ["issue", "renew", "revoke", "introspect"] as const;

function checkRetry(reject: Reject, retry: unknown): RetryPolicy | false {
  if (retry === false) return false;
  expectOption(reject, retry === undefined || isObject(retry), "retry", "false or { retries, baseDelayMs, maxDelayMs }", retry);
  const { retries, baseDelayMs, maxDelayMs } = (retry ?? {}) as Record<string, unknown>;
  return {
    retries: checkInteger(reject, "retry.retries", retries, 0, 10, 2),
    baseDelayMs: checkInteger(reject, "retry.baseDelayMs", baseDelayMs, 0, 60_000, 500),
    maxDelayMs: checkInteger(reject, "retry.maxDelayMs", maxDelayMs, 0, 60_000, 8_000),
  };
}

/**
 * Checks each credential field: a non-empty string, or a function (a secret source, called per request
 * by the adapters through bindSecret). Returns them for the redactor, which masks what the functions return.
 */
function checkCredentials(reject: Reject, fields: readonly string[], credentials: unknown): (string | (() => unknown))[] {
  expectOption(reject, isObject(credentials), "credentials", "an object", credentials);
  const values: (string | (() => unknown))[] = [];
  for (const field of fields) {
    const name = field.replace("?", "");
    const value = (credentials as Record<string, unknown>)[name];
    if (value === undefined && name !== field) continue;
    if (typeof value === "function") {
      values.push(value as () => unknown);
      continue;
    }
    // Never echo a credential, not even a malformed one.
    if (typeof value !== "string" || !value.trim()) reject(`credentials.${name} must be a non-empty string or a function returning one; received ${describe(value, true)}`);
    values.push(value);
  }
  return values;
}

// Options that change how a call is made, not which token it gets.
const TRANSPORT_OPTIONS = new Set(["credentials", "fetch", "timeoutMs", "retry", "allowInsecureHttp", "onEvent"]);

/** Vendor, origin, token-shaping options and the credential's identity fields, as one string (no secrets). */
async function describeIdentity(adapter: Pick<Adapter<VendorId, never>, "vendor" | "identity">, options: CommonClientOptions): Promise<string> {
  const credentials = (options as { credentials: Record<string, unknown> }).credentials;
  const shaping = Object.entries(options)
    .filter(([key, value]) => !TRANSPORT_OPTIONS.has(key) && value !== undefined && typeof value !== "function")
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const who = await Promise.all(adapter.identity.map(async (field) => [field, await resolveValue(credentials[field])]));
  return JSON.stringify([adapter.vendor, shaping, who]);
}

/** A plain value, or what a function (a secret source) returns for it. */
async function resolveValue(value: unknown): Promise<unknown> {
  return typeof value === "function" ? await (value as () => unknown)() : value;
}

/** Builds a vendor's TokenClient after checking every option; no I/O happens here. */
export function buildClient<V extends VendorId, O extends CommonClientOptions>(adapter: Adapter<V, O>, vendor: unknown, options: O): unknown {
  const id = adapter.vendor;
  const reject: Reject = createRejecter(id, "createTokenClient");
  if (vendor !== id) reject(`expected the vendor id "${id}"; received ${describe(vendor)}`);
  if (!isObject(options)) reject(`expected an options object; received ${describe(options)}`);
  const secrets = checkCredentials(reject, adapter.credentials, (options as { credentials?: unknown }).credentials);
  const timeoutMs = checkInteger(reject, "timeoutMs", options.timeoutMs, 1, 2_147_483_647, 30_000);
  const retry = checkRetry(reject, options.retry);
  const maxResponseBytes = checkInteger(reject, "maxResponseBytes", options.maxResponseBytes, 1, Number.MAX_SAFE_INTEGER);
  const redact = createRedactor(secrets);
  expectOption(reject, options.onEvent === undefined || typeof options.onEvent === "function", "onEvent", "a function", options.onEvent);
  const listener = options.onEvent;
  // A listener is an observer: what it throws must never change a call's outcome.
  const emit = (event: TokenEvent): void => {
    try {
      listener?.(event);
    } catch {
      // Ignored, as documented on TokenEventListener.
    }
  };

  // The api's token: the one issue() or renew() returned last until it is within a minute of expiry
  // (half its lifetime when shorter), else a new one, issued once for all concurrent requests. A cache
  // of its own keeps createTokenSource out of bundles that never call it.
  let latest: Token<V> | undefined;
  let refreshAt = 0;
  let issuing: Promise<Token<V>> | undefined;
  const adopt = (token: Token<V>): Token<V> => {
    refreshAt = computeRefreshAt(token.expiresAt?.getTime() ?? Infinity, 60_000, Date.now());
    return (latest = token);
  };
  const current = (): Promise<Token<V>> =>
    latest && Date.now() < refreshAt ? Promise.resolve(latest) : (issuing ??= client.issue().finally(() => (issuing = undefined)));

  let built: ReturnType<Adapter<V, O>["setup"]>;
  try {
    const wire = { baseUrl: options.baseUrl, fetch: options.fetch, allowInsecureHttp: options.allowInsecureHttp, maxResponseBytes };
    built = adapter.setup(options, {
      base: { ...wire, timeoutMs },
      wire,
      current,
      token: () => current().then((token) => token.accessToken),
      reject,
    });
  } catch (error) {
    if (error instanceof TokenError) throw error;
    // The vendor package checks baseUrl (absolute, no credentials, http only to loopback unless
    // allowInsecureHttp), fetch and its own options; its TypeError (ERR_INVALID_OPTION) becomes ours.
    reject(redact(String((error as Error)?.message).replace(/^@tokenkit\/\w+: /, "").replace("`auth`", '"credentials"')));
  }
  const { api, operations } = built;

  const capabilities: Record<string, boolean> = {};
  const client: Record<PropertyKey, unknown> & { issue: (callOptions?: CallOptions) => Promise<Token<V>> } = { vendor: id, capabilities, api } as never;
  for (const name of OPERATIONS) {
    const operation = operations[name] as ((call: Call, token?: Token<V>) => Promise<unknown>) | undefined;
    capabilities[name] = !!operation;
    // An operation the vendor lacks stays callable but hidden, so JavaScript callers get a TokenError.
    Object.defineProperty(client, name, {
      enumerable: !!operation,
      value: async (first?: unknown, second?: unknown) => {
        const refuse: Reject = createRejecter(id, name);
        if (!operation) fail({ vendor: id, operation: name }, `${id} has no ${name} operation (see capabilities)`, "unsupported");
        // issue(options); the others (token, options).
        const [token, callOptions] = (name === "issue" ? [undefined, first] : [first, second]) as [Token<V> | undefined, CallOptions | undefined];
        if (callOptions !== undefined && !isObject(callOptions)) refuse(`expected an options object; received ${describe(callOptions)}`);
        const signal = (callOptions as CallOptions | undefined)?.signal;
        if (signal !== undefined && typeof signal?.addEventListener !== "function") refuse('option "signal" must be an AbortSignal');
        if (name !== "issue" && !(isObject(token) && token.vendor === id && typeof token.accessToken === "string" && token.accessToken)) {
          refuse(`expected a ${id} Token from issue() or renew(); received ${isObject(token) ? "another object" : describe(token, true)}`);
        }
        const redactCall = token ? createRedactor([...secrets, token.accessToken]) : redact;
        const call: Call = { vendor: id, operation: name, timeoutMs, retry, signal, redact: redactCall, readError: adapter.readError, emit };
        const result = await operation(call, token);
        if (name === "issue" || name === "renew") emit({ type: name === "issue" ? "issued" : "renewed", vendor: id, operation: name, expiresAt: (result as Token<V>).expiresAt });
        else if (name === "revoke") emit({ type: "revoked", vendor: id, operation: name });
        // The api keeps the token issue or renew returned, and drops the one revoke killed.
        if (name === "revoke" && token === latest) latest = undefined;
        return name === "issue" || name === "renew" ? adopt(result as Token<V>) : result;
      },
    });
  }
  Object.freeze(capabilities);
  // What createTokenSource and authMiddleware read.
  Object.defineProperty(client, INTERNAL, {
    value: {
      authorize: (accessToken: string) => `${adapter.scheme ?? "Bearer"} ${accessToken}`,
      emit,
      identity: () => describeIdentity(adapter, options),
    } satisfies ClientInternals,
  });
  return Object.freeze(client);
}
