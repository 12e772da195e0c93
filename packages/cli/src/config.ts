import { createHash } from "node:crypto";
import type { ReadStream } from "node:tty";
import type { VendorId } from "tokenkit";
import { buildClientOptions, defaultProfilePath, readEnvSettings, readProfileFile, selectProfileSettings, toEnvName, VENDOR_SETTINGS, type SettingField } from "tokenkit/credentials";
import { promptLine, readAllStdin } from "./prompt.js";

/** Where the command reads from and writes to. */
export interface Io {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The flags that say where credentials come from. */
export interface CredentialFlags {
  readonly profile?: string;
  readonly passwordStdin?: boolean;
}

/** A vendor's client options, ready for createTokenClient, and the key of its cache entry. */
export interface ResolvedSettings {
  readonly options: Record<string, unknown> & { readonly credentials: Record<string, unknown> };
  /** A hash of vendor, options and the credential's identity (username, client id): no secret. */
  readonly cacheKey: string;
}

/** The secret `--password-stdin` supplies: the password, or the client secret. */
export function stdinSecretField(vendor: VendorId): SettingField {
  const fields = VENDOR_SETTINGS[vendor];
  return fields.find((field) => field.key === "password") ?? fields.find((field) => field.key === "clientSecret")!;
}

/**
 * Gathers a vendor's settings. Per field, first found wins: `--password-stdin` (the secret) → with an
 * explicit `--profile`/`TOKENKIT_PROFILE`, that profile, then the environment → otherwise the
 * environment, then the `default` profile → a prompt on a terminal (echo off for secrets).
 */
export async function resolveSettings(vendor: VendorId, flags: CredentialFlags, io: Io): Promise<ResolvedSettings> {
  const explicitProfile = flags.profile ?? (io.env.TOKENKIT_PROFILE || undefined);
  const profile = explicitProfile ?? "default";
  const file = defaultProfilePath(io.env);
  const profiles = await readProfileFile(file, { optional: explicitProfile === undefined });
  const fromProfile = profiles && (explicitProfile !== undefined || Object.hasOwn(profiles, profile)) ? (selectProfileSettings(vendor, profiles, profile, file) ?? {}) : {};
  const fromEnv = readEnvSettings(vendor, io.env);
  const values: Record<string, unknown> = explicitProfile !== undefined ? { ...fromEnv, ...fromProfile } : { ...fromProfile, ...fromEnv };

  if (flags.passwordStdin) {
    const field = stdinSecretField(vendor);
    const secret = await readAllStdin(io.stdin);
    if (!secret) throw new UsageError(`--password-stdin read nothing from standard input; pipe the ${vendor} ${field.key} into it`);
    values[field.key] = secret;
  }

  const missing = VENDOR_SETTINGS[vendor].filter((field) => field.required && (values[field.key] === undefined || values[field.key] === ""));
  if (missing.length > 0 && !flags.passwordStdin && io.stdin.isTTY && io.stderr.isTTY) {
    for (const field of missing) {
      values[field.key] = await promptLine(`${vendor} ${field.key}${field.secret ? " (not shown)" : ""}: `, field.secret, io.stdin as ReadStream, io.stderr);
    }
  }

  const where = (field: SettingField) => (Object.hasOwn(fromProfile, field.key) ? `"${vendor}.${field.key}" in profile "${profile}" of ${file}` : toEnvName(vendor, field.key));
  const secret = stdinSecretField(vendor);
  const hint = ` (or the same keys under "${profile}": { "${vendor}": { … } } in ${file}; the ${secret.key} also through --password-stdin or, on a terminal, a prompt)`;
  const options = buildClientOptions(vendor, values, where, hint);
  return { options, cacheKey: computeCacheKey(vendor, options) };
}

/** The cache file name of a credential: vendor, every non-secret option and the identity fields, hashed. */
export function computeCacheKey(vendor: VendorId, options: ResolvedSettings["options"]): string {
  const shaping = Object.entries(options)
    .filter(([key]) => key !== "credentials")
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const identity = VENDOR_SETTINGS[vendor].filter((field) => field.identity).map((field) => [field.key, options.credentials[field.key] ?? null]);
  const digest = createHash("sha256").update(JSON.stringify([vendor, shaping, identity])).digest("hex");
  return `${vendor}-${digest.slice(0, 40)}`;
}

/** A mistake on the command line (exit code 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
