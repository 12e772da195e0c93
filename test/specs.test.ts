// Guards the handwritten specs in specs/: each spec's operation table must match the table below,
// written by hand from the vendors' SDK docs (the seeds) and the vendor facts, and every spec must
// lint clean (no errors, no warnings) with the project's redocly.yaml through the same
// @redocly/openapi-core API the generator uses.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { lint, lintFromString, loadConfig, type Config } from "@redocly/openapi-core";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";

type Vendor = "mindbody" | "vidispine" | "sftpgo" | "genesys" | "authapi";
const VENDORS: readonly Vendor[] = ["mindbody", "vidispine", "sftpgo", "genesys", "authapi"];

type Json = Record<string, unknown>;

interface ParamRow {
  name: string;
  in: string;
  required: boolean;
}

interface OperationRow {
  method: string;
  path: string;
  operationId: string;
  /** Effective server URLs (operation, then path, then document level). */
  servers: string[];
  /** Alternatives (OR), each a sorted set of scheme names that must all be sent (AND). */
  security: string[][];
  parameters: ParamRow[];
  requestBody: { required: boolean; contentTypes: string[] } | null;
  successStatus: string;
  successContentTypes: string[];
  successHeaders: string[];
  /** Every 4xx/5xx/default status, sorted. */
  errorStatuses: string[];
}

// ---------------------------------------------------------------------------------------------
// The expected tables, written from the seeds (../shared/seeds, SDK docs) and vendor-facts.md.
// ---------------------------------------------------------------------------------------------

const p = (name: string, where: string, required: boolean): ParamRow => ({ name, in: where, required });
const JSON_BODY = ["application/json"];

const MINDBODY_SERVERS = ["https://api.mindbodyonline.com"];
const MINDBODY_PARAMS = [p("version", "path", true), p("siteId", "header", true)];
const MINDBODY_ERRORS = ["400", "401", "500"];

const VIDISPINE_SERVERS = ["http://localhost:8080"];
const VIDISPINE_AUTH = [["BasicAuth"], ["TokenAuth"]];
const VIDISPINE_QUERY = [p("autoRefresh", "query", false), p("seconds", "query", false)];

const SFTPGO_SERVERS = ["http://localhost:8080"];
const SFTPGO_ERRORS = ["401", "403", "429", "500", "default"];

const GENESYS_API = ["https://api.{region}"];
const GENESYS_ERRORS = ["400", "401", "403", "404", "429", "500"];
const GENESYS_OAUTH = [["PureCloudOAuth"]];

const AUTHAPI_SERVERS = ["https://api.example.com/v1", "http://localhost:4010"];

