// The sandbox for §9 and §11, run in its own process so its CPU time (routing, spec validation) is not
// charged to the client being measured. Reports every vendor's client options to the parent over IPC.
import { startSandbox } from "@tokenkit/sandbox";
import { VENDORS } from "./workspace.mjs";

// Thousands of token requests in a few seconds: SFTPGo's emulated rate limit would answer 429.
const sandbox = await startSandbox({ port: 0, sftpgoRateLimit: false });
process.send?.({ options: Object.fromEntries(VENDORS.map((vendor) => [vendor, sandbox.clientOptions(vendor)])) });
process.on("disconnect", () => sandbox.close().then(() => process.exit(0)));
