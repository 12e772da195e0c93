// Size-budget entry (a): the vendor package alone, with one authenticated call.
import { createClient } from "@tokenkit/mindbody";

const mindbody = createClient({ auth: { apiKey: "api-key", siteId: "-99" } });
mindbody
  .POST("/public/v{version}/usertoken/issue", { params: { path: { version: "6" } }, body: { Username: "user", Password: "password" } })
  .then(({ data }) => console.log(data));
