// §4 Bundle size: esbuild (JS API), browser platform, minified ESM, gzip level 9, for the committed
// entries in bench/entries/ (the same files .size-limit.json enforces), beside openid-client and
// oauth4webapi making one client-credentials grant. Reported, never judged: the ratchet is size-limit's.
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build } from "esbuild";
import { REPO_ROOT, VENDORS } from "./workspace.mjs";

const ENTRY_DIR = path.join(REPO_ROOT, "bench", "entries");
// Bundle (c) in round 1 of issue 11, when every vendor package carried its own copy of the runtime.
const FIVE_COPIES = { minified: 42_000, gzip: 12_050 };
// The baseline every generated vendor package starts from: openapi-fetch with one auth middleware.
const OPENAPI_FETCH_ENTRY = `import createClient from "openapi-fetch";
const client = createClient({ baseUrl: "https://api.example.com" });
client.use({ onRequest: ({ request }) => (request.headers.set("Authorization", "Bearer token"), request) });
client.GET("/token").then(({ data }) => console.log(data));`;

const kB = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;

async function measure(entry) {
  const result = await build({
    ...(entry.contents ? { stdin: { contents: entry.contents, resolveDir: REPO_ROOT, loader: "js" } } : { entryPoints: [entry.file] }),
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
    .map(([file, { bytesInOutput }]) => ({ file: file.replace(/^node_modules\//, ""), bytes: bytesInOutput }))
    .filter(({ bytes }) => bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

/** size-limit's own figures for the same entries, by entry path, or undefined if it cannot run. */
function readSizeLimit() {
  const run = spawnSync("npx", ["--no-install", "size-limit", "--json"], { cwd: REPO_ROOT, encoding: "utf8" });
  try {
    const results = JSON.parse(run.stdout);
    return new Map(results.map((result) => [result.name, result.size]));
  } catch {
    return undefined;
  }
}

/** Runs the section; returns its rows, method notes and the composition of each bundle. */
export async function run() {
  const baseline = await measure({ contents: OPENAPI_FETCH_ENTRY });
  const entries = [
    ...VENDORS.map((vendor) => ({ label: `(a) @tokenkit/${vendor} + one call`, name: `vendor-${vendor}` })),
    ...VENDORS.map((vendor) => ({ label: `(b) tokenkit/${vendor} + one issue()`, name: `facade-${vendor}` })),
    { label: "(c) tokenkit (all five vendors) + one issue() each", name: "facade-all" },
    { label: "openid-client 6 + one client-credentials grant", name: "openid-client" },
    { label: "oauth4webapi 3 + one client-credentials grant", name: "oauth4webapi" },
  ];
  const sizeLimit = readSizeLimit();
  const rows = [];
  const vendorGzip = new Map();
  const composition = ["| entry | min | gzip | size-limit (gzip) | largest inputs (minified bytes) |", "|---|---|---|---|---|"];
  for (const entry of entries) {
    const file = path.join(ENTRY_DIR, `${entry.name}.js`);
    let measured;
    try {
      measured = await measure({ file });
    } catch (error) {
      // An entry that no longer bundles (e.g. a package not built) is a miss, not a crash.
      const reason = error?.errors?.[0]?.text ?? String(error?.message ?? error).split("\n")[0];
      rows.push({ measure: `bundle ${entry.label}, min+gzip`, value: Number.NaN, shown: `failed: ${reason}`, target: { op: "<=", limit: Infinity, shown: "bundles" }, noise: 0 });
      continue;
    }
    const { minified, gzip, inputs } = measured;
    vendorGzip.set(entry.name, gzip);
    const alone = vendorGzip.get(entry.name.replace(/^facade-/, "vendor-"));
    rows.push({
      measure: `bundle ${entry.label}, min+gzip`,
      value: gzip,
      shown: `${kB(gzip)} (${kB(minified)} min)`,
      noise: 0,
      baseline: entry.name.startsWith("vendor-")
        ? `openapi-fetch + 1 middleware: ${kB(baseline.gzip)}`
        : entry.name === "facade-all"
          ? `round 1 of issue 11 (five runtime copies): ${kB(FIVE_COPIES.gzip)} (${kB(FIVE_COPIES.minified)} min); five one-vendor subpath bundles: ${kB(VENDORS.reduce((sum, vendor) => sum + vendorGzip.get(`facade-${vendor}`), 0))}`
          : entry.name.startsWith("facade-")
            ? `@tokenkit/${entry.name.slice("facade-".length)} alone: ${kB(alone)} (facade adds ${kB(gzip - alone)})`
            : `tokenkit/genesys + one issue(): ${kB(vendorGzip.get("facade-genesys"))}, tokenkit/authapi: ${kB(vendorGzip.get("facade-authapi"))}`,
    });
    const limited = sizeLimit?.get(`bench/entries/${entry.name}.js`);
    const top = inputs.slice(0, 4).map(({ file, bytes }) => `${file} ${bytes.toLocaleString("en-US")}`).join(", ");
    composition.push(`| bench/entries/${entry.name}.js | ${kB(minified)} | ${kB(gzip)} | ${limited === undefined ? "–" : kB(limited)} | ${top} |`);
  }
  return {
    rows,
    notes: [
      `Bundle size: esbuild ${(await import("esbuild")).version} JS API, \`bundle: true, minify: true, format: "esm", platform: "browser"\`, gzip level 9, of the committed entries in bench/entries/ (each imports the package and makes one call; bench/entries/openid-client.js and oauth4webapi.js make one client-credentials grant with client_secret_post, the grant tokenkit's Genesys and AuthAPI issue() make). kB = 1000 bytes. No target: sizes are reported, not judged; the tokenkit entries are held by .size-limit.json as a ratchet (run by \`npm test\` and \`npm run check:size\`; a bundle may only shrink, or grow with a line in the README saying what for); size-limit wraps them in an IIFE and subtracts its empty-project size, so its figures differ by a few bytes.`,
    ],
    details: [{ title: "Bundle composition", body: composition.join("\n") }],
  };
}
