import { describe, expect, it } from "vitest";
import { formatFaultSpec } from "../src/fault-spec.js";
import { createFaultRegistry } from "../src/faults.js";
import { parseFaultSpec } from "../src/index.js";

describe("parseFaultSpec (the --fault and admin text syntax)", () => {
  it("reads vendor, operation, fault, its value and settings", () => {
    expect(parseFaultSpec("genesys:issue:status=429,retry-after=2,times=3")).toEqual({
      vendor: "genesys",
      operation: "issue",
      fault: { kind: "status", status: 429, retryAfter: 2 },
      times: 3,
    });
    expect(parseFaultSpec("sftpgo:hang")).toEqual({ vendor: "sftpgo", fault: { kind: "hang" } });
    expect(parseFaultSpec("mindbody:renew:expired=300,probability=0.25")).toEqual({
      vendor: "mindbody",
      operation: "renew",
      fault: { kind: "expired", agoSeconds: 300 },
      probability: 0.25,
    });
    expect(parseFaultSpec("authapi:issue:status=503,retry-after=2031-01-02T03:04:05Z,message=down for maintenance")).toEqual({
      vendor: "authapi",
      operation: "issue",
      fault: { kind: "status", status: 503, retryAfter: new Date("2031-01-02T03:04:05Z"), message: "down for maintenance" },
    });
  });

  it("keeps the colons of a redirect URL, with or without an operation", () => {
    expect(parseFaultSpec("vidispine:redirect=http://127.0.0.1:4011/vidispine,status=308,preserve-path")).toEqual({
      vendor: "vidispine",
      fault: { kind: "redirect", location: "http://127.0.0.1:4011/vidispine", status: 308, preservePath: true },
    });
    expect(parseFaultSpec("vidispine:issue:redirect=https://example.test:8443/x").fault).toEqual({ kind: "redirect", location: "https://example.test:8443/x" });
  });

  it("reads every kind's value", () => {
    expect(parseFaultSpec("genesys:drip=50").fault).toEqual({ kind: "drip", intervalMs: 50 });
    expect(parseFaultSpec("genesys:drip").fault).toEqual({ kind: "drip" });
    expect(parseFaultSpec("genesys:slow=1500").fault).toEqual({ kind: "slow", delayMs: 1500 });
    expect(parseFaultSpec("genesys:reset").fault).toEqual({ kind: "reset" });
    expect(parseFaultSpec("genesys:malformed=empty-body").fault).toEqual({ kind: "malformed", variant: "empty-body" });
    expect(parseFaultSpec("genesys:oversized=1048576").fault).toEqual({ kind: "oversized", bytes: 1_048_576 });
  });

  it("says what is wrong, and what was expected", () => {
    expect(() => parseFaultSpec("genesys")).toThrow(new TypeError('fault "genesys": no ":" between the vendor and the fault (expected <vendor>[:<operation>]:<fault>[=<value>][,<setting>=<value>...])'));
    expect(() => parseFaultSpec("okta:hang")).toThrow('fault "okta:hang": unknown vendor "okta" (valid: mindbody, vidispine, sftpgo, genesys, authapi)');
    expect(() => parseFaultSpec("genesys:explode")).toThrow('unknown fault "explode" (valid: status, hang, drip, slow, reset, redirect, malformed, expired, oversized)');
    expect(() => parseFaultSpec("vidispine:revoke:hang")).toThrow("vidispine has no revoke operation (valid for vidispine: issue)");
    expect(() => parseFaultSpec("genesys:issue:status")).toThrow("status=<code> needs a value");
    expect(() => parseFaultSpec("genesys:issue:status=abc")).toThrow('status needs a number, got "abc"');
    expect(() => parseFaultSpec("genesys:issue:status=429,retry=2")).toThrow('the status fault has no setting "retry" (valid: retry-after, message, times, probability)');
    expect(() => parseFaultSpec("genesys:issue:status=429,retry-after=soon")).toThrow("retryAfter must be whole seconds (0 or more) or a valid Date, got an invalid Date");
    expect(() => parseFaultSpec("genesys:hang=5")).toThrow("hang takes no value");
    expect(() => parseFaultSpec("genesys:hang,probability=2")).toThrow('probability needs a number, got "2"');
    expect(() => parseFaultSpec("genesys:malformed=xml")).toThrow('unknown malformed variant "xml"');
  });

  it("formats an active fault back into the same syntax, defaults spelled out", () => {
    const registry = createFaultRegistry();
    for (const spec of ["genesys:issue:status=429,retry-after=2,times=3", "sftpgo:redirect=http://127.0.0.1:9/x,preserve-path", "mindbody:renew:expired", "authapi:drip,probability=0.5"]) {
      registry.add(parseFaultSpec(spec));
    }
    expect(registry.list().map(formatFaultSpec)).toEqual([
      "genesys:issue:status=429,retry-after=2,times=3",
      "sftpgo:redirect=http://127.0.0.1:9/x,status=307,preserve-path",
      "mindbody:renew:expired=60",
      "authapi:drip=1000,probability=0.5",
    ]);
    for (const active of registry.list()) expect(parseFaultSpec(formatFaultSpec(active)).fault).toEqual(active.fault);
  });
});
