/** Replaces secrets in text that may end up in an error message. */
export type Redactor = (text: string) => string;

export const REDACTED = "[redacted]";

// Vendor error pages can echo what they were sent; JWTs and auth headers are masked even when unknown.
const PATTERNS = /eyJ[\w-]*\.[\w-]+\.[\w-]*|\b(?:bearer|basic)\s+[\w~+/.=-]+/gi;

/** Builds a redactor for the given secrets (values shorter than 4 characters are too ambiguous to mask). */
export function createRedactor(secrets: readonly unknown[]): Redactor {
  const known = secrets.filter((s): s is string => typeof s === "string" && s.length > 3);
  return (text) => {
    for (const secret of known) text = text.split(secret).join(REDACTED);
    return text.replace(PATTERNS, REDACTED);
  };
}

/** The first characters of a body, on one line, for an error message. */
export function excerpt(text: string, redact: Redactor): string {
  const line = redact(text.replace(/\s+/g, " ").trim());
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
