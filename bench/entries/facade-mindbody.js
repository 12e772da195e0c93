// Size-budget entry (b): the facade through its one-vendor subpath, with one issue() call.
import { createTokenClient } from "tokenkit/mindbody";

const client = createTokenClient("mindbody", { credentials: { apiKey: "api-key", siteId: "-99", username: "user", password: "password" } });
client.issue().then((token) => console.log(token.expiresAt));
