/** Replaces secrets in text that may end up in an error message. */
export type Redactor = (text: string) => string;

export const REDACTED = "[redacted]";

// Vendor error pages can echo what they were sent; JWTs and auth headers are masked even when unknown.
const PATTERNS = /eyJ[\w-]*\.[\w-]+\.[\w-]*|\b(?:bearer|basic)\s+[\w~+/.=-]+/gi;

// The values each secret source (a credential given as a function) returned lately: a redactor given
// the function masks what it hands out, including values resolved after the redactor was built. Weak,
// so a dropped credential leaves nothing behind; a few per source, as a rotating secret keeps changing.
const resolved = new WeakMap<object, string[]>();
const REMEMBERED_PER_SOURCE = 8;

/** Records a value that a secret source returned, so every redactor built with that source masks it. */
export function rememberSecret(source: object, value: string): void {
  const values = resolved.get(source) ?? [];
  if (values.includes(value)) return;
  if (values.push(value) > REMEMBERED_PER_SOURCE) values.shift();
  resolved.set(source, values);
}

/**
 * Builds a redactor for the given secrets: strings, and secret sources (functions), whose values are
 * masked as they are resolved (see {@link rememberSecret}). Values shorter than 4 characters are too
 * ambiguous to mask.
 */
export function createRedactor(secrets: readonly unknown[]): Redactor {
  const known = secrets.filter((s): s is string => typeof s === "string" && s.length > 3);
  const sources = secrets.filter((s): s is object => typeof s === "function");
  return (text) => {
    for (const secret of known) text = text.split(secret).join(REDACTED);
    for (const source of sources) for (const secret of resolved.get(source) ?? []) if (secret.length > 3) text = text.split(secret).join(REDACTED);
    return text.replace(PATTERNS, REDACTED);
  };
}

/** The first characters of a body, on one line, for an error message. */
export function excerpt(text: string, redact: Redactor): string {
  const line = redact(text.replace(/\s+/g, " ").trim());
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
