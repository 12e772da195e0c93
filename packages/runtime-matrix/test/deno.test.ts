// The runtime matrix on Deno: the shared suite (src/suite.ts), checked against test/expectations.ts.
import { describeRuntime } from "./describe-runtime.js";

describeRuntime("deno");
