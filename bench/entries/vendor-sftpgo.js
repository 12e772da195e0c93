// Size-budget entry (a): the vendor package alone, with one authenticated call.
import { createClient } from "@tokenkit/sftpgo";

const sftpgo = createClient({ baseUrl: "https://sftpgo.example.com", auth: { username: "user", password: "password" } });
sftpgo.GET("/api/v2/token").then(({ data }) => console.log(data));