const EXPECTED: Record<Vendor, OperationRow[]> = {
  mindbody: [
    {
      method: "post",
      path: "/public/v{version}/usertoken/issue",
      operationId: "issueToken",
      servers: MINDBODY_SERVERS,
      security: [["ApiKey"]],
      parameters: MINDBODY_PARAMS,
      requestBody: { required: true, contentTypes: JSON_BODY },
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: MINDBODY_ERRORS,
    },
    {
      method: "post",
      path: "/public/v{version}/usertoken/renew",
      operationId: "renewToken",
      servers: MINDBODY_SERVERS,
      security: [["ApiKey", "StaffUserToken"]],
      parameters: MINDBODY_PARAMS,
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: MINDBODY_ERRORS,
    },
    {
      method: "delete",
      path: "/public/v{version}/usertoken/revoke",
      operationId: "revokeToken",
      servers: MINDBODY_SERVERS,
      security: [["ApiKey", "StaffUserToken"]],
      parameters: MINDBODY_PARAMS,
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: MINDBODY_ERRORS,
    },
  ],
  vidispine: [
    {
      method: "get",
      path: "/API/token",
      operationId: "getAuthToken",
      servers: VIDISPINE_SERVERS,
      security: VIDISPINE_AUTH,
      parameters: VIDISPINE_QUERY,
      requestBody: null,
      successStatus: "200",
      successContentTypes: ["application/json", "text/plain"],
      successHeaders: [],
      // 400 is a marked decision (see STATUS_DECISIONS); 409 is in Vidispine's reference.
      errorStatuses: ["400", "401", "409"],
    },
    {
      method: "get",
      path: "/API/user/{username}/token",
      operationId: "getUserAuthToken",
      servers: VIDISPINE_SERVERS,
      security: VIDISPINE_AUTH,
      parameters: [p("username", "path", true), ...VIDISPINE_QUERY],
      requestBody: null,
      successStatus: "200",
      successContentTypes: ["text/plain"],
      successHeaders: [],
      // 400, 403 and 404 are marked decisions (see STATUS_DECISIONS); 409 is in Vidispine's reference.
      errorStatuses: ["400", "401", "403", "404", "409"],
    },
  ],
  sftpgo: [
    {
      method: "get",
      path: "/api/v2/token",
      operationId: "getToken",
      servers: SFTPGO_SERVERS,
      security: [["BasicAuth"]],
      parameters: [p("X-SFTPGO-OTP", "header", false)],
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: SFTPGO_ERRORS,
    },
    {
      method: "get",
      path: "/api/v2/user/token",
      operationId: "getUserToken",
      servers: SFTPGO_SERVERS,
      security: [["BasicAuth"]],
      parameters: [p("X-SFTPGO-OTP", "header", false)],
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: SFTPGO_ERRORS,
    },
    {
      method: "get",
      path: "/api/v2/logout",
      operationId: "logout",
      servers: SFTPGO_SERVERS,
      security: [["BearerAuth"]],
      parameters: [],
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: SFTPGO_ERRORS,
    },
    {
      method: "get",
      path: "/api/v2/user/logout",
      operationId: "clientLogout",
      servers: SFTPGO_SERVERS,
      security: [["BearerAuth"]],
      parameters: [],
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: SFTPGO_ERRORS,
    },
  ],
  genesys: [
    {
      method: "delete",
      path: "/api/v2/tokens/{userId}",
      operationId: "deleteToken",
      servers: GENESYS_API,
      security: GENESYS_OAUTH,
      parameters: [p("userId", "path", true)],
      requestBody: null,
      successStatus: "204",
      successContentTypes: [],
      successHeaders: [],
      errorStatuses: GENESYS_ERRORS,
    },
    {
      method: "delete",
      path: "/api/v2/tokens/me",
      operationId: "deleteTokensMe",
      servers: GENESYS_API,
      security: GENESYS_OAUTH,
      parameters: [],
      requestBody: null,
      successStatus: "204",
      successContentTypes: [],
      successHeaders: [],
      errorStatuses: GENESYS_ERRORS,
    },
    {
      method: "get",
      path: "/api/v2/tokens/me",
      operationId: "getTokensMe",
      servers: GENESYS_API,
      security: GENESYS_OAUTH,
      parameters: [p("preserveIdleTTL", "query", false)],
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: GENESYS_ERRORS,
    },
    {
      method: "head",
      path: "/api/v2/tokens/me",
      operationId: "headTokensMe",
      servers: GENESYS_API,
      security: GENESYS_OAUTH,
      parameters: [],
      requestBody: null,
      successStatus: "200",
      successContentTypes: [],
      successHeaders: [],
      errorStatuses: ["401"],
    },
    {
      method: "get",
      path: "/api/v2/tokens/timeout",
      operationId: "getTokensTimeout",
      servers: GENESYS_API,
      security: GENESYS_OAUTH,
      parameters: [],
      requestBody: null,
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: GENESYS_ERRORS,
    },
    {
      method: "put",
      path: "/api/v2/tokens/timeout",
      operationId: "putTokensTimeout",
      servers: GENESYS_API,
      security: GENESYS_OAUTH,
      parameters: [],
      requestBody: { required: false, contentTypes: JSON_BODY },
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: GENESYS_ERRORS,
    },
    {
      method: "post",
      path: "/oauth/token",
      operationId: "requestClientCredentialsToken",
      servers: ["https://login.{region}"],
      security: [["ClientBasic"]],
      parameters: [],
      requestBody: { required: true, contentTypes: ["application/x-www-form-urlencoded"] },
      successStatus: "200",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: ["400", "401"],
    },
  ],
  authapi: [
    {
      method: "post",
      path: "/auth/tokens/long",
      operationId: "issueLongTermToken",
      servers: AUTHAPI_SERVERS,
      security: [["ShortTokenAuth"], ["ClientKey"]],
      parameters: [],
      requestBody: { required: true, contentTypes: JSON_BODY },
      successStatus: "201",
      successContentTypes: JSON_BODY,
      successHeaders: ["X-Token-Id"],
      errorStatuses: ["400", "401", "403", "429"],
    },
    {
      method: "post",
      path: "/auth/tokens/short",
      operationId: "issueShortTermToken",
      servers: AUTHAPI_SERVERS,
      security: [["LongTokenAuth"]],
      parameters: [],
      requestBody: { required: false, contentTypes: JSON_BODY },
      successStatus: "201",
      successContentTypes: JSON_BODY,
      successHeaders: [],
      errorStatuses: ["400", "401", "429"],
    },
    {
      method: "post",
      path: "/auth/tokens/{tokenId}/revoke",
      operationId: "revokeToken",
      servers: AUTHAPI_SERVERS,
      security: [["ShortTokenAuth"], ["LongTokenAuth"]],
      parameters: [p("tokenId", "path", true)],
      requestBody: null,
      successStatus: "204",
      successContentTypes: [],
      successHeaders: [],
      // The vendor lists 401 and 404; 403 is a marked decision (see STATUS_DECISIONS).
      errorStatuses: ["401", "403", "404"],
    },
  ],
};

