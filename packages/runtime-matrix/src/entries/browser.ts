// Entry for headless Chromium: the page exposes the suite, and the driver calls it with page.evaluate.
import { runSuite } from "../suite.js";

(globalThis as unknown as { runMatrixSuite: typeof runSuite }).runMatrixSuite = runSuite;
