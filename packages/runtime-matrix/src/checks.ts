// What the suite and its drivers share: the vendors, the check names and the report's shape. No
// imports, so the Node driver can read it without loading the facade.

/** A vendor id, as the facade and the sandbox spell it. */
export type VendorId = "mindbody" | "vidispine" | "sftpgo" | "genesys" | "authapi";

/** The vendors, in the order the suite visits them. */
export const VENDORS = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"] as const satisfies readonly VendorId[];

/** What a sandbox's `clientOptions(vendor)` returns, as JSON. */
export interface VendorOptions {
  readonly baseUrl: string;
  readonly credentials: Readonly<Record<string, string>>;
  readonly loginUrl?: string;
}

/** What the driver hands the suite. */
export interface SuiteInput {
  /** `sandbox.clientOptions(vendor)` for every vendor. */
  readonly options: Readonly<Record<VendorId, VendorOptions>>;
  /** A secret that must never show in what the facade prints or serialises. */
  readonly canary: string;
}

/** One check's outcome: the facts it saw, or how it failed before it could see them. */
export interface CheckResult {
  readonly name: string;
  readonly facts?: Readonly<Record<string, unknown>>;
  readonly error?: string;
}

/** Everything one runtime reports back. */
export interface SuiteReport {
  /** Which runtime ran the suite, as it names itself (e.g. `Bun 1.4.5`). */
  readonly runtime: string;
  readonly checks: readonly CheckResult[];
}

/** The name of the check that runs one vendor's uniform operations. */
export function vendorCheckName(vendor: VendorId): string {
  return `${vendor}: every uniform operation the vendor has`;
}

/** The names of the checks after the vendors'. */
export const CHECKS = {
  source: "token source: two getToken() calls make one upstream call",
  middleware: "authMiddleware on @tokenkit/sftpgo: injects the token, retries once after a 401",
  tokenError: "TokenError: wrong credentials are unauthorized",
  redaction: "redaction: a canary secret never shows",
} as const;

/** Every check name, in the order the checks run. */
export const CHECK_NAMES: readonly string[] = [...VENDORS.map(vendorCheckName), ...Object.values(CHECKS)];
