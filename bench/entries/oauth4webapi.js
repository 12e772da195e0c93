// Comparison entry: oauth4webapi, one client-credentials grant (client_secret_post), as the facade's issue() makes.
import { ClientSecretPost, clientCredentialsGrantRequest, processClientCredentialsResponse } from "oauth4webapi";

const server = { issuer: "https://auth.example.com", token_endpoint: "https://auth.example.com/oauth/token" };
const client = { client_id: "client-id" };
clientCredentialsGrantRequest(server, client, ClientSecretPost("client-secret"), new URLSearchParams())
  .then((response) => processClientCredentialsResponse(server, client, response))
  .then((tokens) => console.log(tokens.expires_in));
