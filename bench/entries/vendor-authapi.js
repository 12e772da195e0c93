// Size-budget entry (a): the vendor package alone, with one authenticated call.
import { createClient } from "@tokenkit/authapi";

const authapi = createClient({ auth: { clientId: "client-id" } });
authapi
  .POST("/auth/tokens/long", { body: { grant_type: "client_credentials", client_id: "client-id", client_secret: "client-secret" } })
  .then(({ data }) => console.log(data));
