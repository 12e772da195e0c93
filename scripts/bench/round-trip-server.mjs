// A tiny token endpoint for §3, run in its own process so that the server's CPU time is not charged
// to the client being measured. Answers every request with one fixed SFTPGo-shaped token body and
// reports its port to the parent over IPC.
import { createServer } from "node:http";

const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const jwt = [encode({ alg: "HS256", typ: "JWT" }), encode({ aud: ["API"], exp: 1924992000, sub: "bench", username: "bench" }), "c2lnbmF0dXJlLW5vdC1jaGVja2Vk"].join(".");
const body = Buffer.from(JSON.stringify({ access_token: jwt, expires_at: "2030-12-31T00:00:00Z" }));
const headers = { "content-type": "application/json", "content-length": String(body.length) };

const server = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => process.send?.({ port: server.address().port }));
process.on("disconnect", () => server.close(() => process.exit(0)));
