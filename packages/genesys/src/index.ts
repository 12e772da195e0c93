import type { Client } from "openapi-fetch";
import { clientSpec, defaultServer, operationServers } from "./generated/metadata.js";
import {
  assertBaseUrl,
  assertKind,
  createRuntimeClient,
  failOption,
  type BaseClientOptions,
  type SecretSource,
} from "@tokenkit/runtime";
import type { paths } from "./generated/schema.js";

export type { components, operations, paths } from "./generated/schema.js";
export type { SecretSource } from "@tokenkit/runtime";

const PACKAGE_NAME = "@tokenkit/genesys";

/** Genesys Cloud credentials: an OAuth access token for /api/v2, and the OAuth client for /oauth/token. */
export interface GenesysAuth {
  /** Sent as `Authorization: Bearer …` on the /api/v2 calls. */
  readonly accessToken?: SecretSource;
  /**
   * With `clientSecret`, the OAuth client on POST /oauth/token: by default `Authorization: Basic` of the
   * form-urlencoded id and secret (RFC 6749 §2.3.1); see {@link ClientOptions.clientAuthentication}.
   */
  readonly clientId?: SecretSource;
  readonly clientSecret?: SecretSource;
}

/**
 * How the OAuth client authenticates on POST /oauth/token (RFC 6749 §2.3.1, the names of RFC 7591):
 * `client_secret_basic` sends HTTP Basic of the form-urlencoded id and secret; `client_secret_post`
 * sends `client_id` and `client_secret` in the form body instead.
 */
export type ClientAuthentication = "client_secret_basic" | "client_secret_post";

/** Options for {@link createClient}. */
export interface ClientOptions extends BaseClientOptions {
  /** The organization's region host, e.g. `mypurecloud.ie`; default `mypurecloud.com`. */
  readonly region?: string;
  /** Root of the OAuth server; default `https://login.{region}`, or derived from `baseUrl` (`api.` → `login.`). */
  readonly loginUrl?: string;
  /** How the OAuth client authenticates on POST /oauth/token; default `client_secret_basic`. */
  readonly clientAuthentication?: ClientAuthentication;
  readonly auth?: GenesysAuth;
}

const TOKEN_OPERATION = "POST /oauth/token";

/** RFC 6749 Appendix B: a value encoded as an application/x-www-form-urlencoded form field is. */
function encodeFormValue(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

/** The form-urlencoded id and secret that go into Basic auth (RFC 6749 §2.3.1). */
const encodeClientBasic = (clientId: string, clientSecret: string) => [encodeFormValue(clientId), encodeFormValue(clientSecret)] as const;

/** What a secret source yields, or undefined when it yields no non-empty string. */
async function readSecret(source: unknown): Promise<string | undefined> {
  const value: unknown = typeof source === "function" ? await (source as () => unknown)() : source;
  return typeof value === "string" && value ? value : undefined;
}

/** client_secret_post: puts `client_id` and `client_secret` into the token request's form body, read per request. */
function postClientSecret(client: Client<paths>, auth: GenesysAuth): void {
  client.use({
    async onRequest({ request, schemaPath }) {
      if (`${request.method} ${schemaPath}` !== TOKEN_OPERATION) return undefined;
      const form = new URLSearchParams(await request.clone().text());
      // A caller who put the client into the body themselves has chosen what to send.
      if (form.has("client_id")) return undefined;
      const [clientId, clientSecret] = [await readSecret(auth.clientId), await readSecret(auth.clientSecret)];
      if (!clientId || !clientSecret) {
        throw Object.assign(new Error(`${PACKAGE_NAME}: ${TOKEN_OPERATION} needs auth.clientId + auth.clientSecret, which is not configured; the request was not sent`), {
          name: "MissingCredentialError",
          code: "ERR_MISSING_CREDENTIAL",
        });
      }
      form.set("client_id", clientId);
      form.set("client_secret", clientSecret);
      return new Request(request, { body: form });
    },
  });
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
  const { clientAuthentication = "client_secret_basic", region: _region, loginUrl: _loginUrl, ...rest } = options;
  if (clientAuthentication !== "client_secret_basic" && clientAuthentication !== "client_secret_post") {
    failOption(PACKAGE_NAME, "clientAuthentication", `must be "client_secret_basic" or "client_secret_post"; received ${typeof clientAuthentication === "string" ? JSON.stringify(clientAuthentication) : typeof clientAuthentication}`);
  }
  const post = clientAuthentication === "client_secret_post";
  const client = createRuntimeClient<paths>(
    { ...rest, baseUrl },
    // The client travels in the body: the token request then needs no Authorization header.
    post ? { ...clientSpec, operations: { ...clientSpec.operations, [TOKEN_OPERATION]: [[]] } } : clientSpec,
    {
      packageName: PACKAGE_NAME,
      auth: { PureCloudOAuth: "accessToken", ClientBasic: ["clientId", "clientSecret"] },
      operationBaseUrls: { [TOKEN_OPERATION]: loginUrl },
      encodeBasic: { ClientBasic: encodeClientBasic },
    },
  );
  if (post) postClientSecret(client, options.auth ?? {});
  return client;
}
