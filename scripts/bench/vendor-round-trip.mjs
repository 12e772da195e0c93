// §9 Round trip per vendor: facade issue() against the sandbox vs a raw fetch() of the very same
// request (captured from issue() itself: method, URL, headers, body), interleaved.
import { median, spread, splitBlocks } from "./stats.mjs";
import { startChild } from "./child.mjs";
import { VENDORS } from "./workspace.mjs";

const WARMUP = 200;
const ITERATIONS = 1_500;
const BLOCKS = 5;

/** The requests issue() sends (AuthAPI's is two: a long token, then a short one), as fetch receives them. */
async function captureRequests(client) {
  const realFetch = globalThis.fetch;
  const captured = [];
  globalThis.fetch = async (input, init) => {
    // The client may call fetch(url, init) or fetch(request, init): one Request reads either.
    const request = new Request(input, init);
    captured.push({ url: request.url, method: request.method, headers: [...request.headers], body: request.body ? await request.clone().text() : undefined });
    return realFetch(request);
  };
  try {
    await client.issue();
  } finally {
    globalThis.fetch = realFetch;
  }
  if (captured.length === 0) throw new Error("issue() sent no request through globalThis.fetch");
  return captured;
}

/** Raw fetch() calls of `captured`, in order, each body read as the facade reads it (JSON, or text). */
function createRawCall(captured) {
  return async () => {
    let parsed;
    for (const { url, method, headers, body } of captured) {
      const response = await fetch(url, { method, headers, body });
      parsed = /json/i.test(response.headers.get("content-type") ?? "") ? await response.json() : await response.text();
      if (!response.ok || !parsed) throw new Error(`raw fetch: ${method} ${new URL(url).pathname} answered ${response.status}`);
    }
    return parsed;
  };
}

async function measureVendor(vendor, options) {
  const { createTokenClient } = await import(`tokenkit/${vendor}`);
  const client = createTokenClient(vendor, options);
  const captured = await captureRequests(client);
  const arms = [createRawCall(captured), async () => (await client.issue()).accessToken];
  const samples = arms.map(() => new Float64Array(ITERATIONS));
  for (let i = -WARMUP; i < ITERATIONS; i++) {
    for (let k = 0; k < arms.length; k++) {
      const index = (i + WARMUP + k) % arms.length;
      const started = process.hrtime.bigint();
      await arms[index]();
      const elapsed = Number(process.hrtime.bigint() - started);
      if (i >= 0) samples[index][i] = elapsed;
    }
  }
  const [raw, facade] = samples;
  const rawBlocks = splitBlocks(raw, BLOCKS);
  return {
    ratio: median(facade) / median(raw),
    noise: spread(splitBlocks(facade, BLOCKS).map((block, b) => median(block) / median(rawBlocks[b]))),
    facadeMicros: median(facade) / 1000,
    rawMicros: median(raw) / 1000,
    request: captured.map(({ method, url }) => `${method} ${new URL(url).pathname}`).join(" + "),
  };
}

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const sandbox = await startChild("sandbox-process.mjs");
  try {
    const rows = [];
    for (const vendor of VENDORS) {
      const result = await measureVendor(vendor, sandbox.message.options[vendor]);
      rows.push({
        measure: `round trip: tokenkit/${vendor} issue() ÷ raw fetch() of the same ${result.request} (sandbox, median)`,
        value: result.ratio,
        shown: `×${result.ratio.toFixed(3)} (${result.facadeMicros.toFixed(0)} µs vs ${result.rawMicros.toFixed(0)} µs)`,
        target: { op: "<=", limit: 1.25, shown: "≤ ×1.25" },
        noise: result.noise,
        noiseShown: `±${result.noise.toFixed(3)}`,
      });
    }
    return {
      rows,
      notes: [
        `Round trip per vendor: the sandbox (@tokenkit/sandbox, SFTPGo rate limit off) in a child process on 127.0.0.1. For each vendor, the requests \`issue()\` sends (tokenkit/<vendor>, sandbox client options, otherwise defaults: 30 s timeout, retries) are captured once from its fetch calls (method, URL, every header, body; AuthAPI's issue() is two requests, a long token then a short one) and replayed by raw \`fetch()\` that reads each body the same way (JSON, or text). The two alternate, first arm swapped every round; ${WARMUP} warm-up rounds, then ${ITERATIONS.toLocaleString("en-US")} timed rounds per vendor. Ratio = median issue() ÷ median raw fetch; noise = spread of that ratio over ${BLOCKS} consecutive blocks. The sandbox's own work (routing, validating against the spec, minting a token) is in both arms.`,
      ],
    };
  } finally {
    sandbox.stop();
  }
}
