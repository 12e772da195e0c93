import type { Client } from "openapi-fetch";
import { clientSpec, defaultServer, operationServers } from "./generated/metadata.js";
import {
  assertBaseUrl,
  assertKind,
  createRuntimeClient,
  failOption,
  type BaseClientOptions,
  type SecretSource,
} from "./generated/runtime.js";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "./generated/runtime.js";

const PACKAGE_NAME = "@tokenkit/genesys";

/** Genesys Cloud credentials: an OAuth access token for /api/v2, and the OAuth client for /oauth/token. */
export interface GenesysAuth {
  /** Sent as `Authorization: Bearer …` on the /api/v2 calls. */
  readonly accessToken?: SecretSource;
  /** With `clientSecret`, sent as `Authorization: Basic base64(id:secret)` on POST /oauth/token. */
  readonly clientId?: SecretSource;
  readonly clientSecret?: SecretSource;
}

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  /** The organization's region host, e.g. `mypurecloud.ie`; default `mypurecloud.com`. */
  readonly region?: string;
  /** Root of the OAuth server; default `https://login.{region}`, or derived from `baseUrl` (`api.` → `login.`). */
  readonly loginUrl?: string;
  readonly auth?: GenesysAuth;
}

function readRegion(region: unknown): string {
  if (region === undefined) return defaultServer.variables.region;
  // A bare host name: anything else would let the option rewrite the URL's scheme, port or path.
  if (typeof region !== "string" || !/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/i.test(region)) {
    failOption(PACKAGE_NAME, "region", `must be a region host name such as "mypurecloud.ie"; received ${typeof region === "string" ? JSON.stringify(region) : typeof region}`);
  }
  return region;
}

/** The login host mirrors a custom API host (`api.x` → `login.x`); any other host serves both. */
function deriveLoginUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.hostname.startsWith("api.")) url.hostname = `login.${url.hostname.slice("api.".length)}`;
  return url.href.replace(/\/+$/, "");
}

/** Creates a typed client for Genesys Cloud's token endpoints, with /oauth/token routed to the login host. */
export function createClient(options: ClientOptions = {}): Client<paths> {
  assertKind(PACKAGE_NAME, "options", options ?? null, "object");
  const region = readRegion(options.region);
  const custom = options.baseUrl !== undefined;
  const baseUrl = assertBaseUrl(PACKAGE_NAME, "baseUrl", custom ? options.baseUrl : defaultServer.url.replace("{region}", region), options.allowInsecureHttp);
  const defaultLoginUrl = custom ? deriveLoginUrl(baseUrl) : operationServers.requestClientCredentialsToken.replace("{region}", region);
  const loginUrl = assertBaseUrl(PACKAGE_NAME, "loginUrl", options.loginUrl === undefined ? defaultLoginUrl : options.loginUrl, options.allowInsecureHttp);
  return createRuntimeClient<paths>({ ...options, baseUrl }, clientSpec, {
    packageName: PACKAGE_NAME,
    auth: { PureCloudOAuth: "accessToken", ClientBasic: ["clientId", "clientSecret"] },
    operationBaseUrls: { "POST /oauth/token": loginUrl },
  });
}
