import { FAULT_OPERATIONS, LOCAL_OPERATIONS, listFaultOperations, OPERATION_ROUTES, TOKEN_ROUTES, type FaultOperation } from "./fault-routes.js";
import { VENDOR_IDS, type VendorId } from "./types.js";

/** Answers with any status, in the vendor's own error body shape unless `body` is given. */
export interface StatusFault {
  readonly kind: "status";
  /** HTTP status, 200 to 599. */
  readonly status: number;
  /** `Retry-After`: whole seconds, or a moment sent as an HTTP date. */
  readonly retryAfter?: number | Date;
  /** The message inside the vendor's error body; default names the status and the fault. */
  readonly message?: string;
  /** A body to send instead of the vendor's error body: a string as text/plain, anything else as JSON. */
  readonly body?: unknown;
  /** Extra response headers (they win over the defaults). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Accepts the request and never answers; `sandbox.close()` still ends the connection. */
export interface HangFault {
  readonly kind: "hang";
}

/** Sends the real answer's status and headers at once, then its body one byte per interval. */
export interface DripFault {
  readonly kind: "drip";
  /** Milliseconds between bytes; default 1000. */
  readonly intervalMs?: number;
}

/** Sends the real answer after a delay. */
export interface SlowFault {
  readonly kind: "slow";
  readonly delayMs: number;
}

/** Destroys the connection with a TCP reset instead of answering. */
export interface ResetFault {
  readonly kind: "reset";
}

/** Redirects to another URL, e.g. another sandbox or a recording server. */
export interface RedirectFault {
  readonly kind: "redirect";
  /** An absolute http(s) URL for the `Location` header. */
  readonly location: string;
  /** 301, 302, 303, 307 (default) or 308. */
  readonly status?: 301 | 302 | 303 | 307 | 308;
  /** Append the request's path below the vendor's base URL, and its query, to `location`. */
  readonly preservePath?: boolean;
}

/** What a `malformed` fault sends. */
export type MalformedVariant = "truncated-json" | "wrong-content-type" | "empty-body";

/** Sends a broken answer: the first half of the real JSON, an HTML page, or an empty body. */
export interface MalformedFault {
  readonly kind: "malformed";
  /** Default `truncated-json`. */
  readonly variant?: MalformedVariant;
}

/** Hands out a token that is already dead, in the vendor's own expiry format and on the server. */
export interface ExpiredFault {
  readonly kind: "expired";
  /** How long ago the token expired, in seconds; default 60 (beyond SFTPGo's 30 s leeway). */
  readonly agoSeconds?: number;
}

/** Sends the real answer padded with trailing whitespace to exactly `bytes` bytes. */
export interface OversizedFault {
  readonly kind: "oversized";
  readonly bytes: number;
}

/** One way a vendor misbehaves. */
export type Fault = StatusFault | HangFault | DripFault | SlowFault | ResetFault | RedirectFault | MalformedFault | ExpiredFault | OversizedFault;

/** The kind of a fault. */
export type FaultKind = Fault["kind"];

/** Fault kinds without required settings, which may be given by name alone. */
export type FaultName = "hang" | "drip" | "reset" | "malformed" | "expired";

/** Every fault kind. */
export const FAULT_KINDS: readonly FaultKind[] = ["status", "hang", "drip", "slow", "reset", "redirect", "malformed", "expired", "oversized"];

const MALFORMED_VARIANTS: readonly MalformedVariant[] = ["truncated-json", "wrong-content-type", "empty-body"];
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const NAMED_KINDS: readonly FaultName[] = ["hang", "drip", "reset", "malformed", "expired"];

/** What `sandbox.injectFault` takes. */
export interface FaultOptions {
  readonly vendor: VendorId;
  /** Only requests of this uniform operation; default every request to the vendor. */
  readonly operation?: FaultOperation;
  readonly fault: Fault | FaultName;
  /** Fire this many times, then remove itself; default until removed. */
  readonly times?: number;
  /** Chance, from 0 to 1, that a matching request is faulted; default 1. */
  readonly probability?: number;
}

/** A fault in place, as `stats().faults` and the admin endpoint list it. */
export interface ActiveFault {
  readonly id: string;
  readonly vendor: VendorId;
  /** Absent when every request to the vendor matches. */
  readonly operation?: FaultOperation;
  readonly fault: Fault;
  /** Firings left, or null when unlimited. */
  readonly remaining: number | null;
  readonly probability: number;
  /** How many requests it has faulted so far. */
  readonly hits: number;
}

/** Returned by `injectFault`: removes the fault. */
export interface FaultHandle {
  readonly id: string;
  /** How many requests it has faulted so far. */
  readonly hits: number;
  /** False once removed, cleared or used up (`times`). */
  readonly active: boolean;
  /** Removes the fault; true when it was still in place. */
  remove(): boolean;
}

/** A fault that fired for one request. */
export interface FiredFault {
  readonly id: string;
  readonly fault: Fault;
}

interface Entry {
  readonly id: string;
  readonly vendor: VendorId;
  readonly operation: FaultOperation | undefined;
  readonly fault: Fault;
  readonly routes: readonly string[] | undefined;
  remaining: number | null;
  readonly probability: number;
  hits: number;
}

/** The faults of one sandbox, in the order they were injected (the first one matching a request fires). */
export interface FaultRegistry {
  add(options: FaultOptions): FaultHandle;
  /** Removes one fault by id; true when there was one. */
  remove(id: string): boolean;
  /** Removes every fault; returns how many there were. */
  clear(): number;
  list(): ActiveFault[];
  /** The fault to apply to one request of `vendor` (operationId undefined when no operation matched), counted as fired. */
  take(vendor: VendorId, operationId: string | undefined): FiredFault | undefined;
}

/** Creates an empty registry; `random` rolls the dice for `probability`. */
export function createFaultRegistry(random: () => number = Math.random): FaultRegistry {
  const entries: Entry[] = [];
  let sequence = 0;
  const remove = (id: string): boolean => {
    const index = entries.findIndex((entry) => entry.id === id);
    if (index < 0) return false;
    entries.splice(index, 1);
    return true;
  };
  return {
    add(options) {
      const checked = checkFaultOptions(options);
      const entry: Entry = { ...checked, id: `fault-${++sequence}`, hits: 0 };
      entries.push(entry);
      return {
        id: entry.id,
        get hits() {
          return entry.hits;
        },
        get active() {
          return entries.includes(entry);
        },
        remove: () => remove(entry.id),
      };
    },
    remove,
    clear() {
      return entries.splice(0).length;
    },
    list() {
      return entries.map(({ id, vendor, operation, fault, remaining, probability, hits }) => ({
        id,
        vendor,
        ...(operation && { operation }),
        fault,
        remaining,
        probability,
        hits,
      }));
    },
    take(vendor, operationId) {
      for (const entry of entries) {
        if (entry.vendor !== vendor) continue;
        if (entry.routes && (operationId === undefined || !entry.routes.includes(operationId))) continue;
        if (entry.probability < 1 && !(random() < entry.probability)) continue;
        entry.hits++;
        if (entry.remaining !== null && --entry.remaining <= 0) remove(entry.id);
        return { id: entry.id, fault: entry.fault };
      }
      return undefined;
    },
  };
}

/** Checks and normalises what `injectFault` was given; throws a TypeError naming the valid choices. */
export function checkFaultOptions(options: unknown): Omit<Entry, "id" | "hits"> {
  if (!isRecord(options)) throw new TypeError(`injectFault needs an object { vendor, operation?, fault, times?, probability? }, got ${describe(options)}`);
  const { vendor, operation, times, probability = 1 } = options;
  if (typeof vendor !== "string" || !(VENDOR_IDS as readonly string[]).includes(vendor)) {
    throw new TypeError(`unknown vendor ${describe(vendor)} (valid: ${VENDOR_IDS.join(", ")})`);
  }
  const id = vendor as VendorId;
  const valid = listFaultOperations(id);
  if (operation !== undefined && (typeof operation !== "string" || !valid.includes(operation as FaultOperation))) {
    const local = typeof operation === "string" ? LOCAL_OPERATIONS[id]?.[operation as FaultOperation] : undefined;
    const known = typeof operation === "string" && (FAULT_OPERATIONS as readonly string[]).includes(operation);
    const reason = local ?? (known ? `${id} has no ${String(operation)} operation` : `unknown operation ${describe(operation)}`);
    throw new TypeError(`${reason} (valid for ${id}: ${valid.join(", ")})`);
  }
  const fault = checkFault(options.fault);
  let routes = operation === undefined ? undefined : OPERATION_ROUTES[id][operation as FaultOperation];
  if (fault.kind === "expired") {
    // A dead token only means something where the answer is the token the client uses.
    const tokenRoutes = TOKEN_ROUTES[id];
    routes = (routes ?? tokenRoutes).filter((route) => tokenRoutes.includes(route));
    if (routes.length === 0) {
      const where = valid.filter((name) => OPERATION_ROUTES[id][name]?.some((route) => tokenRoutes.includes(route)));
      throw new TypeError(`the expired fault needs an operation that hands out a token (valid for ${id}: ${where.join(", ")}), got ${describe(operation)}`);
    }
  }
  if (times !== undefined && !(Number.isSafeInteger(times) && (times as number) >= 1)) throw new TypeError(`times must be a whole number of at least 1, got ${describe(times)}`);
  if (typeof probability !== "number" || !(probability >= 0 && probability <= 1)) throw new TypeError(`probability must be a number from 0 to 1, got ${describe(probability)}`);
  return { vendor: id, operation: operation as FaultOperation | undefined, fault, routes, remaining: (times as number | undefined) ?? null, probability };
}

/** Checks one fault and fills in its defaults. */
function checkFault(input: unknown): Fault {
  const value = typeof input === "string" && (NAMED_KINDS as readonly string[]).includes(input) ? { kind: input } : input;
  if (!isRecord(value) || typeof value.kind !== "string" || !(FAULT_KINDS as readonly string[]).includes(value.kind)) {
    const kind = isRecord(value) ? value.kind : value;
    throw new TypeError(`unknown fault ${describe(kind)} (valid: ${FAULT_KINDS.join(", ")}; by name alone: ${NAMED_KINDS.join(", ")})`);
  }
  const fault = value as Record<string, unknown> & { kind: FaultKind };
  const allow = (...keys: string[]) => {
    const extra = Object.keys(fault).filter((key) => key !== "kind" && !keys.includes(key));
    if (extra.length > 0) throw new TypeError(`the ${fault.kind} fault has no setting ${extra.map((key) => `"${key}"`).join(", ")} (valid: ${keys.join(", ") || "none"})`);
  };
  switch (fault.kind) {
    case "status": {
      allow("status", "retryAfter", "message", "body", "headers");
      const { status, retryAfter, message, headers } = fault;
      if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) throw new TypeError(`the status fault needs a status from 200 to 599, got ${describe(status)}`);
      if (retryAfter !== undefined && !(retryAfter instanceof Date && !Number.isNaN(retryAfter.getTime())) && !(Number.isSafeInteger(retryAfter) && (retryAfter as number) >= 0)) {
        throw new TypeError(`retryAfter must be whole seconds (0 or more) or a valid Date, got ${describe(retryAfter)}`);
      }
      if (message !== undefined && typeof message !== "string") throw new TypeError(`message must be a string, got ${describe(message)}`);
      if (headers !== undefined && !(isRecord(headers) && Object.values(headers).every((header) => typeof header === "string"))) {
        throw new TypeError(`headers must be an object of strings, got ${describe(headers)}`);
      }
      return { ...fault, ...(headers !== undefined && { headers: { ...(headers as Record<string, string>) } }) } as unknown as StatusFault;
    }
    case "drip": {
      allow("intervalMs");
      const { intervalMs = 1000 } = fault;
      checkMilliseconds("intervalMs", intervalMs, 1);
      return { kind: "drip", intervalMs: intervalMs as number };
    }
    case "slow": {
      allow("delayMs");
      checkMilliseconds("delayMs", fault.delayMs, 0);
      return { kind: "slow", delayMs: fault.delayMs as number };
    }
    case "redirect": {
      allow("location", "status", "preservePath");
      const { location, status = 307, preservePath = false } = fault;
      if (typeof location !== "string" || !/^https?:$/.test(safeProtocol(location))) throw new TypeError(`the redirect fault needs an absolute http(s) location, got ${describe(location)}`);
      if (!REDIRECT_STATUSES.includes(status as number)) throw new TypeError(`a redirect status must be one of ${REDIRECT_STATUSES.join(", ")}, got ${describe(status)}`);
      if (typeof preservePath !== "boolean") throw new TypeError(`preservePath must be true or false, got ${describe(preservePath)}`);
      return { kind: "redirect", location, status: status as RedirectFault["status"], preservePath };
    }
    case "malformed": {
      allow("variant");
      const { variant = "truncated-json" } = fault;
      if (!(MALFORMED_VARIANTS as readonly unknown[]).includes(variant)) throw new TypeError(`unknown malformed variant ${describe(variant)} (valid: ${MALFORMED_VARIANTS.join(", ")})`);
      return { kind: "malformed", variant: variant as MalformedVariant };
    }
    case "expired": {
      allow("agoSeconds");
      const { agoSeconds = 60 } = fault;
      if (!Number.isSafeInteger(agoSeconds) || (agoSeconds as number) < 0) throw new TypeError(`agoSeconds must be whole seconds, 0 or more, got ${describe(agoSeconds)}`);
      return { kind: "expired", agoSeconds: agoSeconds as number };
    }
    case "oversized": {
      allow("bytes");
      if (!Number.isSafeInteger(fault.bytes) || (fault.bytes as number) < 1) throw new TypeError(`the oversized fault needs a whole number of bytes, 1 or more, got ${describe(fault.bytes)}`);
      return { kind: "oversized", bytes: fault.bytes as number };
    }
    default:
      allow();
      return { kind: fault.kind } as HangFault | ResetFault;
  }
}

function checkMilliseconds(name: string, value: unknown, minimum: number): void {
  // A timer longer than this fires at once in Node (it overflows a 32-bit int).
  if (!Number.isSafeInteger(value) || (value as number) < minimum || (value as number) > 2_147_483_647) {
    throw new TypeError(`${name} must be whole milliseconds from ${minimum} to 2147483647, got ${describe(value)}`);
  }
}

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return "";
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A short description of a wrong value: strings quoted, objects by kind only. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || ["undefined", "number", "boolean", "bigint"].includes(typeof value)) return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "an invalid Date" : "a Date";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
