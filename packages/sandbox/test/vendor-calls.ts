// Each vendor's token requests with plain fetch, for the fault tests: the request a fault hits, the
// whole issue (AuthAPI's is two requests), how a token is used, and where its expiry is written.
import type { Sandbox, VendorId } from "../src/index.js";
import { basic, call, jsonInit, type Reply } from "./helpers.js";

/** A request as fetch takes it. */
export type Request = readonly [url: string, init: RequestInit];

/** How the tests drive one vendor. */
export interface VendorCalls {
  /** The first (for AuthAPI: the long-term token) request of an issue. */
  issueRequest(sandbox: Sandbox): Request;
  /** The status a successful issue answers with. */
  readonly issueStatus: number;
  /** A whole issue; returns the answer holding the token a client uses. */
  issue(sandbox: Sandbox): Promise<Reply>;
  /** The access token in an issue answer. */
  readToken(reply: Reply): string;
  /** A request that authenticates with `token`; it answers 2xx while the token lives. */
  useToken(sandbox: Sandbox, token: string): Request;
  /** The moment (ms) an issue answer says the token dies, or undefined when it does not say. */
  readExpiry(reply: Reply, receivedAt: number): number | undefined;
}

const genesysIssue = (sandbox: Sandbox): Request => [
  `${sandbox.genesysLoginUrl}/oauth/token`,
  {
    method: "POST",
    headers: { Authorization: basic(sandbox.credentials.genesys.clientId, sandbox.credentials.genesys.clientSecret), "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  },
];

const authapiLong = (sandbox: Sandbox): Request => {
  const { clientId, clientSecret } = sandbox.credentials.authapi;
  return [
    `${sandbox.baseUrls.authapi}/auth/tokens/long`,
    jsonInit("POST", { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }, { "X-Client-Id": clientId }),
  ];
};

const fetchAll = (request: Request) => call(request[0], request[1]);

export const VENDOR_CALLS: Record<VendorId, VendorCalls> = {
  mindbody: {
    issueRequest: (sandbox) => {
      const { apiKey, siteId, username, password } = sandbox.credentials.mindbody;
      return [`${sandbox.baseUrls.mindbody}/public/v6/usertoken/issue`, jsonInit("POST", { Username: username, Password: password }, { "API-Key": apiKey, siteId })];
    },
    issueStatus: 200,
    issue: (sandbox) => fetchAll(VENDOR_CALLS.mindbody.issueRequest(sandbox)),
    readToken: (reply) => reply.body.AccessToken as string,
    useToken: (sandbox, token) => {
      const { apiKey, siteId } = sandbox.credentials.mindbody;
      return [`${sandbox.baseUrls.mindbody}/public/v6/usertoken/renew`, { method: "POST", headers: { "API-Key": apiKey, siteId, Authorization: token } }];
    },
    readExpiry: (reply) => Date.parse(reply.body.Expires as string),
  },
  vidispine: {
    issueRequest: (sandbox) => {
      const { username, password } = sandbox.credentials.vidispine;
      return [`${sandbox.baseUrls.vidispine}/API/token?seconds=60`, { headers: { Authorization: basic(username, password), Accept: "application/json" } }];
    },
    issueStatus: 200,
    issue: (sandbox) => fetchAll(VENDOR_CALLS.vidispine.issueRequest(sandbox)),
    readToken: (reply) => reply.body.token as string,
    useToken: (sandbox, token) => [`${sandbox.baseUrls.vidispine}/API/token`, { headers: { Authorization: `token ${token}`, Accept: "text/plain" } }],
    // The answer holds no expiry: the client counts the seconds it asked for.
    readExpiry: () => undefined,
  },
  sftpgo: {
    issueRequest: (sandbox) => {
      const { username, password } = sandbox.credentials.sftpgo;
      return [`${sandbox.baseUrls.sftpgo}/api/v2/token`, { headers: { Authorization: basic(username, password) } }];
    },
    issueStatus: 200,
    issue: (sandbox) => fetchAll(VENDOR_CALLS.sftpgo.issueRequest(sandbox)),
    readToken: (reply) => reply.body.access_token as string,
    useToken: (sandbox, token) => [`${sandbox.baseUrls.sftpgo}/api/v2/logout`, { headers: { Authorization: `Bearer ${token}` } }],
    readExpiry: (reply) => Date.parse(reply.body.expires_at as string),
  },
  genesys: {
    issueRequest: genesysIssue,
    issueStatus: 200,
    issue: (sandbox) => fetchAll(genesysIssue(sandbox)),
    readToken: (reply) => reply.body.access_token as string,
    useToken: (sandbox, token) => [`${sandbox.baseUrls.genesys}/api/v2/tokens/me?preserveIdleTTL=true`, { headers: { Authorization: `Bearer ${token}` } }],
    readExpiry: (reply, receivedAt) => receivedAt + (reply.body.expires_in as number) * 1000,
  },
  authapi: {
    issueRequest: authapiLong,
    issueStatus: 201,
    issue: async (sandbox) => {
      const long = await fetchAll(authapiLong(sandbox));
      if (long.status !== 201) return long;
      return call(`${sandbox.baseUrls.authapi}/auth/tokens/short`, { method: "POST", headers: { Authorization: `Bearer ${long.body.access_token as string}` } });
    },
    readToken: (reply) => reply.body.access_token as string,
    useToken: (sandbox, token) => [
      `${sandbox.baseUrls.authapi}/auth/tokens/long`,
      jsonInit("POST", { grant_type: "client_credentials", client_id: sandbox.credentials.authapi.clientId }, { Authorization: `Bearer ${token}` }),
    ],
    readExpiry: (reply) => Date.parse(reply.body.expires_at as string),
  },
};
