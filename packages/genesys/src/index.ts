import type { Client } from "openapi-fetch";
import { operationIndex, securitySchemes, servers } from "./generated/metadata.js";
import {
  assertBaseUrl,
  basicSecret,
  createRuntimeClient,
  readAuth,
  resolveServerUrl,
  type BaseClientOptions,
  type SecretSource,
} from "./generated/runtime.js";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "./generated/runtime.js";

const PACKAGE_NAME = "@tokenkit/genesys";
const API_SERVER = servers[0];
const LOGIN_SERVER = { url: operationIndex["/oauth/token"].post.servers[0], variables: API_SERVER.variables };

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
  if (region === undefined) return API_SERVER.variables.region.default;
  // A bare host name: anything else would let the option rewrite the URL's scheme, port or path.
  if (typeof region !== "string" || !/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/i.test(region)) {
    throw Object.assign(
      new TypeError(`${PACKAGE_NAME}: option "region" must be a region host name such as "mypurecloud.ie"; received ${typeof region === "string" ? JSON.stringify(region.slice(0, 80)) : typeof region}`),
      { code: "ERR_INVALID_OPTION", option: "region" },
    );
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
  const auth = readAuth(PACKAGE_NAME, options, ["accessToken", "clientId", "clientSecret"]);
  const region = readRegion(options.region);
  const custom = options.baseUrl !== undefined;
  const baseUrl = assertBaseUrl(PACKAGE_NAME, "baseUrl", custom ? options.baseUrl : resolveServerUrl(API_SERVER, { region }), options.allowInsecureHttp);
  const defaultLoginUrl = custom ? deriveLoginUrl(baseUrl) : resolveServerUrl(LOGIN_SERVER, { region });
  const loginUrl = assertBaseUrl(PACKAGE_NAME, "loginUrl", options.loginUrl === undefined ? defaultLoginUrl : options.loginUrl, options.allowInsecureHttp);
  return createRuntimeClient<paths>(
    { ...options, baseUrl },
    {
      packageName: PACKAGE_NAME,
      defaultBaseUrl: baseUrl,
      operationBaseUrls: { requestClientCredentialsToken: loginUrl },
      bindings: {
        PureCloudOAuth: { option: "auth.accessToken", value: auth.accessToken },
        ClientBasic: { option: "auth.clientId + auth.clientSecret", value: basicSecret(auth.clientId, auth.clientSecret) },
      },
      operations: operationIndex,
      securitySchemes,
    },
  );
}
