// The runtime matrix on Node 24: the shared suite (src/suite.ts), checked against test/expectations.ts.
import { describeRuntime } from "./describe-runtime.js";

describeRuntime("node24");
