import type { SandboxAccounts, SandboxCredentials } from "./types.js";

/**
 * The demo credentials every sandbox accepts. They are fixed (not random per start) so people can
 * put them in their own test configuration; they protect nothing but a local emulator.
 */
export const DEMO_CREDENTIALS: SandboxCredentials = {
  mindbody: { apiKey: "sandbox-mindbody-api-key", siteId: "-99", username: "sandbox.staff", password: "sandbox-staff-pass" },
  vidispine: { username: "demo", password: "demo-pass" },
  sftpgo: { username: "demo", password: "demo-pass" },
  genesys: { clientId: "5a1b2c3d-0000-4000-8000-00000000c11e", clientSecret: "sandbox-genesys-client-secret" },
  authapi: { clientId: "sandbox-client", clientSecret: "sandbox-client-secret" },
};

/** Further demo accounts: an administrator and a disabled user, a 2FA user, the Genesys user id. */
export const DEMO_ACCOUNTS: SandboxAccounts = {
  vidispine: {
    admin: { username: "admin", password: "admin-pass" },
    disabled: { username: "disabled", password: "disabled-pass" },
  },
  sftpgo: {
    // RFC 4648 base32; any authenticator app accepts it.
    twoFactor: { username: "demo-2fa", password: "demo-2fa-pass", totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" },
  },
  genesys: { userId: DEMO_CREDENTIALS.genesys.clientId },
};

/** Constant-time-ish string comparison, so the sandbox does not teach timing attacks. */
export function isSameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined || given.length !== expected.length) return false;
  let difference = 0;
  for (let index = 0; index < expected.length; index++) difference |= given.charCodeAt(index) ^ expected.charCodeAt(index);
  return difference === 0;
}
