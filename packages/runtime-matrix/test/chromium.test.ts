// The runtime matrix on headless Chromium: the shared suite (src/suite.ts), checked against test/expectations.ts.
import { describeRuntime } from "./describe-runtime.js";

describeRuntime("chromium");
