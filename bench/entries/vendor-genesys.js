// Size-budget entry (a): the vendor package alone, with one authenticated call.
import { createClient } from "@tokenkit/genesys";

const genesys = createClient({ region: "mypurecloud.ie", auth: { clientId: "client-id", clientSecret: "client-secret" } });
genesys.POST("/oauth/token", { body: { grant_type: "client_credentials" } }).then(({ data }) => console.log(data));