/** The fields of each security scheme that the generated runtime relies on. */
const EXPECTED_SCHEMES: Record<Vendor, Record<string, Json>> = {
  mindbody: {
    ApiKey: { type: "apiKey", in: "header", name: "API-Key" },
    StaffUserToken: { type: "http", scheme: "bearer" },
  },
  vidispine: {
    BasicAuth: { type: "http", scheme: "basic" },
    TokenAuth: { type: "http", scheme: "token" },
  },
  sftpgo: {
    BasicAuth: { type: "http", scheme: "basic" },
    BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
  },
  genesys: {
    PureCloudOAuth: { type: "oauth2", tokenUrl: "https://login.mypurecloud.com/oauth/token" },
    ClientBasic: { type: "http", scheme: "basic" },
  },
  authapi: {
    LongTokenAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    ShortTokenAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    ClientKey: { type: "apiKey", in: "header", name: "X-Client-Id" },
  },
};

/** The Genesys region hosts listed in vendor-facts.md (SDK `purecloud_region_hosts.py`). */
const GENESYS_REGIONS = [
  "mypurecloud.com",
  "mypurecloud.ie",
  "mypurecloud.com.au",
  "mypurecloud.jp",
  "mypurecloud.de",
  "usw2.pure.cloud",
  "cac1.pure.cloud",
  "apne2.pure.cloud",
  "euw2.pure.cloud",
  "aps1.pure.cloud",
  "use2.us-gov-pure.cloud",
  "sae1.pure.cloud",
  "mec1.pure.cloud",
  "apne3.pure.cloud",
  "euc2.pure.cloud",
  "mxc1.pure.cloud",
  "apse1.pure.cloud",
];

/** Vendor-stated constraints: [JSON pointer (refs followed), expected value]. */
const EXPECTED_FACTS: Record<Vendor, [string, unknown][]> = {
  mindbody: [
    ["/components/parameters/SiteId/schema/default", "-99"],
    ["/components/parameters/Version/in", "path"],
    ["/components/schemas/IssueRequest/properties/Username/type", "string"],
    ["/components/schemas/IssueRequest/properties/Password/type", "string"],
    ["/components/schemas/IssueResponse/properties/Expires/format", "date-time"],
    ["/components/schemas/IssueResponse/properties/User/properties/Type/enum", ["Staff", "Owner", "Admin"]],
    ["/components/schemas/User/properties/Id/format", "int64"],
    ["/components/schemas/MindbodyErrorResponse/properties/Error/properties/Code/type", "string"],
    ["/components/schemas/MindbodyErrorResponse/properties/Error/properties/Message/type", "string"],
    // Mindbody types the revoke body only as `object`: open, not `Record<string, never>`.
    ["/components/schemas/RevokeResponse/additionalProperties", true],
  ],
  vidispine: [
    ["/components/parameters/AutoRefresh/schema/type", "boolean"],
    ["/components/parameters/AutoRefresh/schema/default", false],
    ["/components/parameters/Seconds/schema/type", "integer"],
    ["/components/parameters/Seconds/schema/minimum", 1],
    ["/components/schemas/AuthenticationTokenType/required", ["token", "user"]],
    ["/components/responses/UserDisabled/content/text~1plain/schema/type", "string"],
    ["/paths/~1API~1token/get/responses/400/content/text~1plain/schema/type", "string"],
    ["/paths/~1API~1user~1{username}~1token/get/responses/403/content/text~1plain/schema/type", "string"],
    ["/paths/~1API~1user~1{username}~1token/get/responses/404/content/text~1plain/schema/type", "string"],
  ],
  sftpgo: [
    ["/components/schemas/Token/properties/expires_at/format", "date-time"],
    ["/components/schemas/Token/properties/access_token/type", "string"],
    ["/components/schemas/ApiResponse/properties/error/type", "string"],
    ["/components/responses/TooManyRequests/headers/Retry-After/schema/type", "integer"],
    ["/components/responses/TooManyRequests/headers/X-Retry-In/schema/type", "string"],
  ],
  genesys: [
    ["/components/schemas/IdleTokenTimeout/properties/idleTokenTimeoutSeconds/minimum", 300],
    ["/components/schemas/IdleTokenTimeout/properties/idleTokenTimeoutSeconds/maximum", 28800],
    ["/components/schemas/TokenInfo/properties/dateTokenIdles/format", "date-time"],
    ["/components/schemas/TokenInfo/properties/OAuthClient/properties/authorizedGrantType/enum",
      ["CODE", "TOKEN", "SAML2-BEARER", "PASSWORD", "CLIENT-CREDENTIALS"]],
    ["/components/schemas/InactivityTimeoutGroupBundle/properties/priority/maximum", 5],
    ["/components/schemas/ClientCredentialsTokenRequest/properties/grant_type/enum", ["client_credentials"]],
    ["/components/schemas/ClientCredentialsTokenRequest/required", ["grant_type"]],
    ["/components/schemas/ClientCredentialsTokenResponse/required", ["access_token", "token_type", "expires_in"]],
    ["/components/schemas/ClientCredentialsTokenResponse/properties/expires_in/minimum", 300],
    ["/components/schemas/ClientCredentialsTokenResponse/properties/expires_in/maximum", 172800],
    ["/components/schemas/ErrorBody/properties/status/type", "integer"],
    ["/components/schemas/ErrorBody/properties/status/format", "int32"],
    ["/components/schemas/ErrorBody/properties/messageParams/additionalProperties/type", "string"],
    ["/components/schemas/Limit/properties/value/format", "int64"],
    ["/components/schemas/OrgOAuthClient/required", ["name", "authorizedGrantType"]],
    ["/components/schemas/RoleDivision/required", ["roleId", "divisionId"]],
    ["/components/schemas/InactivityTimeoutGroupBundle/required", ["priority", "timeoutSeconds", "groups"]],
    ["/components/schemas/InactivityTimeoutGroupBundle/properties/timeoutSeconds/minimum", 300],
    ["/components/schemas/InactivityTimeoutGroupBundle/properties/timeoutSeconds/maximum", 28800],
    ["/components/schemas/IdleTokenTimeout/properties/inactivityTimeoutUnit/enum", ["Minutes", "Hours"]],
  ],
  authapi: [
    ["/components/schemas/LongTokenRequest/required", ["grant_type", "client_id"]],
    ["/components/schemas/LongTokenRequest/additionalProperties", false],
    ["/components/schemas/LongTokenRequest/properties/grant_type/enum", ["client_credentials", "assertion"]],
    ["/components/schemas/LongTokenRequest/properties/ttl_seconds/minimum", 3600],
    ["/components/schemas/LongTokenRequest/properties/ttl_seconds/maximum", 7776000],
    ["/components/schemas/ShortTokenRequest/additionalProperties", false],
    ["/components/schemas/LongTokenResponse/required", ["token_type", "access_token", "expires_in", "expires_at"]],
    ["/components/schemas/ShortTokenResponse/properties/token_type/enum", ["Bearer"]],
    ["/components/schemas/AuthError/required", ["code", "message"]],
    // The vendor types `details` only as `object`: open, not `Record<string, never>`.
    ["/components/schemas/AuthError/properties/details/additionalProperties", true],
    ["/components/responses/TooManyRequests/content/application~1json/example/message",
      "Too many requests. Please retry after 60 seconds."],
    ["/paths/~1auth~1tokens~1{tokenId}~1revoke/post/responses/403/content/application~1json/example/code", "insufficient_scope"],
  ],
};

