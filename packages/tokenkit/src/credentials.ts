// `tokenkit/credentials`: credentials and vendor options from the environment or a profile file, like
// AWS's fromEnv/fromIni. A subpath of its own because profiles need node:fs and the main entry must
// stay browser-safe.
import { open } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { describe, isObject } from "./core/check.js";
import { fail } from "./core/errors.js";
import { buildClientOptions, toEnvName, VENDOR_SETTINGS, type SettingValues } from "./core/settings.js";
import type { VendorId } from "./core/types.js";
import type { TokenClientOptions } from "./index.js";

export { buildClientOptions, toEnvName, VENDOR_SETTINGS, type DescribeSetting, type SettingField, type SettingType, type SettingValues } from "./core/settings.js";

/** What the environment or a profile gives: `credentials` plus vendor options such as `baseUrl`, `region`. */
export type ClientSettings<V extends VendorId> = TokenClientOptions<V>;

/** The environment variables to read: `process.env` by default. */
export type Environment = Readonly<Record<string, string | undefined>>;

const VENDORS = Object.keys(VENDOR_SETTINGS) as VendorId[];

function checkVendor(vendor: unknown): asserts vendor is VendorId {
  if (typeof vendor !== "string" || !Object.hasOwn(VENDOR_SETTINGS, vendor)) {
    fail({ vendor: undefined, operation: "createTokenClient" }, `unknown vendor ${describe(vendor)}; expected one of ${VENDORS.join(", ")}`);
  }
}

function processEnv(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}

/**
 * The vendor's settings found in `env` (`TOKENKIT_<VENDOR>_<FIELD>`), as text, absent ones left out.
 * For merging with other sources; {@link credentialsFromEnv} checks and converts them.
 */
export function readEnvSettings(vendor: VendorId, env: Environment = processEnv()): SettingValues {
  checkVendor(vendor);
  const values: Record<string, string> = {};
  for (const field of VENDOR_SETTINGS[vendor]) {
    const value = env[toEnvName(vendor, field.key)];
    if (value !== undefined && value !== "") values[field.key] = value;
  }
  return values;
}

/**
 * Credentials and vendor options of `vendor` from environment variables: `TOKENKIT_SFTPGO_USERNAME`,
 * `TOKENKIT_SFTPGO_PASSWORD`, `TOKENKIT_SFTPGO_BASE_URL`, `TOKENKIT_GENESYS_CLIENT_SECRET`, … A missing
 * credential is an `invalid_argument` TokenError naming the variable.
 * @example createTokenClient("sftpgo", credentialsFromEnv("sftpgo"))
 */
export function credentialsFromEnv<V extends VendorId>(vendor: V, env: Environment = processEnv()): ClientSettings<V> {
  const values = readEnvSettings(vendor, env);
  return buildClientOptions(vendor, values, (field) => toEnvName(vendor, field.key)) as unknown as ClientSettings<V>;
}

/** `$XDG_CONFIG_HOME/tokenkit/credentials`, by default `~/.config/tokenkit/credentials`. */
export function defaultProfilePath(env: Environment = processEnv()): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homedir(), ".config");
  return path.join(base, "tokenkit", "credentials");
}

/** Options of {@link readProfileFile}. */
export interface ReadProfileOptions {
  /** Resolve to undefined instead of failing when the file does not exist. */
  readonly optional?: boolean;
}

/**
 * Reads and parses a profile file (JSON: `{ "<profile>": { "<vendor>": { "<key>": value } } }`).
 * Refused, as ssh refuses a private key, when the group or others may read it or another user owns it.
 */
