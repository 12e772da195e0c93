// What every runtime must observe, check by check: the same facts Node 20 sees.
import { CHECKS, vendorCheckName, VENDORS, type VendorId } from "../src/checks.js";

const CAPABILITIES: Record<VendorId, { issue: boolean; renew: boolean; revoke: boolean; introspect: boolean }> = {
  mindbody: { issue: true, renew: true, revoke: true, introspect: false },
  vidispine: { issue: true, renew: false, revoke: false, introspect: false },
  sftpgo: { issue: true, renew: false, revoke: true, introspect: true },
  genesys: { issue: true, renew: false, revoke: true, introspect: true },
  authapi: { issue: true, renew: true, revoke: true, introspect: false },
};

function vendorFacts(vendor: VendorId): Record<string, unknown> {
  const capabilities = CAPABILITIES[vendor];
  return {
    capabilities,
    steps: ["issue", ...(["renew", "introspect", "revoke"] as const).filter((step) => capabilities[step])],
    vendor,
    tokenType: vendor === "vidispine" ? "token" : "bearer",
    accessTokenIsString: true,
    expiresAtInFuture: true,
    introspectedIsObject: capabilities.introspect ? true : null,
    // Mindbody's renew extends the same token; AuthAPI's renew is a new short-term token.
    renewedTokenDiffers: vendor === "mindbody" ? false : vendor === "authapi" ? true : null,
    tokenJsonShowsAccessToken: false,
    tokenStringShowsAccessToken: false,
  };
}

/** The facts each check must report, by check name. */
export const EXPECTED: Readonly<Record<string, Record<string, unknown>>> = {
  ...Object.fromEntries(VENDORS.map((vendor) => [vendorCheckName(vendor), vendorFacts(vendor)])),
  [CHECKS.source]: { upstreamCalls: 1, sameToken: true },
  // The first call's token is deny-listed by the logout itself, so the second call's first attempt is
  // refused: a second token is issued and the retry succeeds.
  [CHECKS.middleware]: { firstStatus: 200, secondStatus: 200, tokensIssued: 2 },
  [CHECKS.tokenError]: {
    isTokenError: true,
    isError: true,
    name: "TokenError",
    code: "unauthorized",
    status: 401,
    retryable: false,
    vendor: "sftpgo",
    operation: "issue",
  },
  [CHECKS.redaction]: {
    failed: true,
    inMessage: false,
    inString: false,
    inJson: false,
    inStack: false,
    inClientString: false,
    inClientJson: false,
    inSourceJson: false,
  },
};