/**
 * The body schema of every error response (4xx, 5xx, default), per operation: each must carry exactly
 * this component schema under every content type. `null`: the error responses have no body (HEAD).
 * Vendors' sources: Mindbody's ApiError wrapper, Vidispine's plain-text answers, SFTPGo's ApiResponse,
 * Genesys' ErrorBody (and RFC 6749's error on the OAuth endpoint), the C2M overlay's AuthError.
 */
const EXPECTED_ERROR_SCHEMAS: Record<Vendor, Record<string, string | null>> = {
  mindbody: { issueToken: "MindbodyErrorResponse", renewToken: "MindbodyErrorResponse", revokeToken: "MindbodyErrorResponse" },
  vidispine: { getAuthToken: "ErrorText", getUserAuthToken: "ErrorText" },
  sftpgo: { getToken: "ApiResponse", getUserToken: "ApiResponse", logout: "ApiResponse", clientLogout: "ApiResponse" },
  genesys: {
    deleteToken: "ErrorBody",
    deleteTokensMe: "ErrorBody",
    getTokensMe: "ErrorBody",
    headTokensMe: null,
    getTokensTimeout: "ErrorBody",
    putTokensTimeout: "ErrorBody",
    requestClientCredentialsToken: "OAuthError",
  },
  authapi: { issueLongTermToken: "AuthError", issueShortTermToken: "AuthError", revokeToken: "AuthError" },
};

/**
 * Error statuses the vendor's reference does not name, declared because the vendor documents the
 * refusal behind them (and the sandbox sends them): [operationId, status, what info.description
 * must say about it]. Each response's description must mark it as a decision: "not in the
 * vendor's reference" and the sandbox. Generic statuses (404 for an unserved path such as another
 * Mindbody version, 405/413/415) are deliberately not declared, which the tables above enforce.
 */
const STATUS_DECISIONS: Record<Vendor, [operationId: string, status: string, infoMention: string][]> = {
  mindbody: [],
  vidispine: [
    ["getAuthToken", "400", "- 400 when `seconds` is above `userTokenMaxInterval`"],
    ["getUserAuthToken", "400", "- 400 when `seconds` is above `userTokenMaxInterval`"],
    ["getUserAuthToken", "403", "- 403 on `/API/user/{username}/token`"],
    ["getUserAuthToken", "404", "- 404 on `/API/user/{username}/token`"],
  ],
  sftpgo: [],
  genesys: [],
  authapi: [["revokeToken", "403", "revoke also declares 403 (`insufficient_scope`)"]],
};

