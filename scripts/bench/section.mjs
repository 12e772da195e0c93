// Runs one benchmark section in its own process (a fresh heap and JIT for every measurement) and
// sends its result to the parent over IPC.
const SECTIONS = new Set(["single-flight", "cached-token", "round-trip", "bundle-size", "regenerate", "incremental-build", "runtimes", "fleet", "vendor-round-trip", "cold-import", "hot-path"]);

const name = process.argv[2];
const send = (message) => new Promise((resolve) => process.send(message, resolve));
try {
  if (!SECTIONS.has(name)) throw new Error(`unknown benchmark section "${name}"`);
  const { run } = await import(`./${name}.mjs`);
  await send({ ok: true, result: await run() });
} catch (error) {
  await send({ ok: false, error: String(error?.stack ?? error) });
}
process.exit(0);
