// The runtime matrix on Bun: the shared suite (src/suite.ts), checked against test/expectations.ts.
import { describeRuntime } from "./describe-runtime.js";

describeRuntime("bun");