/** Where a decision of STATUS_DECISIONS is not declared or not marked as one; empty when all are. */
function unmarkedDecisions(doc: Json, vendor: Vendor): string[] {
  const problems: string[] = [];
  const info = String(asObject(doc.info, "info").description).replace(/\s+/g, " ");
  const operations = new Map(operationRows(doc).map((row) => [row.operationId, row]));
  for (const [operationId, status, infoMention] of STATUS_DECISIONS[vendor]) {
    const where = `${operationId} ${status}`;
    if (!info.includes(infoMention)) problems.push(`${where}: info.description does not say "${infoMention}"`);
    const row = operations.get(operationId);
    if (row === undefined || !row.errorStatuses.includes(status)) {
      problems.push(`${where}: not declared`);
      continue;
    }
    const op = asObject(at(doc, `/paths/${row.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${row.method}`), operationId);
    const response = asObject(deref(doc, asObject(op.responses, where)[status]), where);
    const description = String(response.description ?? "").replace(/\s+/g, " ");
    if (!/not in the vendor's reference/i.test(description)) problems.push(`${where}: description does not say "not in the vendor's reference"`);
    if (!/this file's decision/i.test(description)) problems.push(`${where}: description does not call it this file's decision`);
    if (!description.includes("sandbox")) problems.push(`${where}: description does not say the sandbox sends it`);
  }
  return problems;
}

/** Words each info.description must contain: vendor doc names and what the vendor calls the endpoints. */
const DESCRIPTION_MENTIONS: Record<Vendor, string[]> = {
  mindbody: ["Mindbody", "UserToken", "UserTokenController", "Swagger", "SDK"],
  vidispine: ["Vidispine", "UserTokenApi", "authentication token", "SDK", "apidoc.vidispine.com"],
  sftpgo: ["SFTPGo", "TokenApi", "access token", "SDK", "source"],
  genesys: ["Genesys", "TokensApi", "Idle Token Timeout", "client credentials", "SDK"],
  authapi: ["Click2Mail", "AuthAPI", "long-term token", "short-term", "Go client"],
};

// ---------------------------------------------------------------------------------------------
// Reading the specs
// ---------------------------------------------------------------------------------------------

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

function specUrl(vendor: Vendor): URL {
  return new URL(`../specs/${vendor}.yaml`, import.meta.url);
}

function loadSpec(vendor: Vendor): Json {
  return asObject(parse(readFileSync(specUrl(vendor), "utf8")), `${vendor}.yaml`);
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asObject(value: unknown, where: string): Json {
  if (!isObject(value)) throw new Error(`${where}: expected an object, got ${JSON.stringify(value)}`);
  return value;
}

function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where}: expected an array, got ${JSON.stringify(value)}`);
  return value;
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

/** Follows a local JSON pointer; a `$ref` met on the way is followed too. */
function at(doc: Json, pointer: string): unknown {
  let node: unknown = doc;
  for (const raw of pointer.split("/").slice(1)) {
    node = deref(doc, node);
    const key = unescapePointer(raw);
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
  }
  return deref(doc, node);
}

/** Resolves local `$ref`s (the specs are single files). */
function deref(doc: Json, node: unknown): unknown {
  let current = node;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 10) throw new Error(`$ref loop at ${current.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are allowed, found ${ref}`);
    current = at(doc, ref.slice(1));
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}

function serverUrls(servers: unknown, where: string): string[] | undefined {
  if (servers === undefined) return undefined;
  return asArray(servers, where).map((s, i) => String(asObject(s, `${where}[${i}]`).url));
}

function securityOf(requirements: unknown, where: string): string[][] {
  return asArray(requirements, where).map((req, i) => Object.keys(asObject(req, `${where}[${i}]`)).sort());
}

function parametersOf(doc: Json, pathItem: Json, operation: Json, where: string): Json[] {
  const resolve = (list: unknown, w: string): Json[] =>
    list === undefined ? [] : asArray(list, w).map((x, i) => asObject(deref(doc, x), `${w}[${i}]`));
  const pathLevel = resolve(pathItem.parameters, `${where} path parameters`);
  const opLevel = resolve(operation.parameters, `${where} parameters`);
  // Operation-level parameters override path-level ones with the same name and location.
  const merged = pathLevel.filter((pp) => !opLevel.some((op) => op.name === pp.name && op.in === pp.in));
  return [...merged, ...opLevel];
}

function isErrorStatus(status: string): boolean {
  return status === "default" || /^[45]/.test(status);
}

function operationRows(doc: Json): OperationRow[] {
  const rows: OperationRow[] = [];
  const paths = asObject(doc.paths, "paths");
  const rootServers = serverUrls(doc.servers, "servers") ?? ["/"];
  const rootSecurity = doc.security === undefined ? [] : securityOf(doc.security, "security");
  for (const [path, rawItem] of Object.entries(paths)) {
    const pathItem = asObject(deref(doc, rawItem), path);
    for (const method of METHODS) {
      if (pathItem[method] === undefined) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const op = asObject(pathItem[method], where);
      const responses = asObject(op.responses, `${where} responses`);
      const statuses = Object.keys(responses);
      const success = statuses.filter((s) => /^2\d\d$/.test(s)).sort()[0];
      if (success === undefined) throw new Error(`${where}: no 2xx response`);
      const successResponse = asObject(deref(doc, responses[success]), `${where} ${success}`);
      const body = op.requestBody === undefined ? undefined : asObject(deref(doc, op.requestBody), `${where} body`);
      rows.push({
        method,
        path,
        operationId: String(op.operationId),
        servers: serverUrls(op.servers, `${where} servers`) ?? serverUrls(pathItem.servers, `${path} servers`) ?? rootServers,
        security: op.security === undefined ? rootSecurity : securityOf(op.security, `${where} security`),
        parameters: parametersOf(doc, pathItem, op, where).map((prm) => ({
          name: String(prm.name),
          in: String(prm.in),
          required: prm.required === true,
        })),
        requestBody:
          body === undefined
            ? null
            : { required: body.required === true, contentTypes: Object.keys(asObject(body.content, `${where} body content`)) },
        successStatus: success,
        successContentTypes: Object.keys(successResponse.content === undefined ? {} : asObject(successResponse.content, where)),
        successHeaders: Object.keys(successResponse.headers === undefined ? {} : asObject(successResponse.headers, where)),
        errorStatuses: statuses.filter(isErrorStatus).sort(),
      });
    }
  }
  return rows;
}

const byOperation = (a: OperationRow, b: OperationRow): number =>
  `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);
const sortedRows = (rows: OperationRow[]): OperationRow[] => [...rows].sort(byOperation);

/** Every parameter object in the document: path-level, operation-level and components. */
function allParameters(doc: Json): Json[] {
  const found: Json[] = [];
  const take = (list: unknown): void => {
    if (Array.isArray(list)) for (const x of list) found.push(asObject(deref(doc, x), "parameter"));
  };
  for (const rawItem of Object.values(asObject(doc.paths, "paths"))) {
    const item = asObject(deref(doc, rawItem), "path item");
    take(item.parameters);
    for (const method of METHODS) if (isObject(item[method])) take(item[method].parameters);
  }
  const components = isObject(doc.components) ? doc.components : {};
  if (isObject(components.parameters)) take(Object.values(components.parameters));
  return found;
}

/** Error status → the names of the component schemas its body uses (one per content type; "inline" if not a $ref). */
function errorBodySchemas(doc: Json, row: OperationRow): Record<string, string[]> {
  const op = asObject(at(doc, `/paths/${row.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${row.method}`), row.operationId);
  const responses = asObject(op.responses, `${row.operationId} responses`);
  const result: Record<string, string[]> = {};
  for (const status of row.errorStatuses) {
    const response = asObject(deref(doc, responses[status]), `${row.operationId} ${status}`);
    const content = response.content === undefined ? {} : asObject(response.content, `${row.operationId} ${status} content`);
    result[status] = Object.values(content).map((media) => {
      const schema = asObject(asObject(media, `${row.operationId} ${status} media`).schema, `${row.operationId} ${status} schema`);
      return typeof schema.$ref === "string" ? schema.$ref.replace("#/components/schemas/", "") : "inline";
    });
  }
  return result;
}

/** Visits every node of the document except example values, with its JSON pointer. */
function walk(node: unknown, pointer: string, visit: (node: Json, pointer: string) => void): void {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${pointer}/${i}`, visit));
  if (!isObject(node)) return;
  visit(node, pointer);
  for (const [key, value] of Object.entries(node)) {
    if (key === "example" || key === "examples") continue;
    walk(value, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, visit);
  }
}

