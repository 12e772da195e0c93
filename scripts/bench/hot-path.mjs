// §11 The hot path every API call takes: an openapi-fetch client with `authMiddleware(source)` (a
// cached token) vs the same client with a middleware that sets a fixed Authorization header.
import { median, spread, splitBlocks } from "./stats.mjs";
import { startChild } from "./child.mjs";

const WARMUP = 500;
const ITERATIONS = 3_000;
const STUB_WARMUP = 5_000;
const STUB_ITERATIONS = 30_000;
const BLOCKS = 5;

/** Alternates the two arms `iterations` times after `warmup` rounds; ratio of medians (auth ÷ fixed) and its spread over blocks. */
async function compare(auth, fixed, warmup, iterations) {
  const arms = [fixed, auth];
  const samples = arms.map(() => new Float64Array(iterations));
  for (let i = -warmup; i < iterations; i++) {
    for (let k = 0; k < arms.length; k++) {
      const index = (i + warmup + k) % arms.length;
      const started = process.hrtime.bigint();
      await arms[index]();
      const elapsed = Number(process.hrtime.bigint() - started);
      if (i >= 0) samples[index][i] = elapsed;
    }
  }
  const [fixedSamples, authSamples] = samples;
  const fixedBlocks = splitBlocks(fixedSamples, BLOCKS);
  return {
    ratio: median(authSamples) / median(fixedSamples),
    noise: spread(splitBlocks(authSamples, BLOCKS).map((block, b) => median(block) / median(fixedBlocks[b]))),
    authNs: median(authSamples),
    fixedNs: median(fixedSamples),
  };
}

/** Two openapi-fetch clients on `options`, one per arm, each making GET /api/v2/user/profile. */
async function createArms(createClient, authMiddleware, source, options) {
  const { accessToken } = await source.getToken();
  const withSource = createClient(options);
  withSource.use(authMiddleware(source));
  const withFixed = createClient(options);
  const header = `Bearer ${accessToken}`;
  withFixed.use({
    onRequest({ request }) {
      request.headers.set("Authorization", header);
      return request;
    },
  });
  const call = (client) => async () => {
    const { data, response } = await client.GET("/api/v2/user/profile");
    if (!response.ok || !data) throw new Error(`hot path: ${response.status}`);
  };
  return [call(withSource), call(withFixed)];
}

const micro = (ns) => `${(ns / 1000).toFixed(ns < 10_000 ? 2 : 0)} µs`;

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const [sandbox, server] = await Promise.all([startChild("sandbox-process.mjs"), startChild("round-trip-server.mjs")]);
  try {
    const { default: createClient } = await import("openapi-fetch");
    const { authMiddleware, createTokenClient, createTokenSource } = await import("tokenkit/sftpgo");
    const source = createTokenSource(createTokenClient("sftpgo", sandbox.message.options.sftpgo));
    const [authLoopback, fixedLoopback] = await createArms(createClient, authMiddleware, source, { baseUrl: `http://127.0.0.1:${server.message.port}` });
    const loopback = await compare(authLoopback, fixedLoopback, WARMUP, ITERATIONS);
    // The same clients without a network: fetch answers at once, so only the client's own work is timed.
    const body = JSON.stringify({ username: "bench" });
    const stubFetch = async () => new Response(body, { headers: { "content-type": "application/json" } });
    const [authStub, fixedStub] = await createArms(createClient, authMiddleware, source, { baseUrl: "https://sftpgo.example.com", fetch: stubFetch });
    const stub = await compare(authStub, fixedStub, STUB_WARMUP, STUB_ITERATIONS);
    return {
      rows: [
        {
          measure: "hot path: openapi-fetch GET with authMiddleware(source) ÷ with a fixed-header middleware, over loopback (median)",
          value: loopback.ratio,
          shown: `×${loopback.ratio.toFixed(3)} (${micro(loopback.authNs)} vs ${micro(loopback.fixedNs)})`,
          target: { op: "<=", limit: 1.05, shown: "≤ ×1.05" },
          noise: loopback.noise,
          noiseShown: `±${loopback.noise.toFixed(3)}`,
        },
        {
          measure: "hot path without the network: the same two clients on a fetch that answers at once (median)",
          value: stub.ratio,
          shown: `×${stub.ratio.toFixed(3)} (${micro(stub.authNs)} vs ${micro(stub.fixedNs)}: authMiddleware adds ${micro(stub.authNs - stub.fixedNs)})`,
          noise: stub.noise,
          noiseShown: `±${stub.noise.toFixed(3)}`,
        },
      ],
      notes: [
        `Hot path: two openapi-fetch 0.17 clients make GET /api/v2/user/profile; one has \`authMiddleware(source)\` (tokenkit/sftpgo, a token source holding a fresh sandbox token, so every call takes the cached path and the middleware's retry bookkeeping), the other a middleware that sets the same Authorization value as a constant. Over loopback they call the round-trip server in a child process (200, small JSON body); ${WARMUP} warm-up rounds then ${ITERATIONS.toLocaleString("en-US")} timed, arms alternated. Without the network, \`fetch\` returns a new Response at once (${STUB_ITERATIONS.toLocaleString("en-US")} rounds): this isolates what the middleware costs per call. Ratio = median ÷ median; noise = spread over ${BLOCKS} blocks.`,
      ],
    };
  } finally {
    sandbox.stop();
    server.stop();
  }
}
