import { isOrigin, type CorsOption } from "./cors.js";
import { parseFaultSpec } from "./fault-spec.js";
import type { FaultOptions } from "./faults.js";

/** Parsed command line of `tokenkit-sandbox`. */
export interface CliArguments {
  readonly port: number;
  readonly host: string;
  /** true for a bare `--cors` (any origin), the `--cors=<origin>` values, or false without either. */
  readonly cors: CorsOption;
  /** The `--fault` specs, parsed, in order. */
  readonly faults: readonly FaultOptions[];
  readonly help: boolean;
}

/** The CLI's default port, so `npx tokenkit-sandbox` lands on a predictable URL. */
export const DEFAULT_CLI_PORT = 4010;

/** Parses `--port <n>`, `--host <h>` (also `--port=<n>`), `--cors[=<origin>]`, `--fault <spec>` (repeatable), `--help`; throws a TypeError naming a bad argument. */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  let port = DEFAULT_CLI_PORT;
  let host = "127.0.0.1";
  let help = false;
  let anyOrigin = false;
  const origins: string[] = [];
  const faults: FaultOptions[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? "";
    const [flag, inline] = argument.startsWith("--") && argument.includes("=") ? [argument.slice(0, argument.indexOf("=")), argument.slice(argument.indexOf("=") + 1)] : [argument, undefined];
    const value = () => {
      const next = inline ?? argv[++index];
      if (next === undefined || next === "") throw new TypeError(`${flag} needs a value`);
      return next;
    };
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--port" || flag === "-p") {
      const text = value();
      port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535) throw new TypeError(`--port must be an integer from 0 to 65535, got "${text}"`);
    } else if (flag === "--host") host = value();
    else if (flag === "--cors") {
      // A bare --cors means any origin, so it never takes the next argument as its value.
      if (inline === undefined) anyOrigin = true;
      else if (isOrigin(inline)) origins.push(inline);
      else throw new TypeError(`--cors=<origin> needs an origin such as http://127.0.0.1:5173 (scheme://host[:port], no path), got "${inline}"`);
    } else if (flag === "--fault") faults.push(parseFaultSpec(value()));
    else throw new TypeError(`unknown argument "${argument}" (try --help)`);
  }
  // A bare --cors already allows every origin, so it wins over a list.
  const cors = anyOrigin ? true : origins.length > 0 ? origins : false;
  return { port, host, cors, faults, help };
}
