// §1 Single-flight: 10,000 concurrent getToken() on a cold cache must reach the vendor with exactly
// one issue(), for every vendor, against the real sandbox over loopback.
import { VENDORS } from "./workspace.mjs";

const CALLERS = 10_000;

/** A fetch that counts the requests it forwards. */
function createCountingFetch() {
  const counter = { requests: 0 };
  counter.fetch = (input, init) => {
    counter.requests++;
    return globalThis.fetch(input, init);
  };
  return counter;
}

function describeOperations(perOperation) {
  return Object.entries(perOperation)
    .map(([operationId, count]) => (count === 1 ? operationId : `${operationId}×${count}`))
    .join(" + ");
}

/** One vendor's single-flight figure as a result row. */
async function measureVendor(sandbox, vendor, createTokenClient, createTokenSource) {
  // One issue() on its own first: how many HTTP requests make up one issue for this vendor
  // (AuthAPI's issue is two: long-term token, then short-term token).
  sandbox.resetRequestCounts();
  await createTokenClient(vendor, sandbox.clientOptions(vendor)).issue();
  const perIssue = sandbox.requestCount(vendor);
  const perIssueOperations = describeOperations(sandbox.stats().requests[vendor]);

  sandbox.resetRequestCounts();
  const counter = createCountingFetch();
  const source = createTokenSource(createTokenClient(vendor, { ...sandbox.clientOptions(vendor), fetch: counter.fetch }));
  const started = process.hrtime.bigint();
  const tokens = await Promise.all(Array.from({ length: CALLERS }, () => source.getToken()));
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const served = sandbox.requestCount(vendor);
  const distinct = new Set(tokens.map((token) => token.accessToken)).size;
  // Both counters must agree; a disagreement means a request bypassed the injected fetch.
  const agree = served === counter.requests;
  const issues = served / perIssue;
  return {
    measure: `${vendor}: upstream issue() calls for ${CALLERS.toLocaleString("en-US")} concurrent getToken(), cold cache`,
    value: agree && distinct === 1 ? issues : Number.NaN,
    shown: `${issues} (${served} HTTP request${served === 1 ? "" : "s"}: ${perIssueOperations}; ${distinct} distinct token${distinct === 1 ? "" : "s"}${agree ? "" : `; injected fetch saw ${counter.requests}`}; all settled in ${elapsedMs.toFixed(0)} ms)`,
    target: { op: "=", limit: 1, shown: "exactly 1" },
    noise: 0,
    baseline: `no single-flight: ${CALLERS.toLocaleString("en-US")}`,
  };
}

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const { startSandbox } = await import("@tokenkit/sandbox");
  const { createTokenClient, createTokenSource } = await import("tokenkit");
  const sandbox = await startSandbox({ port: 0 });
  const rows = [];
  try {
    for (const vendor of VENDORS) {
      try {
        rows.push(await measureVendor(sandbox, vendor, createTokenClient, createTokenSource));
      } catch (error) {
        // One vendor failing (e.g. a package mid-rewrite) must not hide the others' figures.
        rows.push({
          measure: `${vendor}: upstream issue() calls for ${CALLERS.toLocaleString("en-US")} concurrent getToken(), cold cache`,
          value: Number.NaN,
          shown: `failed: ${String(error?.message ?? error).split("\n")[0]}`,
          target: { op: "=", limit: 1, shown: "exactly 1" },
          noise: 0,
        });
      }
    }
  } finally {
    await sandbox.close();
  }
  return {
    rows,
    notes: [
      `Single-flight: per vendor, a fresh createTokenSource() over createTokenClient(vendor, sandbox.clientOptions(vendor)) against @tokenkit/sandbox on 127.0.0.1; ${CALLERS.toLocaleString("en-US")} getToken() calls started in one synchronous loop, then awaited together. Upstream calls = requests the sandbox counted for that vendor ÷ requests of one issue() measured alone just before; the injected \`fetch\` wrapper must count the same, and every caller must get the same token.`,
    ],
  };
}
