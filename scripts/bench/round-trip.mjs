// §3 Round-trip overhead: facade issue() against a local HTTP server vs a raw fetch() of the same
// request, interleaved, with openapi-fetch alone and the vendor package as reference points.
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { median, spread, splitBlocks } from "./stats.mjs";

const WARMUP = 400;
const ITERATIONS = 2_500;
const BLOCKS = 5;
const CREDENTIALS = { username: "bench", password: "bench-password" };
const BASIC = `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString("base64")}`;

function startServer() {
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), "round-trip-server.mjs"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`round-trip server exited early (code ${code})`)));
    child.once("message", ({ port }) => resolve({ url: `http://127.0.0.1:${port}`, stop: () => child.disconnect() }));
  });
}

/** The five ways of making the same GET /api/v2/token request, each resolving to the access token. */
async function createArms(url) {
  const { createTokenClient } = await import("tokenkit/sftpgo");
  const { createClient: createVendorClient } = await import("@tokenkit/sftpgo");
  const { default: createOpenapiFetch } = await import("openapi-fetch");
  const facade = createTokenClient("sftpgo", { baseUrl: url, credentials: CREDENTIALS });
  const vendor = createVendorClient({ baseUrl: url, auth: CREDENTIALS });
  const plain = createOpenapiFetch({ baseUrl: url });
  plain.use({
    onRequest({ request }) {
      request.headers.set("Authorization", BASIC);
      return request;
    },
  });
  const tokenUrl = `${url}/api/v2/token`;
  const check = (ok, token) => {
    if (!ok || typeof token !== "string") throw new Error("round-trip: unexpected response");
    return token;
  };
  return [
    {
      name: "raw fetch()",
      call: async () => {
        const response = await fetch(tokenUrl, { headers: { Authorization: BASIC } });
        return check(response.ok, (await response.json()).access_token);
      },
    },
    { name: "tokenkit issue()", call: async () => (await facade.issue()).accessToken },
    {
      // What a per-request timeout costs by itself: the facade arms one (AbortController + timer) per attempt.
      name: "raw fetch() + timeout signal",
      call: async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        try {
          const response = await fetch(tokenUrl, { headers: { Authorization: BASIC }, signal: controller.signal });
          return check(response.ok, (await response.json()).access_token);
        } finally {
          clearTimeout(timer);
        }
      },
    },
    {
      name: "openapi-fetch + auth middleware",
      call: async () => {
        const { data, response } = await plain.GET("/api/v2/token");
        return check(response.ok, data?.access_token);
      },
    },
    {
      name: "@tokenkit/sftpgo GET",
      call: async () => {
        const { data, response } = await vendor.GET("/api/v2/token");
        return check(response.ok, data?.access_token);
      },
    },
  ];
}

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const server = await startServer();
  try {
    const arms = await createArms(server.url);
    const samples = arms.map(() => new Float64Array(ITERATIONS));
    for (let i = -WARMUP; i < ITERATIONS; i++) {
      // Rotate the order every iteration so no arm always runs first (or right after another).
      for (let k = 0; k < arms.length; k++) {
        const index = (((i + k) % arms.length) + arms.length) % arms.length;
        const started = process.hrtime.bigint();
        await arms[index].call();
        const elapsed = Number(process.hrtime.bigint() - started);
        if (i >= 0) samples[index][i] = elapsed;
      }
    }
    const [raw, ...others] = samples;
    const rawMedian = median(raw);
    const rawBlocks = splitBlocks(raw, BLOCKS);
    const ratioOf = (arm) => ({
      ratio: median(arm) / rawMedian,
      noise: spread(splitBlocks(arm, BLOCKS).map((block, b) => median(block) / median(rawBlocks[b]))),
      micros: median(arm) / 1000,
    });
    const [facade, timed, plain, vendor] = others.map(ratioOf);
    const shown = ({ ratio, micros }) => `×${ratio.toFixed(3)} (${micros.toFixed(0)} µs vs ${(rawMedian / 1000).toFixed(0)} µs)`;
    return {
      rows: [
        {
          measure: "round trip: tokenkit issue() ÷ raw fetch(), sftpgo token over loopback (median)",
          value: facade.ratio,
          shown: shown(facade),
          target: { op: "<=", limit: 1.25, shown: "≤ ×1.25" },
          noise: facade.noise,
          noiseShown: `±${facade.noise.toFixed(3)}`,
          baseline: `openapi-fetch + auth middleware: ${shown(plain)}, published ≈ ×1.20`,
        },
        {
          measure: "round trip: raw fetch() with a timeout signal ÷ raw fetch() (median)",
          value: timed.ratio,
          shown: shown(timed),
          noise: timed.noise,
          noiseShown: `±${timed.noise.toFixed(3)}`,
        },
        {
          measure: "round trip: @tokenkit/sftpgo GET ÷ raw fetch() (median)",
          value: vendor.ratio,
          shown: shown(vendor),
          noise: vendor.noise,
          noiseShown: `±${vendor.noise.toFixed(3)}`,
        },
      ],
      notes: [
        `Round trip: a node:http server in a child process on 127.0.0.1 answers GET /api/v2/token with a fixed SFTPGo token body (JWT + expires_at). Five clients make that request in turn — raw \`fetch()\` + \`.json()\`, tokenkit \`issue()\` (tokenkit/sftpgo, default options), raw \`fetch()\` with an AbortController timeout (what the facade arms per attempt), openapi-fetch 0.17 with a Basic-auth middleware, and the @tokenkit/sftpgo client — in an order rotated every iteration; ${WARMUP} warm-up rounds, then ${ITERATIONS.toLocaleString("en-US")} timed rounds. Ratio = median time of the client ÷ median time of raw fetch; noise = spread of that ratio over ${BLOCKS} consecutive blocks.`,
      ],
    };
  } finally {
    server.stop();
  }
}
