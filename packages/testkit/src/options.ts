// The option checks every generated client must pass (they test the shared runtime through each
// vendor's createClient), and the helpers a package's own option tests use.
import { inspect } from "node:util";
import { expect, test } from "vitest";

/** A vendor's createClient, as these checks call it: with anything, including nothing. */
export type CreateClient = (options?: never) => unknown;

/** The error `fn` throws; fails the test when it does not throw. */
export function thrown(fn: () => unknown): Error & { code?: string; option?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

/** Every error is an Error, and no printable form of an error or of `client` holds `secret`. */
export function expectNoSecret(secret: string, errors: readonly unknown[], client?: unknown): void {
  for (const error of errors) {
    expect(error).toBeInstanceOf(Error);
    const err = error as Error;
    for (const text of [err.message, err.stack, inspect(err, { depth: 5, showHidden: true }), JSON.stringify(err)]) {
      expect(text).not.toContain(secret);
    }
  }
  if (client !== undefined) {
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(secret);
    expect(JSON.stringify(client) ?? "").not.toContain(secret);
  }
}

export interface UrlOptionCases {
  /** Values that are no usable URL (not absolute, not http(s), not a string). */
  readonly invalid: readonly unknown[];
  /** An http:// URL to a non-loopback host: refused unless allowInsecureHttp is set. */
  readonly insecure: string;
}

export interface ClientOptionChecks {
  /** The package root, as `import * as pkg from "../src/index.js"`. */
  readonly pkg: Readonly<Record<string, unknown>>;
  readonly createClient: CreateClient;
  /** The client's URL options (baseUrl, and e.g. loginUrl) and their cases. */
  readonly urlOptions: Readonly<Record<string, UrlOptionCases>>;
  /** The vendor's own options that must be refused (auth above all), each with the option path the error names. */
  readonly badOptions: readonly (readonly [option: string, options: unknown])[];
}

/** Options every client refuses, whatever the vendor: the shared runtime checks them. */
const COMMON_BAD_OPTIONS: readonly (readonly [option: string, options: unknown])[] = [
  ["options", null],
  ["options", "https://api.example.com"],
  ["auth", { auth: "key" }],
  ["fetch", { fetch: {} }],
  ["fetch", { fetch: "fetch" }],
  ["headers", { headers: "x" }],
  ["allowInsecureHttp", { allowInsecureHttp: "yes" }],
];

/** Registers the shared option tests in the calling test file. */
export function testClientOptions({ pkg, createClient, urlOptions, badOptions }: ClientOptionChecks): void {
  const create = (options?: unknown) => createClient(options as never);

  test("the root exports createClient and nothing else at runtime", () => {
    expect(Object.keys(pkg).sort()).toEqual(["createClient"]);
  });

  test("no options at all are valid (the spec's default server)", () => {
    expect(() => create()).not.toThrow();
  });

  for (const [option, { invalid, insecure }] of Object.entries(urlOptions)) {
    test.each(invalid.map((value) => [value]))(`${option} %j is refused, naming the option`, (value) => {
      const error = thrown(() => create({ [option]: value }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
      expect(error.message).toContain(`"${option}"`);
    });

    test(`http:// ${option} to a non-loopback host needs allowInsecureHttp; loopback does not`, () => {
      const error = thrown(() => create({ [option]: insecure }));
      expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
      expect(error.message).toMatch(/allowInsecureHttp/);
      expect(() => create({ [option]: insecure, allowInsecureHttp: true })).not.toThrow();
      expect(() => create({ [option]: "http://localhost:8080" })).not.toThrow();
      expect(() => create({ [option]: "http://127.0.0.1:8080" })).not.toThrow();
    });
  }

  for (const option of Object.keys(urlOptions)) {
    test(`${option} with credentials, a query or a fragment is refused, never echoing the password`, () => {
      for (const [value, problem] of [
        ["https://user:canary-pass@api.example.com", /must not contain credentials/],
        ["https://api.example.com/v1?debug=1", /must not contain a query or fragment; received "https:\/\/api\.example\.com\/v1\?debug=1"/],
        ["https://api.example.com/#top", /must not contain a query or fragment/],
      ] as const) {
        const error = thrown(() => create({ [option]: value }));
        expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
        expect(error.message).toMatch(problem);
        expectNoSecret("canary-pass", [error]);
      }
    });
  }

  test.each([...badOptions, ...COMMON_BAD_OPTIONS])("a bad %s is refused, naming the option: %j", (option, options) => {
    const error = thrown(() => create(options));
    expect(error).toMatchObject({ code: "ERR_INVALID_OPTION", option });
    expect(error.message).toContain(option);
  });
}