/**
 * Schemas that need an `example`: every component schema, every property schema inside one, and every
 * header schema ($refs excepted: their target carries it). Parameters are checked separately.
 */
function schemasWithoutExample(doc: Json): string[] {
  const missing: string[] = [];
  walk(doc, "", (node, pointer) => {
    const wanted =
      /^\/components\/schemas\/[^/]+$/.test(pointer) ||
      /^\/components\/schemas\/.*\/properties\/[^/]+$/.test(pointer) ||
      /\/headers\/[^/]+\/schema$/.test(pointer);
    if (wanted && typeof node.$ref !== "string" && !("example" in node)) missing.push(pointer);
  });
  return missing;
}

/**
 * Object schemas that say nothing about their members: no properties, additionalProperties,
 * patternProperties or composition. openapi-typescript turns them into `Record<string, never>`.
 */
function bareObjectSchemas(doc: Json): string[] {
  const bare: string[] = [];
  walk(doc, "", (node, pointer) => {
    const isObjectType = node.type === "object" || (Array.isArray(node.type) && node.type.includes("object"));
    const describesMembers = ["properties", "additionalProperties", "patternProperties", "allOf", "anyOf", "oneOf", "$ref"].some(
      (key) => node[key] !== undefined,
    );
    if (isObjectType && !describesMembers) bare.push(pointer);
  });
  return bare;
}

type Problem = Awaited<ReturnType<typeof lint>>[number];
const describeProblem = (x: Problem): string =>
  `${x.severity} ${x.ruleId}: ${x.message} at ${x.location.map((l) => l.pointer ?? "").join(", ")}`;

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

const configPath = fileURLToPath(new URL("../redocly.yaml", import.meta.url));
let config: Config;

beforeAll(async () => {
  config = await loadConfig({ configPath });
});

