// Size-budget entry (b): the facade through its one-vendor subpath, with one issue() call.
import { createTokenClient } from "tokenkit/vidispine";

const client = createTokenClient("vidispine", { baseUrl: "https://vidispine.example.com", credentials: { username: "user", password: "password" } });
client.issue().then((token) => console.log(token.expiresAt));
