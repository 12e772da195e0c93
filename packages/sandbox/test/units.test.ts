import { describe, expect, it } from "vitest";
import { parseCliArguments } from "../src/cli-args.js";
import { computeTotp } from "../src/index.js";
import { negotiateMediaType } from "../src/negotiate.js";
import { RateLimiter, formatGoDuration } from "../src/rate-limit.js";
import { decodeBase32, verifyTotp } from "../src/totp.js";
import { describeValidationErrors } from "../src/validation-errors.js";

// RFC 6238 appendix B, SHA-1 column: the ASCII secret "12345678901234567890".
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("TOTP (RFC 6238, SHA-1, 30 s)", () => {
  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("at %i s gives %s", (seconds, expected) => {
    expect(computeTotp(RFC_SECRET, seconds * 1000, 8)).toBe(expected);
    expect(computeTotp(RFC_SECRET, seconds * 1000)).toBe(expected.slice(2));
  });

  it("accepts one step of clock skew either side and nothing else", () => {
    const at = 1_234_567_890_000;
    expect(verifyTotp(RFC_SECRET, computeTotp(RFC_SECRET, at), at)).toBe(true);
    expect(verifyTotp(RFC_SECRET, computeTotp(RFC_SECRET, at - 30_000), at)).toBe(true);
    expect(verifyTotp(RFC_SECRET, computeTotp(RFC_SECRET, at + 30_000), at)).toBe(true);
    expect(verifyTotp(RFC_SECRET, computeTotp(RFC_SECRET, at - 90_000), at)).toBe(false);
    expect(verifyTotp(RFC_SECRET, "12345", at)).toBe(false);
  });

  it("decodes base32 and rejects other characters", () => {
    expect(decodeBase32("MZXW6YTBOI======").toString()).toBe("foobar");
    expect(() => decodeBase32("not base32!")).toThrow(TypeError);
  });
});

describe("rate limiter", () => {
  it("refills at the average rate up to the burst", () => {
    const limiter = new RateLimiter({ average: 2, periodMs: 1000, burst: 2 });
    expect(limiter.take("ip", 0)).toBe(0);
    expect(limiter.take("ip", 0)).toBe(0);
    expect(limiter.take("ip", 0)).toBe(500);
    expect(limiter.take("other", 0)).toBe(0);
    expect(limiter.take("ip", 500)).toBe(0);
    limiter.sweep(10_000);
    expect(limiter.size).toBe(0);
    expect(() => new RateLimiter({ average: 0, periodMs: 1000, burst: 1 })).toThrow(RangeError);
  });

  it("formats waits like Go durations", () => {
    expect(formatGoDuration(500)).toBe("500ms");
    expect(formatGoDuration(1500)).toBe("1.5s");
    expect(formatGoDuration(90_000)).toBe("1m30s");
    expect(formatGoDuration(3_725_000)).toBe("1h2m5s");
  });
});

describe("content negotiation", () => {
  it("picks the spec's first media type the Accept header allows", () => {
    const offered = ["application/json", "text/plain"];
    expect(negotiateMediaType(undefined, offered)).toBe("application/json");
    expect(negotiateMediaType("*/*", offered)).toBe("application/json");
    expect(negotiateMediaType("text/plain", offered)).toBe("text/plain");
    expect(negotiateMediaType("application/json;q=0.5, text/*", offered)).toBe("text/plain");
    expect(negotiateMediaType("application/xml", offered)).toBe("application/json");
  });
});

describe("validation messages", () => {
  it("name parameters as the spec spells them and body fields by path", () => {
    const operation = { parameters: [{ in: "header", name: "X-SFTPGO-OTP" }] };
    const message = describeValidationErrors(
      [
        { instancePath: "/header/x-sftpgo-otp", keyword: "type", message: "must be string", params: { type: "string" } },
        { instancePath: "/requestBody/groups/0", keyword: "type", message: "must be string", params: { type: "string" } },
        { instancePath: "/requestBody/bundle", keyword: "required", message: "x", params: { missingProperty: "priority" } },
        { instancePath: "/path", keyword: "required", message: "x", params: { missingProperty: "userId" } },
      ],
      operation,
    );
    expect(message).toBe(
      'Header "X-SFTPGO-OTP" must be string; Body field "groups[0]" must be string; Body field "bundle.priority" is required; Missing required path parameter "userId"',
    );
  });
});

describe("CLI arguments", () => {
  it("parses --port and --host in both spellings", () => {
    expect(parseCliArguments([])).toEqual({ port: 4010, host: "127.0.0.1", cors: false, faults: [], help: false });
    expect(parseCliArguments(["--port", "0", "--host", "::1"])).toEqual({ port: 0, host: "::1", cors: false, faults: [], help: false });
    expect(parseCliArguments(["--port=8080", "--help"])).toEqual({ port: 8080, host: "127.0.0.1", cors: false, faults: [], help: true });
  });

  it("parses a bare --cors as any origin, without taking the next argument", () => {
    expect(parseCliArguments(["--cors"]).cors).toBe(true);
    expect(parseCliArguments(["--cors", "--port", "0"])).toEqual({ port: 0, host: "127.0.0.1", cors: true, faults: [], help: false });
    expect(() => parseCliArguments(["--cors", "http://x:1"])).toThrow(/unknown argument "http:\/\/x:1"/);
  });

  it("collects repeated --cors=<origin> into a list", () => {
    expect(parseCliArguments(["--cors=http://x:1"]).cors).toEqual(["http://x:1"]);
    expect(parseCliArguments(["--cors=http://x:1", "--port=0", "--cors=https://app.example.test"]).cors).toEqual(["http://x:1", "https://app.example.test"]);
    expect(parseCliArguments(["--cors=http://x:1", "--cors"]).cors).toBe(true);
  });

  it("refuses a --cors value that is not an origin", () => {
    expect(() => parseCliArguments(["--cors=http://x:1/app"])).toThrow(TypeError);
    expect(() => parseCliArguments(["--cors=http://x:1/app"])).toThrow(/--cors=<origin> needs an origin .*, got "http:\/\/x:1\/app"/);
    expect(() => parseCliArguments(["--cors="])).toThrow(/--cors=<origin> needs an origin/);
    expect(() => parseCliArguments(["--cors=*"])).toThrow(/got "\*"/);
  });

  it("collects repeated --fault <spec> in order, in both spellings", () => {
    expect(parseCliArguments(["--fault", "genesys:issue:status=429,retry-after=2,times=3", "--fault=sftpgo:hang"]).faults).toEqual([
      { vendor: "genesys", operation: "issue", fault: { kind: "status", status: 429, retryAfter: 2 }, times: 3 },
      { vendor: "sftpgo", fault: { kind: "hang" } },
    ]);
    expect(() => parseCliArguments(["--fault"])).toThrow(/--fault needs a value/);
    expect(() => parseCliArguments(["--fault", "sftpgo:introspect:hang"])).toThrow(/SFTPGo's introspect decodes the JWT's claims locally/);
  });

  it("names a bad argument", () => {
    expect(() => parseCliArguments(["--port", "http"])).toThrow(/--port must be an integer/);
    expect(() => parseCliArguments(["--port"])).toThrow(/--port needs a value/);
    expect(() => parseCliArguments(["--verbose"])).toThrow(/unknown argument "--verbose"/);
  });
});
