import { Argument, Command, CommanderError, Option } from "commander";
import { createTokenClient, createTokenSource, type Token, type TokenEvent, type VendorId } from "tokenkit";
import { toEnvName, VENDOR_SETTINGS } from "tokenkit/credentials";
import { storeToken } from "./cached-token.js";
import { resolveSettings, UsageError, type Io } from "./config.js";
import { bindStoreKey, createDiskTokenStore, defaultCacheDir, type DiskTokenStore } from "./disk-store.js";
import { formatEvent } from "./events.js";
import { describeFailure, exitCodeFor, NoCachedTokenError } from "./report.js";
import { runSandbox } from "./sandbox-command.js";
import { startSpinner } from "./spinner.js";
import { renderTable } from "./table.js";

// Replaced by the build (tsup `define`); the fallback serves tests that import the source.
declare const TOKENKIT_CLI_VERSION: string | undefined;
const VERSION = typeof TOKENKIT_CLI_VERSION === "string" ? TOKENKIT_CLI_VERSION : "0.0.0-source";

/** The vendor ids, in display order. */
export const VENDORS: readonly VendorId[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

interface CommonFlags {
  readonly profile?: string;
  readonly json?: boolean;
  readonly showToken?: boolean;
  readonly verbose?: boolean;
  readonly passwordStdin?: boolean;
}

const REDACTED = "[redacted]";

/** The `--json` shape of a token: stable fields, the access token redacted unless asked for. */
export function tokenJson(token: Token, showToken: boolean, source: "vendor" | "cache"): Record<string, unknown> {
  return {
    vendor: token.vendor,
    tokenType: token.tokenType,
    expiresAt: token.expiresAt ? token.expiresAt.toISOString() : null,
    tokenId: token.tokenId ?? null,
    scope: token.scope ?? null,
    accessToken: showToken ? token.accessToken : REDACTED,
    source,
  };
}

function describeExpiry(token: Token, now: number): string {
  if (!token.expiresAt) return "no expiry given";
  const seconds = Math.round((token.expiresAt.getTime() - now) / 1000);
  const span = seconds >= 5400 ? `${Math.round(seconds / 3600)} h` : seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
  return `${token.expiresAt.toISOString()} (in ${span})`;
}

/** Runs the `tokenkit` command with `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const out = (text: string) => io.stdout.write(text);
  const err = (text: string) => io.stderr.write(text);
  const width = () => (io.stdout.isTTY && io.stdout.columns ? Math.min(io.stdout.columns, 120) : 80);
  let exitCode = 0;
  let currentVendor: VendorId | undefined;

  let store: DiskTokenStore | undefined;
  const openStore = () => (store ??= createDiskTokenStore({ dir: defaultCacheDir(io.env), onWarning: (message) => err(`tokenkit: warning: ${message}\n`) }));

  /** Settings, client and cache key of a vendor, from the flags and the environment. */
  const prepare = async (vendor: VendorId, flags: CommonFlags, observe?: (event: TokenEvent) => void) => {
    currentVendor = vendor;
    const { options, cacheKey } = await resolveSettings(vendor, flags, io);
    const onEvent = (event: TokenEvent) => {
      observe?.(event);
      if (flags.verbose) err(`${formatEvent(event)}\n`);
    };
    const client = createTokenClient(vendor, { ...options, onEvent } as never) as unknown as {
      readonly vendor: VendorId;
      capabilities: Record<"issue" | "renew" | "revoke" | "introspect", boolean>;
      issue(): Promise<Token>;
      renew(token: Token): Promise<Token>;
      revoke(token: Token): Promise<void>;
      introspect(token: Token): Promise<unknown>;
    };
    return { client, cacheKey };
  };

  /** Runs a vendor call under a spinner (terminal only, after ~300 ms; not with --verbose, whose lines would fight it). */
  const withSpinner = async <T>(label: string, flags: CommonFlags, work: () => Promise<T>): Promise<T> => {
    const spinner = flags.verbose ? { stop() {} } : startSpinner(io.stderr, label);
    try {
      return await work();
    } finally {
      spinner.stop();
    }
  };

  const cachedToken = async (vendor: VendorId, cacheKey: string): Promise<Token> => {
    const token = await openStore().get(cacheKey);
    if (!token) throw new NoCachedTokenError(vendor);
    return token;
  };

  const printToken = (token: Token, flags: CommonFlags, source: "vendor" | "cache", heading: string) => {
    if (flags.json) return void out(`${JSON.stringify(tokenJson(token, !!flags.showToken, source))}\n`);
    const rows: [string, string][] = [
      ["vendor", token.vendor],
      ["token type", token.tokenType],
      ["expires", describeExpiry(token, Date.now())],
    ];
    if (token.tokenId) rows.push(["token id", token.tokenId]);
    if (token.scope) rows.push(["scope", token.scope]);
    rows.push(["access token", flags.showToken ? token.accessToken : `${REDACTED} (--show-token prints it)`]);
    return void out(`${heading}\n${renderTable(["field", "value"], rows, { width: width() })}`);
  };

  const program = new Command("tokenkit");
  program
    .description("Issue, renew, revoke and introspect tokens of Mindbody, Vidispine, SFTPGo, Genesys Cloud and AuthAPI.")
    .usage("<command> [vendor] [options]")
    .version(VERSION, "-V, --version", "print the version of tokenkit")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: out, writeErr: err, outputError: (text, write) => write(`tokenkit: ${text.replace(/^error: /, "")}`) })
    .addHelpText(
      "after",
      `
Credentials never go on the command line. They come from, first found:
  --password-stdin          the password or client secret, read from standard input
  the environment           TOKENKIT_<VENDOR>_<FIELD>, e.g. TOKENKIT_SFTPGO_PASSWORD
  a profile file            $XDG_CONFIG_HOME/tokenkit/credentials (JSON, mode 600)
  a prompt                  on a terminal, echo off for secrets
With --profile NAME (or TOKENKIT_PROFILE) that profile comes before the environment.
Tokens are cached in $XDG_CACHE_HOME/tokenkit (default ~/.cache/tokenkit).
\`tokenkit vendors\` lists each vendor's settings; \`tokenkit sandbox\` starts a local
emulator of all five and prints the settings that point at it.

Exit codes: 0 ok, 2 usage or invalid_argument, 3 unauthorized/forbidden,
4 rate_limited, 5 network_error/timeout, 6 server_error/invalid_response,
7 unsupported, 1 anything else.`,
    );

  const vendorArgument = () => new Argument("<vendor>", "mindbody, vidispine, sftpgo, genesys or authapi").choices(VENDORS);
  const addCommonOptions = (command: Command, { credentials = true, token = true } = {}) => {
    if (credentials) {
      command.addOption(new Option("--profile <name>", "profile of the credentials file to use (default: TOKENKIT_PROFILE, else \"default\")"));
      command.addOption(new Option("--password-stdin", "read the password or client secret from standard input"));
    }
    command.addOption(new Option("--json", "print JSON with stable fields instead of a table"));
    if (token) command.addOption(new Option("--show-token", "print the access token instead of [redacted]"));
    command.addOption(new Option("--verbose", "print each request, response, retry and cache event to stderr"));
    return command;
  };

  const vendorCommand = (name: string, summary: string, action: (vendor: VendorId, flags: CommonFlags) => Promise<void>) =>
    addCommonOptions(program.command(name).description(summary).addArgument(vendorArgument())).action(async (vendor: VendorId, flags: CommonFlags) => {
      await action(vendor, flags);
    });

  vendorCommand("issue", "get a new token from the vendor and cache it", async (vendor, flags) => {
    const { client, cacheKey } = await prepare(vendor, flags);
    const token = await withSpinner(`issuing a ${vendor} token…`, flags, () => client.issue());
    await storeToken(openStore(), cacheKey, token);
    printToken(token, flags, "vendor", `issued a ${vendor} token (cached for renew, revoke, introspect and token)`);
  });

  vendorCommand("renew", "renew the cached token (mindbody, authapi) and cache the new one", async (vendor, flags) => {
    const { client, cacheKey } = await prepare(vendor, flags);
    // The vendor's own `unsupported` TokenError comes before any cache lookup.
    if (!client.capabilities.renew) await client.renew(undefined as never);
    const token = await cachedToken(vendor, cacheKey);
    const renewed = await withSpinner(`renewing the ${vendor} token…`, flags, () => client.renew(token));
    await storeToken(openStore(), cacheKey, renewed);
    printToken(renewed, flags, "vendor", `renewed the cached ${vendor} token`);
  });

  vendorCommand("revoke", "revoke the cached token at the vendor and forget it", async (vendor, flags) => {
    const { client, cacheKey } = await prepare(vendor, flags);
    if (!client.capabilities.revoke) await client.revoke(undefined as never);
    const token = await cachedToken(vendor, cacheKey);
    await withSpinner(`revoking the ${vendor} token…`, flags, () => client.revoke(token));
    await openStore().delete(cacheKey);
    if (flags.json) out(`${JSON.stringify({ vendor, revoked: true, tokenId: token.tokenId ?? null })}\n`);
    else out(`revoked the cached ${vendor} token and removed it from the cache\n`);
  });

  vendorCommand("introspect", "describe the cached token (sftpgo: its JWT claims; genesys: the vendor's token info)", async (vendor, flags) => {
    const { client, cacheKey } = await prepare(vendor, flags);
    if (!client.capabilities.introspect) await client.introspect(undefined as never);
    const token = await cachedToken(vendor, cacheKey);
    const info = await withSpinner(`introspecting the ${vendor} token…`, flags, () => client.introspect(token));
    if (flags.json) return void out(`${JSON.stringify({ vendor, introspection: info })}\n`);
    const entries = Object.entries((info ?? {}) as Record<string, unknown>).map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)] as [string, string]);
    out(`the cached ${vendor} token, as the ${vendor === "sftpgo" ? "JWT's claims (decoded locally)" : "vendor describes it"}\n${renderTable(["field", "value"], entries, { width: width() })}`);
  });

  addCommonOptions(program.command("token").description("print only the access token, from the cache while it is valid (for curl -H \"Authorization: Bearer $(tokenkit token sftpgo)\")").addArgument(vendorArgument()), { token: false }).action(
    async (vendor: VendorId, flags: CommonFlags) => {
      let issued = false;
      const { client, cacheKey } = await prepare(vendor, flags, (event) => {
        if (event.type === "issued") issued = true;
      });
      const disk = openStore();
      // A refused cache fails the command here: inside the source it would only become a store-fallback.
      await disk.check();
      await disk.get(cacheKey);
      // tokenkit's token source over the disk store: refresh ahead, and one issue call for every
      // `tokenkit` process asking at once (the others wait for the lease holder's token).
      const source = createTokenSource(client as never, { store: bindStoreKey(disk, cacheKey), storeTimeoutMs: 5_000 });
      const token = await withSpinner(`getting a ${vendor} token…`, flags, () => source.getToken());
      // The token is what this command is for: --json shows it too.
      if (flags.json) out(`${JSON.stringify(tokenJson(token, true, issued ? "vendor" : "cache"))}\n`);
      else out(`${token.accessToken}\n`);
    },
  );

  addCommonOptions(program.command("vendors").description("list the vendors, their operations and their settings"), { credentials: false, token: false }).action((flags: CommonFlags) => {
    const rows = VENDORS.map((vendor) => {
      // Placeholder credentials only to read the library's own capabilities: no I/O happens.
      const placeholder = Object.fromEntries(VENDOR_SETTINGS[vendor].filter((field) => field.kind === "credential").map((field) => [field.key, "x"]));
      const { capabilities } = createTokenClient(vendor, { credentials: placeholder } as never) as unknown as { capabilities: Record<string, boolean> };
      return { vendor, capabilities, settings: VENDOR_SETTINGS[vendor] };
    });
    if (flags.json) {
      const list = rows.map(({ vendor, capabilities, settings }) => ({
        vendor,
        capabilities,
        settings: settings.map((field) => ({ key: field.key, env: toEnvName(vendor, field.key), kind: field.kind, required: field.required, secret: field.secret })),
      }));
      return void out(`${JSON.stringify(list)}\n`);
    }
    const mark = (value: boolean) => (value ? "yes" : "–");
    const table = rows.map(({ vendor, capabilities, settings }) => [
      vendor,
      mark(capabilities.renew!),
      mark(capabilities.revoke!),
      mark(capabilities.introspect!),
      settings.map((field) => (field.required ? field.key : `[${field.key}]`)).join(" "),
    ]);
    out(renderTable(["vendor", "renew", "revoke", "introspect", "settings ([optional])"], table, { width: width() }));
    out(`Every vendor issues. Settings come from TOKENKIT_<VENDOR>_<FIELD>\n(e.g. ${toEnvName("genesys", "clientSecret")}) or a profile; see tokenkit --help.\n`);
  });

  addCommonOptions(
    program
      .command("sandbox")
      .description("start the local sandbox of all five vendors and print the export lines that point tokenkit at it; runs until Ctrl-C")
      .addOption(new Option("--port <n>", "TCP port on 127.0.0.1 (default: a free one)").argParser((value) => {
        if (!/^\d+$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a number from 0 to 65535; received ${JSON.stringify(value)}`);
        return Number(value);
      })),
    { credentials: false, token: false },
  ).action(async (flags: CommonFlags & { port?: number }) => {
    await runSandbox({ port: flags.port ?? 0, json: !!flags.json }, io);
  });

  const cache = program.command("cache").description("manage the token cache");
  addCommonOptions(cache.command("clear").description("remove every cached token"), { credentials: false, token: false }).action(async (flags: CommonFlags) => {
    const removed = await openStore().clear();
    if (flags.json) out(`${JSON.stringify({ removed, dir: openStore().dir })}\n`);
    else out(`removed ${removed} cached token${removed === 1 ? "" : "s"} from ${openStore().dir}\n`);
  });

  try {
    await program.parseAsync(argv as string[], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end in a CommanderError too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UsageError && (error as Error).message) {
      err(describeFailure(error, currentVendor));
      return 2;
    }
    err(describeFailure(error, currentVendor));
    exitCode = exitCodeFor(error);
  }
  return exitCode;
}