export async function readProfileFile(file: string = defaultProfilePath(), options: ReadProfileOptions = {}): Promise<Record<string, unknown> | undefined> {
  const site = { vendor: undefined, operation: "createTokenClient" } as const;
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && options.optional) return undefined;
    fail(site, code === "ENOENT" ? `no profile file at ${file}: create it (mode 600) or set the TOKENKIT_<VENDOR>_<FIELD> variables` : `cannot read the profile file ${file}: ${code ?? String(error)}`);
  }
  try {
    // fstat on the open file: the permissions checked are those of the file read.
    const stat = await handle.stat();
    if (process.platform !== "win32") {
      const uid = process.getuid?.();
      if (uid !== undefined && stat.uid !== uid) fail(site, `the profile file ${file} belongs to another user (uid ${stat.uid}); it holds secrets, so only your own is read`);
      if ((stat.mode & 0o077) !== 0) {
        const mode = (stat.mode & 0o777).toString(8).padStart(4, "0");
        fail(site, `permissions ${mode} for ${file} are too open: it holds secrets and must not be readable by others. Run: chmod 600 ${file}`);
      }
    }
    const text = await handle.readFile("utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // JSON.parse's message quotes the text around the error, which may be a secret: position only.
      const at = /position (\d+)/.exec(String((error as Error).message))?.[1];
      fail(site, `the profile file ${file} is not valid JSON${at ? ` (at position ${at})` : ""}; expected { "<profile>": { "<vendor>": { "<key>": "<value>" } } }`);
    }
    if (!isObject(parsed)) fail(site, `the profile file ${file} must hold a JSON object of profiles; received ${describe(parsed)}`);
    return parsed;
  } finally {
    await handle.close();
  }
}

/** The vendor's settings in one profile of a parsed profile file, or undefined when the profile has no entry for the vendor. */
export function selectProfileSettings(vendor: VendorId, profiles: Record<string, unknown>, profile: string, file: string): SettingValues | undefined {
  checkVendor(vendor);
  const entry = Object.hasOwn(profiles, profile) ? profiles[profile] : undefined;
  if (entry === undefined) {
    const names = Object.keys(profiles);
    fail({ vendor, operation: "createTokenClient" }, `no profile "${profile}" in ${file}; ${names.length ? `it has ${names.map((name) => `"${name}"`).join(", ")}` : "it has none"}`);
  }
  if (!isObject(entry)) fail({ vendor, operation: "createTokenClient" }, `profile "${profile}" in ${file} must be an object of vendors; received ${describe(entry)}`);
  const settings = Object.hasOwn(entry, vendor) ? entry[vendor] : undefined;
  if (settings === undefined) return undefined;
  if (!isObject(settings)) fail({ vendor, operation: "createTokenClient" }, `"${profile}.${vendor}" in ${file} must be an object; received ${describe(settings)}`);
  const known = new Set(VENDOR_SETTINGS[vendor].map((field) => field.key));
  const unknown = Object.keys(settings).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    fail({ vendor, operation: "createTokenClient" }, `unknown key ${unknown.map((key) => `"${profile}.${vendor}.${key}"`).join(", ")} in ${file}; expected ${[...known].join(", ")}`);
  }
  return settings;
}

/**
 * Credentials and vendor options of `vendor` from a profile file, by default
 * `$XDG_CONFIG_HOME/tokenkit/credentials` (`~/.config/tokenkit/credentials`), profile `default`. The file
 * is JSON: `{ "default": { "sftpgo": { "baseUrl": "…", "username": "…", "password": "…" } } }`, and is
 * refused when the group or others can read it. A missing key is an `invalid_argument` TokenError naming it.
 * @example createTokenClient("genesys", await credentialsFromProfile("genesys", "staging"))
 */
export async function credentialsFromProfile<V extends VendorId>(vendor: V, profile = "default", file: string = defaultProfilePath()): Promise<ClientSettings<V>> {
  checkVendor(vendor);
  const profiles = (await readProfileFile(file)) as Record<string, unknown>;
  const settings = selectProfileSettings(vendor, profiles, profile, file);
  if (!settings) fail({ vendor, operation: "createTokenClient" }, `profile "${profile}" in ${file} has no "${vendor}" entry; add { "${vendor}": { … } } to it`);
  return buildClientOptions(vendor, settings, (field) => `"${profile}.${vendor}.${field.key}" in ${file}`) as unknown as ClientSettings<V>;
}
