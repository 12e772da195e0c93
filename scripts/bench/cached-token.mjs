// §2 Cached getToken(): latency of `await source.getToken()` once a token is cached.
import { median, quantile, spread } from "./stats.mjs";

const ROUNDS = 5;
const CALLS_PER_ROUND = 200_000;
const WARMUP_CALLS = 200_000;
const BATCH = 1_000;
const BATCHES = 1_000;
const ISSUE_SAMPLES = 200;

function measureTimerCost() {
  const samples = new Float64Array(100_000);
  for (let i = 0; i < samples.length; i++) {
    const started = process.hrtime.bigint();
    samples[i] = Number(process.hrtime.bigint() - started);
  }
  return median(samples);
}

async function timeEachCall(source, samples) {
  for (let i = 0; i < samples.length; i++) {
    const started = process.hrtime.bigint();
    await source.getToken();
    samples[i] = Number(process.hrtime.bigint() - started);
  }
}

async function timeBatches(source) {
  const means = new Float64Array(BATCHES);
  for (let b = 0; b < BATCHES; b++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < BATCH; i++) await source.getToken();
    means[b] = Number(process.hrtime.bigint() - started) / BATCH;
  }
  return means;
}

/** Nanoseconds as µs (or ms from 1 ms up), with precision that suits the magnitude. */
const micro = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e4 ? `${(ns / 1000).toFixed(0)} µs` : `${(ns / 1000).toFixed(3)} µs`);

/** Runs the section; returns its rows and method notes. */
export async function run() {
  const { startSandbox } = await import("@tokenkit/sandbox");
  const { createTokenClient, createTokenSource } = await import("tokenkit");
  const sandbox = await startSandbox({ port: 0 });
  try {
    const client = createTokenClient("sftpgo", sandbox.clientOptions("sftpgo"));
    const source = createTokenSource(client);
    const first = await source.getToken();

    // What a cache miss costs: issue() over loopback (the figure the cache saves per call).
    const issueSamples = [];
    for (let i = 0; i < ISSUE_SAMPLES; i++) {
      const started = process.hrtime.bigint();
      await client.issue();
      issueSamples.push(Number(process.hrtime.bigint() - started));
    }

    const timerNs = measureTimerCost();
    await timeEachCall(source, new Float64Array(WARMUP_CALLS));
    const all = new Float64Array(ROUNDS * CALLS_PER_ROUND);
    const roundP99 = [];
    const roundP50 = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = all.subarray(r * CALLS_PER_ROUND, (r + 1) * CALLS_PER_ROUND);
      await timeEachCall(source, round);
      roundP99.push(quantile(round, 0.99));
      roundP50.push(quantile(round, 0.5));
    }
    const batchMeans = await timeBatches(source);
    const same = (await source.getToken()) === first;

    const p50 = quantile(all, 0.5);
    const p99 = quantile(all, 0.99);
    const issueMedian = median(issueSamples);
    const total = (ROUNDS * CALLS_PER_ROUND).toLocaleString("en-US");
    return {
      rows: [
        {
          measure: `cached getToken() p50, ${total} calls (per-call timing)`,
          value: p50,
          shown: `${micro(p50)} (batched mean ${micro(median(batchMeans))})`,
          noise: spread(roundP50),
          noiseShown: micro(spread(roundP50)),
          baseline: `issue() over loopback: ${micro(issueMedian)} (${Math.round(issueMedian / p50).toLocaleString("en-US")}× slower)`,
        },
        {
          measure: `cached getToken() p99, ${total} calls (per-call timing)`,
          value: same ? p99 : Number.NaN,
          shown: `${micro(p99)} (batched p99 ${micro(quantile(batchMeans, 0.99))})${same ? "" : "; the cached token changed during the run"}`,
          target: { op: "<=", limit: 5000, shown: "≤ 5 µs" },
          noise: spread(roundP99),
          noiseShown: micro(spread(roundP99)),
        },
      ],
      notes: [
        `Cached getToken(): \`await source.getToken()\` on an sftpgo source (sandbox) holding a fresh 20-minute token; ${WARMUP_CALLS.toLocaleString("en-US")} warm-up calls, then ${ROUNDS} rounds × ${CALLS_PER_ROUND.toLocaleString("en-US")} calls, each timed on its own with process.hrtime.bigint() (a timer pair costs ${micro(timerNs)} here and is included, so the figures are upper bounds). Cross-check without per-call timer cost: ${BATCHES.toLocaleString("en-US")} batches of ${BATCH.toLocaleString("en-US")} calls, mean per call in each batch. Noise = spread of the per-round percentile.`,
      ],
    };
  } finally {
    await sandbox.close();
  }
}
