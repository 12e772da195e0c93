import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { VendorId } from "./types.js";

/**
 * Reads the OpenAPI document a vendor package was built from (`@tokenkit/<vendor>/openapi.json`),
 * resolved like any dependency so it works from the monorepo and from an npm install alike.
 */
export async function loadVendorSpec(vendor: VendorId): Promise<unknown> {
  const specifier = `@tokenkit/${vendor}/openapi.json`;
  let file: string;
  try {
    file = createRequire(import.meta.url).resolve(specifier);
  } catch (cause) {
    throw new Error(`cannot resolve ${specifier}; is @tokenkit/${vendor} installed and built?`, { cause });
  }
  return JSON.parse(await readFile(file, "utf8")) as unknown;
}
