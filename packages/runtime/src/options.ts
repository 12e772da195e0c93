/** Names a value's kind for an error message without ever showing a (possibly secret) value. */
export function describeKind(value: unknown): string {
  return value === null ? "null" : typeof value;
}

/** Throws the TypeError every invalid option gets; `problem` says what it must be and what it was. */
export function failOption(packageName: string, option: string, problem: string): never {
  throw Object.assign(new TypeError(`${packageName}: option "${option}" ${problem}`), { code: "ERR_INVALID_OPTION", option });
}

/** Checks an optional option's kind; `kinds` lists the allowed ones, e.g. `"string or function"`. */
export function assertKind(packageName: string, option: string, value: unknown, kinds: string): void {
  if (value !== undefined && !kinds.split(" or ").includes(describeKind(value))) failOption(packageName, option, `must be ${/^[aeiou]/.test(kinds) ? "an" : "a"} ${kinds}; received ${describeKind(value)}`);
}

/** Checks an optional whole-number option within bounds. */
export function assertInteger(packageName: string, option: string, value: unknown, min: number, max: number): void {
  if (value !== undefined && !(Number.isInteger(value) && (value as number) >= min && (value as number) <= max)) {
    failOption(packageName, option, `must be an integer from ${min} to ${max}; received ${typeof value === "number" ? value : describeKind(value)}`);
  }
}

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\])$|\.localhost$/;

/** Checks a base URL: absolute http(s) without credentials, and http:// only for loopback unless allowed. */
export function assertBaseUrl(packageName: string, option: string, value: unknown, allowInsecureHttp: boolean | undefined): string {
  let url: URL | undefined;
  try {
    url = new URL(value as string);
  } catch {
    // Reported below, as any other value that is no http(s) URL.
  }
  // A URL's userinfo may hold a password; never echo it.
  const received = typeof value === "string" ? JSON.stringify(value.replace(/\/\/[^/]*@/, "//***@")) : describeKind(value);
  const problem =
    typeof value !== "string" || !/^https?:$/.test(url?.protocol ?? "")
      ? `must be an absolute http:// or https:// URL; received ${received}`
      : url!.username || url!.password
        ? "must not contain credentials (user:password@); pass them in `auth`"
        : url!.search || url!.hash
          ? `must not contain a query or fragment; received ${received}`
          : url!.protocol === "http:" && !allowInsecureHttp && !LOOPBACK.test(url!.hostname)
            ? `uses http:// for non-loopback host "${url!.hostname}"; use https:// or set allowInsecureHttp: true`
            : "";
  if (problem) failOption(packageName, option, problem);
  return value as string;
}
