import { INTERNAL, checkInteger, describe, isObject, createRejecter, type Reject } from "./check.js";
import { fail, TokenError } from "./errors.js";
import type { Call, ErrorReader, RetryPolicy } from "./http.js";
import { createRedactor } from "./redact.js";
import { openSource, type ClientInternals, type SourceControl } from "./source.js";
import { INSPECT } from "./token.js";
import type { AnyTokenClient, Capabilities, CallOptions, CommonClientOptions, Token, TokenOperation, VendorId } from "./types.js";

/** What an adapter gets from the facade to build its vendor clients. */
export interface AdapterEnv {
  /** The caller's fetch, if any (the vendor client falls back to globalThis.fetch at call time). */
  readonly fetch: typeof globalThis.fetch | undefined;
  /** The api client's token provider: the token this client issued or renewed last, or a new one. */
  readonly token: () => Promise<string>;
  /** The Token behind {@link AdapterEnv.token}. */
  readonly current: () => Promise<Token>;
  /** Rejects a vendor option before any I/O. */
  readonly reject: Reject;
}

/** A vendor's implementation of the uniform operations. */
export interface Operations<V extends VendorId> {
  readonly issue: (call: Call) => Promise<Token<V>>;
  readonly renew?: (token: Token<V>, call: Call) => Promise<Token<V>>;
  readonly revoke?: (token: Token<V>, call: Call) => Promise<void>;
  readonly introspect?: (token: Token<V>, call: Call) => Promise<unknown>;
}

/** Everything the facade needs to know about one vendor; one adapter file per vendor. */
export interface Adapter<V extends VendorId, O> {
  readonly vendor: V;
  readonly capabilities: Capabilities;
  /** Credential field names; a trailing "?" marks an optional one. */
  readonly credentials: readonly string[];
  readonly readError?: ErrorReader;
  /** The Authorization header value for an access token. */
  readonly authorize: (accessToken: string) => string;
  /** Checks vendor options and builds the authenticated `api` and the operations. */
  readonly setup: (options: O, env: AdapterEnv) => { readonly api: unknown; readonly operations: Operations<V> };
}

function checkRetry(reject: Reject, retry: unknown): RetryPolicy | false {
  if (retry === false) return false;
  if (retry !== undefined && !isObject(retry)) reject(`option "retry" must be false or { retries, baseDelayMs, maxDelayMs }; received ${describe(retry)}`);
  const options = retry ?? {};
  return {
    retries: checkInteger(reject, "retry.retries", options.retries, 0, 10, 2),
    baseDelayMs: checkInteger(reject, "retry.baseDelayMs", options.baseDelayMs, 0, 60_000, 500),
    maxDelayMs: checkInteger(reject, "retry.maxDelayMs", options.maxDelayMs, 0, 60_000, 8_000),
  };
}

function checkCredentials(reject: Reject, fields: readonly string[], credentials: unknown): string[] {
  if (!isObject(credentials)) return reject(`option "credentials" must be an object; received ${describe(credentials)}`);
  const values: string[] = [];
  for (const field of fields) {
    const name = field.replace("?", "");
    const value = credentials[name];
    if (value === undefined && name !== field) continue;
    // Never echo a credential, not even a malformed one.
    if (typeof value !== "string" || !value.trim()) reject(`credentials.${name} must be a non-empty string; received ${describe(value, true)}`);
    values.push(value);
  }
  return values;
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
  const redact = createRedactor(secrets);

  let control: SourceControl<V> | undefined;
  const share = () => (control ??= openSource(client as unknown as AnyTokenClient<V>));
  const env: AdapterEnv = {
    fetch: options.fetch,
    current: () => share().source.getToken(),
    token: () => share().source.getToken().then((token) => token.accessToken),
    reject,
  };
  let built: ReturnType<Adapter<V, O>["setup"]>;
  try {
    built = adapter.setup(options, env);
  } catch (error) {
    if (error instanceof TokenError) throw error;
    // The vendor package checks baseUrl (absolute, no credentials, http only to loopback unless
    // allowInsecureHttp), fetch and its own options; its TypeError (ERR_INVALID_OPTION) becomes ours.
    reject(redact(String((error as Error)?.message).replace(/^@tokenkit\/\w+: /, "").replace("`auth`", '"credentials"')));
  }
  const { api, operations } = built;

  const prepareCall = (operation: TokenOperation, callOptions: CallOptions | undefined, token?: Token<V>): Call => {
    const refuse: Reject = createRejecter(id, operation);
    if (callOptions !== undefined && !isObject(callOptions)) refuse(`expected an options object; received ${describe(callOptions)}`);
    const signal = (callOptions as CallOptions | undefined)?.signal;
    if (signal !== undefined && typeof signal?.addEventListener !== "function") refuse('option "signal" must be an AbortSignal');
    if (operation !== "issue" && !(isObject(token) && token.vendor === id && typeof token.accessToken === "string" && token.accessToken)) {
      refuse(`expected a ${id} Token from issue() or renew(); received ${isObject(token) ? "another object" : describe(token, true)}`);
    }
    return { vendor: id, operation, timeoutMs, retry, signal, redact: token ? createRedactor([...secrets, token.accessToken]) : redact, readError: adapter.readError };
  };

  const client: Record<PropertyKey, unknown> = {
    vendor: id,
    capabilities: Object.freeze({ ...adapter.capabilities }),
    api,
    issue: async (callOptions?: CallOptions) => share().adopt(await operations.issue(prepareCall("issue", callOptions))),
  };
  const { renew, revoke, introspect } = operations;
  const unsupported = (name: TokenOperation) => async () => fail(id, name, `${id} has no ${name} operation (see capabilities)`, "unsupported");
  Object.defineProperties(client, {
    renew: renew
      ? { enumerable: true, value: async (token: Token<V>, o?: CallOptions) => share().adopt(await renew(token, prepareCall("renew", o, token))) }
      : { value: unsupported("renew") },
    revoke: revoke
      ? {
          enumerable: true,
          value: async (token: Token<V>, o?: CallOptions) => {
            await revoke(token, prepareCall("revoke", o, token));
            control?.source.invalidate(token);
          },
        }
      : { value: unsupported("revoke") },
    introspect: introspect
      ? { enumerable: true, value: async (token: Token<V>, o?: CallOptions) => introspect(token, prepareCall("introspect", o, token)) }
      : { value: unsupported("introspect") },
    [INTERNAL]: { value: { authorize: adapter.authorize } satisfies ClientInternals },
    toJSON: { value: () => ({ vendor: id, capabilities: client.capabilities }) },
    [INSPECT]: { value: () => ({ vendor: id, capabilities: client.capabilities }) },
  });
  return Object.freeze(client);
}
