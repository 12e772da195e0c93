// The runtime matrix on workerd (Miniflare): the shared suite (src/suite.ts), checked against test/expectations.ts.
import { describeRuntime } from "./describe-runtime.js";

describeRuntime("workerd");