describe("token endpoint specs", () => {
  it("cover exactly the 19 seed operations (18 from the seeds plus Genesys' OAuth endpoint)", () => {
    const total = VENDORS.reduce((n, v) => n + operationRows(loadSpec(v)).length, 0);
    expect(total).toBe(19);
    expect(VENDORS.reduce((n, v) => n + EXPECTED[v].length, 0)).toBe(19);
  });

  describe.each(VENDORS)("%s", (vendor) => {
    const doc = loadSpec(vendor);

    it("has the operation table written from the seeds", () => {
      expect(sortedRows(operationRows(doc))).toEqual(sortedRows(EXPECTED[vendor]));
    });

    it("declares the security schemes the runtime relies on", () => {
      const schemes = asObject(at(doc, "/components/securitySchemes"), "securitySchemes");
      const actual: Record<string, Json> = {};
      for (const [name, raw] of Object.entries(schemes)) {
        const s = asObject(raw, name);
        const picked: Json = { type: s.type };
        for (const key of ["in", "name", "scheme", "bearerFormat"]) if (s[key] !== undefined) picked[key] = s[key];
        if (s.type === "oauth2") picked.tokenUrl = at(doc, `/components/securitySchemes/${name}/flows/clientCredentials/tokenUrl`);
        actual[name] = picked;
      }
      expect(actual).toEqual(EXPECTED_SCHEMES[vendor]);
    });

    it("keeps the vendor-stated constraints", () => {
      for (const [pointer, expected] of EXPECTED_FACTS[vendor]) {
        expect({ pointer, value: at(doc, pointer) }).toEqual({ pointer, value: expected });
      }
    });

    it("is OpenAPI 3.1.0 with info, license, tags and servers, and says where its facts come from", () => {
      expect(doc.openapi).toBe("3.1.0");
      const info = asObject(doc.info, "info");
      expect(typeof info.title).toBe("string");
      expect(typeof info.version).toBe("string");
      expect(isObject(info.license) && typeof info.license.name === "string").toBe(true);
      const description = String(info.description);
      for (const phrase of DESCRIPTION_MENTIONS[vendor]) expect(description).toContain(phrase);
      expect(asArray(doc.tags, "tags").length).toBeGreaterThan(0);
      expect(asArray(doc.servers, "servers").length).toBeGreaterThan(0);
    });

    it("documents every operation: summary, description, a declared tag and at least one 4xx", () => {
      const tagNames = asArray(doc.tags, "tags").map((t) => asObject(t, "tag").name);
      for (const row of operationRows(doc)) {
        const op = asObject(at(doc, `/paths/${row.path.replace(/~/g, "~0").replace(/\//g, "~1")}/${row.method}`), row.operationId);
        expect(typeof op.summary, `${row.operationId} summary`).toBe("string");
        expect(typeof op.description, `${row.operationId} description`).toBe("string");
        const tags = asArray(op.tags, `${row.operationId} tags`);
        expect(tags.length, `${row.operationId} tags`).toBeGreaterThan(0);
        for (const tag of tags) expect(tagNames, `${row.operationId} tag ${String(tag)}`).toContain(tag);
        expect(row.errorStatuses.some((s) => s.startsWith("4")), `${row.operationId} 4xx`).toBe(true);
        expect(row.operationId, "camelCase operationId").toMatch(/^[a-z][A-Za-z0-9]*$/);
      }
    });

    it("never declares auth as a header parameter", () => {
      const authHeaders = allParameters(doc).filter(
        (prm) => prm.in === "header" && String(prm.name).toLowerCase() === "authorization",
      );
      expect(authHeaders).toEqual([]);
    });

    it("gives every error status a body with the vendor's error schema (none for HEAD)", () => {
      const rows = operationRows(doc);
      expect(Object.keys(EXPECTED_ERROR_SCHEMAS[vendor]).sort()).toEqual(rows.map((row) => row.operationId).sort());
      for (const row of rows) {
        const expected = EXPECTED_ERROR_SCHEMAS[vendor][row.operationId];
        const bodies = errorBodySchemas(doc, row);
        for (const status of row.errorStatuses) {
          const schemas = bodies[status] ?? [];
          const where = `${row.operationId} ${status}`;
          if (expected === null) {
            expect(schemas, where).toEqual([]);
          } else {
            expect(schemas.length, `${where} has a body`).toBeGreaterThan(0);
            expect(schemas, where).toEqual(schemas.map(() => expected));
          }
        }
      }
    });

    it("marks every error status the vendor does not name as a decision (description and info)", () => {
      expect(unmarkedDecisions(doc, vendor)).toEqual([]);
    });

    it("declares no member-less object schema (generated types would be Record<string, never>)", () => {
      expect(bareObjectSchemas(doc)).toEqual([]);
    });

    it("gives every schema, property, header and parameter an example", () => {
      const schemas = asObject(at(doc, "/components/schemas"), "schemas");
      expect(Object.keys(schemas).length).toBeGreaterThan(0);
      expect(schemasWithoutExample(doc)).toEqual([]);
      for (const prm of allParameters(doc)) {
        const schema = asObject(prm.schema, `parameter ${String(prm.name)} schema`);
        expect("example" in prm || "example" in schema, `parameter ${String(prm.name)} example`).toBe(true);
      }
    });

    it("lints clean with redocly.yaml (recommended rules): no errors, no warnings", async () => {
      const problems = await lint({ ref: fileURLToPath(specUrl(vendor)), config });
      expect(problems.map(describeProblem)).toEqual([]);
    });
  });

  it("gives Genesys a region server variable listing every region host, on the API and the login host", () => {
    const doc = loadSpec("genesys");
    for (const pointer of ["/servers/0/variables/region", "/paths/~1oauth~1token/servers/0/variables/region"]) {
      const region = asObject(at(doc, pointer), pointer);
      expect(region.enum, pointer).toEqual(GENESYS_REGIONS);
      expect(region.default, pointer).toBe("mypurecloud.com");
    }
  });
});

