import type { VendorId } from "./types.js";

/** The facade's uniform operations, which faults can target. */
export type FaultOperation = "issue" | "renew" | "revoke" | "introspect";

/** Every uniform operation, in the facade's order. */
export const FAULT_OPERATIONS: readonly FaultOperation[] = ["issue", "renew", "revoke", "introspect"];

/**
 * The spec operationIds behind each uniform operation, per vendor (DESIGN.md's table). AuthAPI's
 * issue is two requests (long-term token, then short-term token), so it covers both; its renew is
 * the short-term step alone.
 */
export const OPERATION_ROUTES: Readonly<Record<VendorId, Readonly<Partial<Record<FaultOperation, readonly string[]>>>>> = {
  mindbody: { issue: ["issueToken"], renew: ["renewToken"], revoke: ["revokeToken"] },
  vidispine: { issue: ["getAuthToken"] },
  sftpgo: { issue: ["getToken", "getUserToken"], revoke: ["logout", "clientLogout"] },
  genesys: { issue: ["requestClientCredentialsToken"], revoke: ["deleteTokensMe"], introspect: ["getTokensMe"] },
  authapi: { issue: ["issueLongTermToken", "issueShortTermToken"], renew: ["issueShortTermToken"], revoke: ["revokeToken"] },
};

/**
 * The operations whose answer is the token a client goes on to use: where an `expired` fault
 * applies. AuthAPI's long-term token only buys the short-term one, so the short step is faulted.
 */
export const TOKEN_ROUTES: Readonly<Record<VendorId, readonly string[]>> = {
  mindbody: ["issueToken", "renewToken"],
  vidispine: ["getAuthToken"],
  sftpgo: ["getToken", "getUserToken"],
  genesys: ["requestClientCredentialsToken"],
  authapi: ["issueShortTermToken"],
};

/** Why a vendor has no route for an operation the facade still offers. */
export const LOCAL_OPERATIONS: Readonly<Partial<Record<VendorId, Partial<Record<FaultOperation, string>>>>> = {
  sftpgo: { introspect: "SFTPGo's introspect decodes the JWT's claims locally, so no request reaches the sandbox" },
};

/** The uniform operations a vendor has routes for. */
export function listFaultOperations(vendor: VendorId): FaultOperation[] {
  return FAULT_OPERATIONS.filter((operation) => OPERATION_ROUTES[vendor][operation] !== undefined);
}
