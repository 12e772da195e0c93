export { startSandbox } from "./sandbox.js";
export type { Sandbox, SandboxClientOptions, SandboxOptions, SandboxStats } from "./sandbox.js";
export type { CorsOption } from "./cors.js";
export { FAULT_KINDS } from "./faults.js";
export type {
  ActiveFault,
  DripFault,
  ExpiredFault,
  Fault,
  FaultHandle,
  FaultKind,
  FaultName,
  FaultOptions,
  HangFault,
  MalformedFault,
  MalformedVariant,
  OversizedFault,
  RedirectFault,
  ResetFault,
  SlowFault,
  StatusFault,
} from "./faults.js";
export { FAULT_OPERATIONS } from "./fault-routes.js";
export { FAULT_SPEC_SYNTAX, formatFaultSpec, parseFaultSpec } from "./fault-spec.js";
export type { FaultOperation } from "./fault-routes.js";
export type { RateLimit } from "./rate-limit.js";
export { computeTotp } from "./totp.js";
export { VENDOR_IDS } from "./types.js";
export type { SandboxAccounts, SandboxCredentials, UserPassword, VendorId } from "./types.js";
