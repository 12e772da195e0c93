// Comparison entry: openid-client, one client-credentials grant (client_secret_post), as the facade's issue() makes.
import { clientCredentialsGrant, Configuration } from "openid-client";

const config = new Configuration({ issuer: "https://auth.example.com", token_endpoint: "https://auth.example.com/oauth/token" }, "client-id", "client-secret");
clientCredentialsGrant(config).then((tokens) => console.log(tokens.expiresIn()));
