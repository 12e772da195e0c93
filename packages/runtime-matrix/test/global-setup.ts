// One sandbox for the whole matrix, started by the Node test harness on 127.0.0.1, port 0: each runtime's
// file gets its client options through vitest's provide/inject. CORS is on because Chromium's page
// calls it from another origin; the other runtimes ignore the headers.
import { startSandbox, type Sandbox } from "@tokenkit/sandbox";
import type { TestProject } from "vitest/node";
import { VENDORS, type SuiteInput, type VendorOptions } from "../src/checks.js";

declare module "vitest" {
  interface ProvidedContext {
    /** `sandbox.clientOptions(vendor)` for every vendor of the shared sandbox. */
    sandboxOptions: SuiteInput["options"];
  }
}

let sandbox: Sandbox | undefined;

/** Starts the sandbox and hands its client options to the test files. */
export async function setup(project: TestProject): Promise<void> {
  sandbox = await startSandbox({ host: "127.0.0.1", port: 0, cors: true });
  const options = Object.fromEntries(VENDORS.map((vendor) => [vendor, sandbox!.clientOptions(vendor) as VendorOptions]));
  project.provide("sandboxOptions", options as SuiteInput["options"]);
}

/** Stops the sandbox after every file has run. */
export async function teardown(): Promise<void> {
  await sandbox?.close();
}
