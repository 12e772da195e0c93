// Size entry (c): the facade root, which carries all five vendors, with one issue() call each.
import { createTokenClient } from "tokenkit";

const clients = [
  createTokenClient("mindbody", { credentials: { apiKey: "api-key", siteId: "-99", username: "user", password: "password" } }),
  createTokenClient("vidispine", { baseUrl: "https://vidispine.example.com", credentials: { username: "user", password: "password" } }),
  createTokenClient("sftpgo", { baseUrl: "https://sftpgo.example.com", credentials: { username: "user", password: "password" } }),
  createTokenClient("genesys", { region: "mypurecloud.ie", credentials: { clientId: "client-id", clientSecret: "client-secret" } }),
  createTokenClient("authapi", { credentials: { clientId: "client-id", clientSecret: "client-secret" } }),
];
for (const client of clients) client.issue().then((token) => console.log(token.expiresAt));
