import { checkFaultOptions, FAULT_KINDS, type ActiveFault, type Fault, type FaultKind, type FaultOptions } from "./faults.js";

/** The settings each fault kind takes after its own value, in `--fault` spelling. */
const SETTINGS: Readonly<Record<FaultKind, readonly string[]>> = {
  status: ["retry-after", "message"],
  hang: [],
  drip: [],
  slow: [],
  reset: [],
  redirect: ["status", "preserve-path"],
  malformed: [],
  expired: [],
  oversized: [],
};
const COMMON_SETTINGS = ["times", "probability"];

/** What the value after `<fault>=` means, per kind. */
const VALUE_HINT: Readonly<Record<FaultKind, string>> = {
  status: "status=<code>",
  hang: "hang",
  drip: "drip[=<ms between bytes>]",
  slow: "slow=<ms>",
  reset: "reset",
  redirect: "redirect=<url>",
  malformed: "malformed[=truncated-json|wrong-content-type|empty-body]",
  expired: "expired[=<seconds ago>]",
  oversized: "oversized=<bytes>",
};

/** The grammar, for messages and `--help`. */
export const FAULT_SPEC_SYNTAX = "<vendor>[:<operation>]:<fault>[=<value>][,<setting>=<value>...]";

/**
 * Parses a fault as the CLI and the admin endpoint spell it, e.g.
 * `genesys:issue:status=429,retry-after=2,times=3` or `sftpgo:hang`; throws a TypeError saying what is wrong.
 */
export function parseFaultSpec(spec: string): FaultOptions {
  const fail = (problem: string): never => {
    throw new TypeError(`fault "${spec}": ${problem} (expected ${FAULT_SPEC_SYNTAX})`);
  };
  const [head = "", ...rest] = spec.trim().split(",");
  const colon = head.indexOf(":");
  if (colon < 0) fail(`no ":" between the vendor and the fault`);
  const vendor = head.slice(0, colon);
  let faultPart = head.slice(colon + 1);
  let operation: string | undefined;
  const next = faultPart.indexOf(":");
  const equals = faultPart.indexOf("=");
  // A colon before any "=" ends the operation; one after it belongs to a value such as a URL.
  if (next >= 0 && (equals < 0 || next < equals)) {
    operation = faultPart.slice(0, next);
    faultPart = faultPart.slice(next + 1);
  }
  const [kind = "", value] = splitSetting(faultPart);
  if (!(FAULT_KINDS as readonly string[]).includes(kind)) fail(`unknown fault "${kind}" (valid: ${FAULT_KINDS.join(", ")})`);
  const faultKind = kind as FaultKind;
  const settings = new Map<string, string | undefined>();
  for (const item of rest) {
    const [key = "", setting] = splitSetting(item);
    const valid = [...SETTINGS[faultKind], ...COMMON_SETTINGS];
    if (!valid.includes(key)) fail(`the ${faultKind} fault has no setting "${key}" (valid: ${valid.join(", ")})`);
    settings.set(key, setting);
  }
  const number = (name: string, text: string | undefined, pattern = /^\d+$/): number => {
    if (text === undefined || !pattern.test(text)) fail(`${name} needs a number, got ${text === undefined ? "nothing" : `"${text}"`}`);
    return Number(text);
  };
  const needValue = () => (value === undefined || value === "" ? fail(`${VALUE_HINT[faultKind]} needs a value`) : value);

  let fault: Fault;
  switch (faultKind) {
    case "status": {
      const retryAfter = settings.get("retry-after");
      fault = {
        kind: "status",
        status: number("status", needValue()),
        ...(retryAfter !== undefined && { retryAfter: /^\d+$/.test(retryAfter) ? Number(retryAfter) : new Date(retryAfter) }),
        ...(settings.has("message") && { message: settings.get("message") ?? "" }),
      };
      break;
    }
    case "drip":
      fault = { kind: "drip", ...(value !== undefined && { intervalMs: number("drip", value) }) };
      break;
    case "slow":
      fault = { kind: "slow", delayMs: number("slow", needValue()) };
      break;
    case "redirect": {
      const status = settings.get("status");
      const preserve = settings.get("preserve-path");
      if (settings.has("preserve-path") && preserve !== undefined && preserve !== "true" && preserve !== "false") fail(`preserve-path is true or false, got "${preserve}"`);
      fault = {
        kind: "redirect",
        location: needValue(),
        ...(status !== undefined && { status: number("status", status) as 307 }),
        ...(settings.has("preserve-path") && { preservePath: preserve !== "false" }),
      };
      break;
    }
    case "malformed":
      fault = { kind: "malformed", ...(value !== undefined && { variant: value as "truncated-json" }) };
      break;
    case "expired":
      fault = { kind: "expired", ...(value !== undefined && { agoSeconds: number("expired", value) }) };
      break;
    case "oversized":
      fault = { kind: "oversized", bytes: number("oversized", needValue()) };
      break;
    default:
      if (value !== undefined) fail(`${faultKind} takes no value`);
      fault = { kind: faultKind } as Fault;
  }
  const times = settings.get("times");
  const probability = settings.get("probability");
  const options = {
    vendor,
    ...(operation !== undefined && { operation }),
    fault,
    ...(settings.has("times") && { times: number("times", times) }),
    ...(settings.has("probability") && { probability: number("probability", probability, /^(?:0|1|0?\.\d+|1\.0*)$/) }),
  } as FaultOptions;
  try {
    checkFaultOptions(options);
  } catch (error) {
    fail((error as Error).message);
  }
  return options;
}

function splitSetting(text: string): [string, string | undefined] {
  const equals = text.indexOf("=");
  return equals < 0 ? [text.trim(), undefined] : [text.slice(0, equals).trim(), text.slice(equals + 1).trim()];
}

/** Spells an active fault the way `--fault` takes it (defaults included), e.g. for a log line. */
export function formatFaultSpec(active: ActiveFault): string {
  const { fault } = active;
  const parts: string[] = [];
  switch (fault.kind) {
    case "status":
      parts.push(`status=${fault.status}`);
      if (fault.retryAfter !== undefined) parts.push(`retry-after=${typeof fault.retryAfter === "number" ? fault.retryAfter : fault.retryAfter.toISOString()}`);
      if (fault.message !== undefined) parts.push(`message=${fault.message}`);
      break;
    case "drip":
      parts.push(`drip=${fault.intervalMs ?? 1000}`);
      break;
    case "slow":
      parts.push(`slow=${fault.delayMs}`);
      break;
    case "redirect":
      parts.push(`redirect=${fault.location}`, `status=${fault.status ?? 307}`);
      if (fault.preservePath) parts.push("preserve-path");
      break;
    case "malformed":
      parts.push(`malformed=${fault.variant ?? "truncated-json"}`);
      break;
    case "expired":
      parts.push(`expired=${fault.agoSeconds ?? 60}`);
      break;
    case "oversized":
      parts.push(`oversized=${fault.bytes}`);
      break;
    default:
      parts.push(fault.kind);
  }
  if (active.remaining !== null) parts.push(`times=${active.remaining}`);
  if (active.probability !== 1) parts.push(`probability=${active.probability}`);
  return `${active.vendor}:${active.operation === undefined ? "" : `${active.operation}:`}${parts.join(",")}`;
}
