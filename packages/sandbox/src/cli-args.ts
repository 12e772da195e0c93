/** Parsed command line of `tokenkit-sandbox`. */
export interface CliArguments {
  readonly port: number;
  readonly host: string;
  readonly help: boolean;
}

/** The CLI's default port, so `npx tokenkit-sandbox` lands on a predictable URL. */
export const DEFAULT_CLI_PORT = 4010;

/** Parses `--port <n>`, `--host <h>` (also `--port=<n>`), `--help`; throws a TypeError naming a bad argument. */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  let port = DEFAULT_CLI_PORT;
  let host = "127.0.0.1";
  let help = false;
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
    else throw new TypeError(`unknown argument "${argument}" (try --help)`);
  }
  return { port, host, help };
}
