// Entry for workerd (Cloudflare Workers, through Miniflare): the driver POSTs the suite's input to the
// worker and reads the report from the response. No nodejs_compat flag: the facade must run on the
// plain Workers runtime.
import { runSuite } from "../suite.js";
import type { SuiteInput } from "../checks.js";

/** The module worker's fetch handler. */
async function handleFetch(request: Request): Promise<Response> {
  const report = await runSuite((await request.json()) as SuiteInput);
  return Response.json(report);
}

// Workers find their handlers on the module's default export; there is no other way to declare them.
export default { fetch: handleFetch };
