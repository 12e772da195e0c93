import { describe } from "./check.js";
import { fail } from "./errors.js";
import type { VendorId } from "./types.js";

/** The type of an option value; text (an environment variable) is converted to it. */
export type SettingType = "string" | "integer" | "boolean" | "list";

/** One credential field or vendor option that can come from the environment or a profile. */
export interface SettingField {
  /** The facade's name for it (`clientSecret`, `baseUrl`): the option or credentials key. */
  readonly key: string;
  /** Part of `credentials`, or a vendor option beside it. */
  readonly kind: "credential" | "option";
  /** A secret: never echoed, never put on a command line. */
  readonly secret: boolean;
  /** Required to make a client (credentials only; options all have defaults). */
  readonly required: boolean;
  readonly type: SettingType;
  /** Says whose token it is (username, client id, site): part of a cache key, never a secret. */
  readonly identity: boolean;
}

const credential = (key: string, secret = false, required = true): SettingField => ({ key, kind: "credential", secret, required, type: "string", identity: !secret });
const option = (key: string, type: SettingType = "string"): SettingField => ({ key, kind: "option", secret: false, required: false, type, identity: false });
const BASE_URL = option("baseUrl");

/** Every vendor's settings, in the order they are listed and asked for. */
export const VENDOR_SETTINGS: Readonly<Record<VendorId, readonly SettingField[]>> = {
  mindbody: [credential("apiKey", true), credential("siteId"), credential("username"), credential("password", true), BASE_URL, option("version")],
  vidispine: [credential("username"), credential("password", true), BASE_URL, option("seconds", "integer"), option("autoRefresh", "boolean")],
  sftpgo: [credential("username"), credential("password", true), credential("otp", true, false), BASE_URL, option("audience")],
  genesys: [credential("clientId"), credential("clientSecret", true), BASE_URL, option("loginUrl"), option("region")],
  authapi: [credential("clientId"), credential("clientSecret", true), BASE_URL, option("ttlSeconds", "integer"), option("scopes", "list")],
};

/** The environment variable of a setting: `TOKENKIT_<VENDOR>_<FIELD>` in SCREAMING_SNAKE_CASE. */
export function toEnvName(vendor: VendorId, key: string): string {
  return `TOKENKIT_${vendor.toUpperCase()}_${key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;
}

/** Settings as read from one source: each value as the source held it (text from the environment). */
export type SettingValues = Readonly<Record<string, unknown>>;

/** Where a value came from, for messages: `TOKENKIT_SFTPGO_PASSWORD`, or `"default.sftpgo.password" in <file>`. */
export type DescribeSetting = (field: SettingField) => string;

/** The first secret-free thing wrong with a value, or undefined. */
function checkValue(field: SettingField, value: unknown): { value?: unknown; problem?: string } {
  if (field.type === "string") {
    return typeof value === "string" && value.trim() ? { value } : { problem: `a non-empty string; received ${describe(value, field.secret)}` };
  }
  if (field.type === "integer") {
    const number = typeof value === "string" && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
    return Number.isSafeInteger(number) ? { value: number } : { problem: `an integer; received ${describe(value)}` };
  }
  if (field.type === "boolean") {
    const bool = typeof value === "string" ? { true: true, false: false, 1: true, 0: false }[value.trim().toLowerCase()] : value;
    return typeof bool === "boolean" ? { value: bool } : { problem: `true or false; received ${describe(value)}` };
  }
  // Lists: space- or comma-separated text (like OAuth's scope), or an array of strings in a profile.
  const list = typeof value === "string" ? value.split(/[\s,]+/).filter(Boolean) : value;
  return Array.isArray(list) && list.every((item) => typeof item === "string" && item) ? { value: list } : { problem: `a list of strings; received ${describe(value)}` };
}

/**
 * Builds `createTokenClient` options (`credentials` plus vendor options) from one vendor's settings.
 * A missing required credential or a malformed value is an `invalid_argument` TokenError naming where
 * it was looked for (`missingHint` is appended to the list of missing ones); never its value.
 */
export function buildClientOptions(vendor: VendorId, values: SettingValues, where: DescribeSetting, missingHint = ""): Record<string, unknown> & { credentials: Record<string, unknown> } {
  const credentials: Record<string, unknown> = {};
  const options: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const field of VENDOR_SETTINGS[vendor]) {
    const raw = values[field.key];
    if (raw === undefined || raw === "") {
      if (field.required) missing.push(where(field));
      continue;
    }
    const { value, problem } = checkValue(field, raw);
    if (problem) fail({ vendor, operation: "createTokenClient" }, `${where(field)} must be ${problem}`);
    (field.kind === "credential" ? credentials : options)[field.key] = value;
  }
  if (missing.length > 0) fail({ vendor, operation: "createTokenClient" }, `missing ${vendor} credentials: set ${missing.join(", ")}${missingHint}`);
  return { ...options, credentials };
}
