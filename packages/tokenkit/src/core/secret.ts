import { describe } from "./check.js";
import { createError, type Site } from "./errors.js";
import { createRedactor, rememberSecret, type Redactor } from "./redact.js";

/**
 * A credential: the value itself, or a function returning it (or a promise of it), called for each
 * request that needs it: for one-time codes, rotating secrets and vaults.
 */
export type SecretSource = string | (() => string | Promise<string>);

/** The error itself, or a stand-in with the redacted message when its text holds a known secret. */
function redactCause(error: unknown, redact: Redactor): unknown {
  const failure = error as { stack?: unknown; message?: unknown; name?: unknown; code?: unknown } | undefined;
  const text = String(failure?.stack ?? error);
  return redact(text) === text ? error : Object.assign(new Error(redact(String(failure?.message ?? error))), { name: failure?.name, code: failure?.code });
}

/**
 * Binds the credential `field` to one operation: a string stays as it is; a function is called per
 * request, and what it throws, or a value that is no non-empty string, becomes an `invalid_argument`
 * TokenError of `site`, so nothing is sent. Every value it returns is masked by the client's redactors.
 */
export function bindSecret(site: Site, field: string, source: unknown, redact: Redactor): SecretSource | undefined {
  if (typeof source !== "function") return source as string | undefined;
  return async () => {
    let value: unknown;
    try {
      value = await (source as () => unknown)();
    } catch (error) {
      // The thrown message may quote the secret it was fetching: only its name goes into ours.
      const name = (error as Error | undefined)?.name;
      throw createError(site, `credentials.${field} is a function that threw${typeof name === "string" && name ? ` (${name})` : ""}; expected it to return a non-empty string or a promise of one, and sent nothing`, {
        code: "invalid_argument",
        cause: redactCause(error, redact),
      });
    }
    if (typeof value !== "string" || !value.trim()) {
      throw createError(site, `credentials.${field} is a function that returned ${describe(value, true)}; expected a non-empty string or a promise of one, and sent nothing`, {
        code: "invalid_argument",
      });
    }
    rememberSecret(source, value);
    return value;
  };
}

/** Reads a credential for one request: the string, or what its bound source returns (see {@link bindSecret}). */
export async function readSecret(source: SecretSource | undefined): Promise<string | undefined> {
  return typeof source === "function" ? source() : source;
}

/**
 * Binds the `fields` of `credentials` to the requests of one operation (see {@link bindSecret}); the
 * api client's requests are reported as `createTokenClient`, where the credentials were given.
 */
export function bindCredentials<K extends string>(site: Site, credentials: { readonly [F in K]?: unknown }, fields: readonly K[]): Record<K, SecretSource | undefined> {
  const redact = createRedactor(Object.values(credentials));
  const bound = {} as Record<K, SecretSource | undefined>;
  for (const field of fields) bound[field] = bindSecret(site, field, credentials[field], redact);
  return bound;
}
