import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Operation } from "openapi-backend";
import { isAdminPath, serveAdmin } from "./admin.js";
import { applyCors, createOriginPolicy, type CorsOption } from "./cors.js";
import { DEMO_ACCOUNTS, DEMO_CREDENTIALS } from "./demo-accounts.js";
import { createFaultTimers, replaceAnswer, sendReshaped } from "./fault-delivery.js";
import { createFaultRegistry, type ActiveFault, type FaultHandle, type FaultOptions } from "./faults.js";
import { readHeader } from "./http-util.js";
import { write } from "./http-write.js";
import type { RateLimit } from "./rate-limit.js";
import { createSpecBackend, type BackendRequest, type SpecBackend } from "./spec-backend.js";
import { loadVendorSpec } from "./spec-loader.js";
import { computeTotp } from "./totp.js";
import { VENDOR_IDS, type Exchange, type Mount, type SandboxAccounts, type SandboxCredentials, type SandboxResponse, type VendorEmulator, type VendorId } from "./types.js";
import { createAuthapiEmulator } from "./vendors/authapi.js";
import { createGenesysEmulator } from "./vendors/genesys.js";
import { createMindbodyEmulator } from "./vendors/mindbody.js";
import { createSftpgoEmulator } from "./vendors/sftpgo.js";
import { createVidispineEmulator } from "./vendors/vidispine.js";

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /** The clock every token lifetime is measured with, in ms; default `Date.now`. */
  readonly now?: () => number;
  /** SFTPGo's per-client-IP HTTP rate limit (token bucket); false turns it off. Default 10 000 per second, burst 10 000. */
  readonly sftpgoRateLimit?: RateLimit | false;
  /** OpenAPI documents to serve instead of the installed `@tokenkit/<vendor>/openapi.json`, e.g. an edited spec. */
  readonly specs?: Partial<Readonly<Record<VendorId, unknown>>>;
  /** Lets web pages on other origins call the sandbox: true for any origin, or exactly these origins. Default false (no CORS headers). */
  readonly cors?: CorsOption;
  /** The dice of a fault's `probability`: returns a number in [0, 1); default `Math.random`. */
  readonly random?: () => number;
}

/** What `clientOptions(vendor)` returns: every option `createTokenClient(vendor, …)` needs. */
export type SandboxClientOptions<V extends VendorId> = {
  readonly baseUrl: string;
  readonly credentials: SandboxCredentials[V];
} & (V extends "genesys" ? { readonly loginUrl: string } : unknown);

/** Request counts and held entries, per vendor. */
export interface SandboxStats {
  /** Requests per vendor and operationId (`(unmatched)` for requests no operation matched). */
  readonly requests: Readonly<Record<VendorId, Readonly<Record<string, number>>>>;
  /** Tokens, deny-list entries and rate-limit buckets held per vendor (dead ones count until swept). */
  readonly storedEntries: Readonly<Record<VendorId, number>>;
  /** The faults in place, in the order they are tried. */
  readonly faults: readonly ActiveFault[];
}

