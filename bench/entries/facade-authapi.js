// Size-budget entry (b): the facade through its one-vendor subpath, with one issue() call.
import { createTokenClient } from "tokenkit/authapi";

const client = createTokenClient("authapi", { credentials: { clientId: "client-id", clientSecret: "client-secret" } });
client.issue().then((token) => console.log(token.expiresAt));
