// The end-to-end suite every runtime runs, written once: the facade's uniform operations for all five
// vendors, a token source, authMiddleware on a vendor client, a TokenError and redaction, all over real
// HTTP against the sandbox. It uses nothing but fetch and standard JavaScript, and it asserts nothing
// itself: each check returns the facts it observed and the Node driver compares them with the same
// expectations for every runtime (test/expectations.ts), so a difference shows as a diff.
import { createClient as createSftpgoClient } from "@tokenkit/sftpgo";
import { authMiddleware, createTokenClient, createTokenSource, TokenError, type AnyTokenClient, type Introspectable, type Renewable, type Revocable, type VendorId } from "tokenkit";
import { CHECKS, vendorCheckName, VENDORS, type CheckResult, type SuiteInput, type SuiteReport, type VendorOptions } from "./checks.js";

// Every client carries all four methods at run time; `capabilities` says which the vendor has.
type AnyClient = AnyTokenClient & Renewable<VendorId> & Revocable<VendorId> & Introspectable<VendorId, unknown>;
type CreateAny = (vendor: VendorId, options: VendorOptions & { readonly fetch?: typeof fetch; readonly retry?: false }) => AnyClient;
const createAnyClient = createTokenClient as unknown as CreateAny;

/** Names the runtime the suite is running on, from what that runtime exposes about itself. */
export function readRuntimeName(): string {
  const g = globalThis as { Bun?: { version: string }; Deno?: { version: { deno: string } }; process?: { versions?: { node?: string } }; navigator?: { userAgent?: string } };
  if (g.Bun) return `Bun ${g.Bun.version}`;
  if (g.Deno) return `Deno ${g.Deno.version.deno}`;
  if (g.process?.versions?.node) return `Node ${g.process.versions.node}`;
  return g.navigator?.userAgent ?? "unknown";
}

/** A fetch that counts the requests it passes on to the runtime's own fetch. */
function createCountingFetch(): { readonly fetch: typeof fetch; readonly count: () => number } {
  let calls = 0;
  const counting: typeof fetch = (input, init) => {
    calls++;
    return globalThis.fetch(input, init);
  };
  return { fetch: counting, count: () => calls };
}

async function checkVendor(vendor: VendorId, options: VendorOptions): Promise<Record<string, unknown>> {
  const client = createAnyClient(vendor, options);
  const steps = ["issue"];
  let token = await client.issue();
  const issued = token;
  if (client.capabilities.renew) {
    token = await client.renew(token);
    steps.push("renew");
  }
  let introspected: unknown;
  if (client.capabilities.introspect) {
    introspected = await client.introspect(token);
    steps.push("introspect");
  }
  if (client.capabilities.revoke) {
    await client.revoke(token);
    steps.push("revoke");
  }
  const serialized = JSON.stringify(token);
  return {
    capabilities: { ...client.capabilities },
    steps,
    vendor: token.vendor,
    tokenType: token.tokenType,
    accessTokenIsString: typeof token.accessToken === "string" && token.accessToken.length > 8,
    renewedTokenDiffers: client.capabilities.renew ? token.accessToken !== issued.accessToken : null,
    expiresAtInFuture: token.expiresAt instanceof Date && token.expiresAt.getTime() > Date.now(),
    introspectedIsObject: client.capabilities.introspect ? typeof introspected === "object" && introspected !== null : null,
    tokenJsonShowsAccessToken: serialized.includes(token.accessToken),
    tokenStringShowsAccessToken: String(token).includes(token.accessToken),
  };
}

async function checkTokenSource(options: VendorOptions): Promise<Record<string, unknown>> {
  const counting = createCountingFetch();
  const source = createTokenSource(createAnyClient("genesys", { ...options, fetch: counting.fetch }));
  const first = await source.getToken();
  const second = await source.getToken();
  return { upstreamCalls: counting.count(), sameToken: first.accessToken === second.accessToken };
}

async function checkAuthMiddleware(options: VendorOptions): Promise<Record<string, unknown>> {
  const counting = createCountingFetch();
  const source = createTokenSource(createAnyClient("sftpgo", { ...options, fetch: counting.fetch }));
  const api = createSftpgoClient({ baseUrl: options.baseUrl });
  api.use(authMiddleware(source));
  // Logging out deny-lists the token the middleware sent, so the next call's first attempt gets a
  // 401: the middleware must get a fresh token and retry once.
  const first = await api.GET("/api/v2/logout");
  const second = await api.GET("/api/v2/logout");
  return { firstStatus: first.response.status, secondStatus: second.response.status, tokensIssued: counting.count() };
}

async function issueWithWrongSecret(input: SuiteInput): Promise<{ readonly error: unknown; readonly client: AnyClient }> {
  const options = input.options.sftpgo;
  const client = createAnyClient("sftpgo", { ...options, credentials: { ...options.credentials, password: input.canary }, retry: false });
  try {
    await client.issue();
    return { error: undefined, client };
  } catch (error) {
    return { error, client };
  }
}

async function checkTokenError(input: SuiteInput): Promise<Record<string, unknown>> {
  const { error } = await issueWithWrongSecret(input);
  const failure = error as Partial<TokenError> | undefined;
  return {
    isTokenError: error instanceof TokenError,
    isError: error instanceof Error,
    name: failure?.name,
    code: failure?.code,
    status: failure?.status,
    retryable: failure?.retryable,
    vendor: failure?.vendor,
    operation: failure?.operation,
  };
}

async function checkRedaction(input: SuiteInput): Promise<Record<string, unknown>> {
  const { error, client } = await issueWithWrongSecret(input);
  const failure = error as Error | undefined;
  const genesys = input.options.genesys;
  const secretClient = createAnyClient("genesys", { ...genesys, credentials: { ...genesys.credentials, clientSecret: input.canary } });
  const source = createTokenSource(secretClient);
  const shows = (text: unknown) => String(text).includes(input.canary);
  return {
    failed: failure instanceof Error,
    inMessage: shows(failure?.message),
    inString: shows(String(failure)),
    inJson: shows(JSON.stringify(failure)),
    inStack: shows(failure?.stack),
    inClientString: shows(String(client)) || shows(String(secretClient)),
    inClientJson: shows(JSON.stringify(client)) || shows(JSON.stringify(secretClient)),
    inSourceJson: shows(JSON.stringify(source)) || shows(String(source)),
  };
}

async function runCheck(name: string, body: () => Promise<Record<string, unknown>>): Promise<CheckResult> {
  try {
    return { name, facts: await body() };
  } catch (error) {
    const failure = error as { name?: string; code?: string; message?: string } | undefined;
    return { name, error: `${failure?.name ?? "Error"}${failure?.code ? ` (${failure.code})` : ""}: ${failure?.message ?? String(error)}` };
  }
}

/** Runs every check one after another (the sandbox's state is shared) and reports what each saw. */
export async function runSuite(input: SuiteInput): Promise<SuiteReport> {
  const checks: CheckResult[] = [];
  for (const vendor of VENDORS) checks.push(await runCheck(vendorCheckName(vendor), () => checkVendor(vendor, input.options[vendor])));
  checks.push(await runCheck(CHECKS.source, () => checkTokenSource(input.options.genesys)));
  checks.push(await runCheck(CHECKS.middleware, () => checkAuthMiddleware(input.options.sftpgo)));
  checks.push(await runCheck(CHECKS.tokenError, () => checkTokenError(input)));
  checks.push(await runCheck(CHECKS.redaction, () => checkRedaction(input)));
  return { runtime: readRuntimeName(), checks };
}