/** A running sandbox. */
export interface Sandbox {
  /** Root URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** Each vendor's base URL (pass as `baseUrl`). */
  readonly baseUrls: Readonly<Record<VendorId, string>>;
  /** Genesys' OAuth login host (`/oauth/token` lives here). */
  readonly genesysLoginUrl: string;
  /** Demo credentials per vendor, in the facade's `credentials` shape. */
  readonly credentials: SandboxCredentials;
  /** Further demo accounts: Vidispine admin and disabled users, the SFTPGo 2FA user, the Genesys user id. */
  readonly accounts: SandboxAccounts;
  /** Everything `createTokenClient(vendor, …)` needs: `baseUrl`, `credentials` and Genesys' `loginUrl`. */
  clientOptions<V extends VendorId>(vendor: V): SandboxClientOptions<V>;
  /** The current one-time code of the SFTPGo 2FA demo user (RFC 6238, by the sandbox clock or `atMs`). */
  totp(atMs?: number): string;
  /** Requests served for a vendor, optionally for one operationId. */
  requestCount(vendor: VendorId, operationId?: string): number;
  /** Request counts and stored entries per vendor. */
  stats(): SandboxStats;
  /**
   * Makes the vendor misbehave on matching requests (every request to it, or one uniform operation's):
   * see the README for each fault. Throws a TypeError naming the valid vendors, operations and faults.
   */
  injectFault(options: FaultOptions): FaultHandle;
  /** Removes every fault; returns how many there were. */
  clearFaults(): number;
  /** Sets every request count back to zero. */
  resetRequestCounts(): void;
  /** Drops expired tokens and deny-list entries now (this also happens by itself). */
  sweep(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const DEFAULT_RATE_LIMIT: RateLimit = { average: 10_000, periodMs: 1_000, burst: 10_000 };
/** Expired entries are swept when a request arrives this long (sandbox clock) after the last sweep … */
const SWEEP_EVERY_MS = 10_000;
/** … and by a background timer (unref'd: it never keeps the process alive). */
const SWEEP_TIMER_MS = 30_000;
const MAX_BODY_BYTES = 1024 * 1024;
const UNMATCHED = "(unmatched)";

interface Route {
  readonly emulator: VendorEmulator;
  readonly mount: Mount;
  readonly backend: SpecBackend;
}

/** Starts the sandbox: all five vendors' token endpoints on one port, validated against the specs. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { port = 0, host = "127.0.0.1" } = options;
  const now = options.now ?? Date.now;
  const corsPolicy = createOriginPolicy(options.cors);
  const emulators: VendorEmulator[] = [
    createMindbodyEmulator(DEMO_CREDENTIALS.mindbody),
    createVidispineEmulator(DEMO_CREDENTIALS.vidispine, DEMO_ACCOUNTS.vidispine),
    createSftpgoEmulator({ credentials: DEMO_CREDENTIALS.sftpgo, accounts: DEMO_ACCOUNTS.sftpgo, rateLimit: options.sftpgoRateLimit ?? DEFAULT_RATE_LIMIT }),
    createGenesysEmulator(DEMO_CREDENTIALS.genesys, DEMO_ACCOUNTS.genesys),
    createAuthapiEmulator(DEMO_CREDENTIALS.authapi),
  ];
  const routes = await createRoutes(emulators, options.specs ?? {});
  const counts = new Map<VendorId, Map<string, number>>(VENDOR_IDS.map((id) => [id, new Map()]));
  const faults = createFaultRegistry(options.random);
  const faultTimers = createFaultTimers();
  let lastSweep = now();
  let root = "";
  const sweepAll = (at: number) => {
    lastSweep = at;
    for (const emulator of emulators) emulator.sweep(at);
  };

  const server = createServer((request, response) => {
    // Before serve(): a preflight is the browser's question, not a vendor request, so it is neither validated nor counted.
    if (corsPolicy && applyCors(request, response, corsPolicy)) return;
    serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain; charset=utf-8" });
      response.end("Internal Server Error");
    });
  });

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const at = now();
    if (at - lastSweep >= SWEEP_EVERY_MS || at < lastSweep) sweepAll(at);
    const url = new URL(request.url ?? "/", "http://sandbox.invalid");
    // The sandbox's own endpoints: neither a vendor's route nor counted.
    if (isAdminPath(url.pathname)) return serveAdmin(request, response, url, faults, corsPolicy);
    const route = routes.find(({ mount }) => url.pathname === mount.prefix || url.pathname.startsWith(`${mount.prefix}/`));
    if (!route) {
      const body = url.pathname === "/" ? { name: "tokenkit sandbox", vendors: listBaseUrls(root), genesysLoginUrl: `${root}/genesys-login` } : { message: "No vendor is served at this path" };
      return write(response, request.method, { status: url.pathname === "/" ? 200 : 404, body, headers: { "content-type": "application/json; charset=utf-8" } });
    }
    try {
      await serveVendor(request, response, route, url, at);
    } catch {
      // Never echo internals (they may hold request data); the vendor's own 500 shape.
      write(response, request.method, route.emulator.fail("server_error", "The sandbox failed to handle the request", route.mount));
    }
  };

  const serveVendor = async (request: IncomingMessage, response: ServerResponse, route: Route, url: URL, at: number): Promise<void> => {
    const { emulator, mount, backend } = route;
    const exchange: Exchange = { clientIp: readClientIp(request), now: at, headers: request.headers };
    const backendRequest: BackendRequest = {
      method: request.method ?? "GET",
      path: url.pathname.slice(mount.prefix.length) || "/",
      query: url.search.replace(/^\?/, ""),
      headers: request.headers as Record<string, string | string[]>,
    };
    const operation = backend.match(backendRequest);
    count(counts, emulator.id, operation?.operationId ?? UNMATCHED);
    const fired = faults.take(emulator.id, operation?.operationId);
    if (fired && replaceAnswer(request, response, fired, { emulator, mount, pathBelowMount: `${backendRequest.path}${url.search}` })) return;
    const result = await answerVendor(request, route, backendRequest, operation, exchange);
    if (fired) return sendReshaped(response, request.method, result, fired, { emulator, timers: faultTimers, now: at });
    return write(response, request.method, result);
  };

  /** The vendor's own answer: admission, body checks, then the spec-validated handler. */
  const answerVendor = async (request: IncomingMessage, route: Route, backendRequest: BackendRequest, operation: Operation | undefined, exchange: Exchange): Promise<SandboxResponse> => {
    const { emulator, mount, backend } = route;
    const refused = emulator.admit?.(exchange);
    if (refused) return refused;
    const raw = await readBody(request);
    if (raw === undefined) return emulator.fail("payload_too_large", `The request body exceeds ${MAX_BODY_BYTES} bytes`, mount);
    const declared = Object.keys((operation?.requestBody as { content?: object } | undefined)?.content ?? {});
    const mediaType = readMediaType(readHeader(request.headers, "content-type"));
    if (raw.length > 0 && declared.length > 0 && !declared.includes(mediaType ?? "")) {
      const message = `Content-Type ${mediaType ?? "(none)"} is not accepted here; send ${declared.join(" or ")}`;
      return emulator.fail("unsupported_media_type", message, mount);
    }
    const body = parseBody(raw, mediaType);
    if (body === INVALID_JSON) return emulator.fail("invalid_request", "The request body is not valid JSON", mount);
    return backend.handle({ ...backendRequest, body }, { emulator, exchange, mount });
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === "IPv6" || address.address.includes(":") ? `[${address.address}]` : address.address;
  root = `http://${hostForUrl}:${address.port}`;
  const baseUrls = listBaseUrls(root);
  const genesysLoginUrl = `${root}/genesys-login`;
  const timer = setInterval(() => sweepAll(now()), SWEEP_TIMER_MS);
  timer.unref();

  const sandbox: Sandbox = {
    url: root,
    baseUrls,
    genesysLoginUrl,
    credentials: DEMO_CREDENTIALS,
    accounts: DEMO_ACCOUNTS,
    clientOptions: <V extends VendorId>(vendor: V) => {
      if (!VENDOR_IDS.includes(vendor)) throw new TypeError(`unknown vendor "${String(vendor)}" (known: ${VENDOR_IDS.join(", ")})`);
      const base = { baseUrl: baseUrls[vendor], credentials: { ...DEMO_CREDENTIALS[vendor] } };
      return (vendor === "genesys" ? { ...base, loginUrl: genesysLoginUrl } : base) as SandboxClientOptions<V>;
    },
    totp: (atMs) => computeTotp(DEMO_ACCOUNTS.sftpgo.twoFactor.totpSecret, atMs ?? now()),
    requestCount: (vendor, operationId) => {
      const perOperation = counts.get(vendor);
      if (!perOperation) return 0;
      if (operationId !== undefined) return perOperation.get(operationId) ?? 0;
      let total = 0;
      for (const value of perOperation.values()) total += value;
      return total;
    },
    stats: () => ({
      requests: Object.fromEntries(VENDOR_IDS.map((id) => [id, Object.fromEntries(counts.get(id) ?? [])])) as SandboxStats["requests"],
      storedEntries: Object.fromEntries(emulators.map((emulator) => [emulator.id, emulator.storedEntries()])) as SandboxStats["storedEntries"],
      faults: faults.list(),
    }),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    resetRequestCounts: () => {
      for (const perOperation of counts.values()) perOperation.clear();
    },
    sweep: () => sweepAll(now()),
    close: () => {
      faultTimers.cancelAll();
      return closeServer(server, timer);
    },
  };
  return sandbox;
}

/** Base URLs of every vendor under `root`. */
function listBaseUrls(root: string): Record<VendorId, string> {
  return {
    mindbody: `${root}/mindbody`,
    vidispine: `${root}/vidispine`,
    sftpgo: `${root}/sftpgo`,
    genesys: `${root}/genesys`,
    authapi: `${root}/authapi/v1`,
  };
}

/** Validating backends are built once per spec document and reused by every sandbox in the process. */
const backendCache = new Map<string, Promise<SpecBackend>>();

async function createRoutes(emulators: readonly VendorEmulator[], specs: Partial<Record<VendorId, unknown>>): Promise<Route[]> {
  const routes = await Promise.all(
    emulators.flatMap((emulator) =>
      emulator.mounts.map(async (mount): Promise<Route> => {
        const custom = specs[emulator.id];
        const label = `${emulator.id} spec`;
        if (custom !== undefined) return { emulator, mount, backend: await createSpecBackend(custom, label, mount) };
        const key = `${emulator.id}${mount.prefix}`;
        let backend = backendCache.get(key);
        if (!backend) {
          backend = loadVendorSpec(emulator.id).then((spec) => createSpecBackend(spec, label, mount));
          backendCache.set(key, backend);
          backend.catch(() => backendCache.delete(key));
        }
        return { emulator, mount, backend: await backend };
      }),
    ),
  );
  // Longest prefix first: `/genesys-login` must win over `/genesys`.
  return routes.sort((a, b) => b.mount.prefix.length - a.mount.prefix.length);
}

function count(counts: Map<VendorId, Map<string, number>>, vendor: VendorId, operationId: string): void {
  const perOperation = counts.get(vendor);
  perOperation?.set(operationId, (perOperation.get(operationId) ?? 0) + 1);
}

function readClientIp(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
}

/** The body as a Buffer, or undefined when it is larger than allowed. */
async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const INVALID_JSON = Symbol("invalid JSON");

/** JSON and form bodies become objects for the validator; anything else stays text. */
function parseBody(raw: Buffer, mediaType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  if (mediaType === "application/json" || mediaType?.endsWith("+json")) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // The parser's message quotes the body, which may hold a password: report it without details.
      return INVALID_JSON;
    }
  }
  if (mediaType === "application/x-www-form-urlencoded") {
    const form: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      const previous = form[key];
      form[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
    }
    return form;
  }
  return text;
}

function readMediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(";")[0]?.trim().toLowerCase();
  return type === "" ? undefined : type;
}

async function closeServer(server: Server, timer: NodeJS.Timeout): Promise<void> {
  clearInterval(timer);
  if (!server.listening) return;
  await new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets would hold close() open until they time out.
    server.closeAllConnections();
  });
}
