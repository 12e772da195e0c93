// Size-budget entry (a): the vendor package alone, with one authenticated call.
import { createClient } from "@tokenkit/vidispine";

const vidispine = createClient({ baseUrl: "https://vidispine.example.com", auth: { username: "user", password: "password" } });
vidispine.GET("/API/token", { params: { query: { seconds: 3600 } } }).then(({ data }) => console.log(data));
