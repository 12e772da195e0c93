// Entry for the runtimes started as a process (Node, Bun, Deno): fetches its input from the driver's
// control server, runs the suite and posts the report back. Only fetch, so one file serves all three;
// the control URL is baked in at bundle time, so no argument or environment variable carries it.
import { runSuite } from "../suite.js";
import type { SuiteInput } from "../checks.js";

declare const TOKENKIT_CONTROL_URL: string;

const input = (await (await fetch(`${TOKENKIT_CONTROL_URL}/input`)).json()) as SuiteInput;
const report = await runSuite(input);
const posted = await fetch(`${TOKENKIT_CONTROL_URL}/report`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(report) });
if (!posted.ok) throw new Error(`the driver refused the report: ${posted.status}`);