describe("the guards themselves can fail", () => {
  it("the table comparison notices a dropped or changed operation", () => {
    const doc = loadSpec("mindbody");
    const paths = asObject(doc.paths, "paths");
    const renew = asObject(asObject(paths["/public/v{version}/usertoken/renew"], "renew").post, "renew post");
    renew.operationId = "renewUserToken";
    expect(sortedRows(operationRows(doc))).not.toEqual(sortedRows(EXPECTED.mindbody));

    const dropped = loadSpec("mindbody");
    delete asObject(dropped.paths, "paths")["/public/v{version}/usertoken/revoke"];
    expect(operationRows(dropped)).toHaveLength(2);
    expect(sortedRows(operationRows(dropped))).not.toEqual(sortedRows(EXPECTED.mindbody));

    const optional = loadSpec("mindbody");
    const siteId = asObject(at(optional, "/components/parameters/SiteId"), "SiteId");
    siteId.required = false;
    expect(sortedRows(operationRows(optional))).not.toEqual(sortedRows(EXPECTED.mindbody));
  });

  it("the error-schema, bare-object and example guards find what they look for", () => {
    const doc = loadSpec("authapi");
    const revoke = operationRows(doc).find((row) => row.operationId === "revokeToken")!;
    asObject(at(doc, "/components/responses/NotFound/content/application~1json"), "NotFound media").schema = { type: "object" };
    expect(errorBodySchemas(doc, revoke)["404"]).toEqual(["inline"]);

    const details = asObject(at(doc, "/components/schemas/AuthError/properties/details"), "details");
    delete details.additionalProperties;
    expect(bareObjectSchemas(doc)).toContain("/components/schemas/AuthError/properties/details");

    delete details.example;
    expect(schemasWithoutExample(doc)).toContain("/components/schemas/AuthError/properties/details");

    const noBody = loadSpec("genesys");
    const head = operationRows(noBody).find((row) => row.operationId === "headTokensMe")!;
    expect(errorBodySchemas(noBody, head)).toEqual({ "401": [] });
  });

  it("the decision guard notices an unmarked or dropped decision", () => {
    const unmarked = loadSpec("vidispine");
    asObject(at(unmarked, "/components/responses/OtherUserForbidden"), "OtherUserForbidden").description = "Forbidden.";
    expect(unmarkedDecisions(unmarked, "vidispine")).toEqual([
      "getUserAuthToken 403: description does not say \"not in the vendor's reference\"",
      "getUserAuthToken 403: description does not call it this file's decision",
      "getUserAuthToken 403: description does not say the sandbox sends it",
    ]);

    const dropped = loadSpec("authapi");
    delete asObject(at(dropped, "/paths/~1auth~1tokens~1{tokenId}~1revoke/post/responses"), "revoke responses")["403"];
    expect(unmarkedDecisions(dropped, "authapi")).toEqual(["revokeToken 403: not declared"]);
    expect(sortedRows(operationRows(dropped))).not.toEqual(sortedRows(EXPECTED.authapi));

    const silent = loadSpec("authapi");
    const info = asObject(silent.info, "info");
    info.description = String(info.description).replace("revoke also declares 403", "revoke declares");
    expect(unmarkedDecisions(silent, "authapi")).toEqual([
      "revokeToken 403: info.description does not say \"revoke also declares 403 (`insufficient_scope`)\"",
    ]);
  });

  it("the Authorization-header guard finds one", () => {
    const doc = loadSpec("mindbody");
    const issue = asObject(at(doc, "/paths/~1public~1v{version}~1usertoken~1issue/post"), "issue");
    asArray(issue.parameters, "issue parameters").push({ name: "Authorization", in: "header", schema: { type: "string" } });
    expect(allParameters(doc).some((prm) => prm.name === "Authorization")).toBe(true);
  });

  it("the lint check reports a broken spec", async () => {
    const source = readFileSync(specUrl("authapi"), "utf8").replace(
      "      summary: Revoke a token\n",
      "",
    );
    expect(source).not.toContain("summary: Revoke a token");
    const problems = await lintFromString({ source, absoluteRef: fileURLToPath(specUrl("authapi")), config });
    expect(problems.map((x) => x.ruleId)).toContain("operation-summary");
  });
});
