/** Throws what the vendor packages throw for a bad option: a TypeError with code ERR_INVALID_OPTION. */
export function refuseOption(option: string, problem: string): never {
  throw Object.assign(new TypeError(`@tokenkit/redis: option "${option}" ${problem}`), { code: "ERR_INVALID_OPTION", option });
}

/** Describes a received value by type only (an option may hold a key or a client with credentials). */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  return typeof value === "string" ? (value ? "a string" : "an empty string") : typeof value;
}
