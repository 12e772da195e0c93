import { createHash, randomBytes, randomUUID } from "node:crypto";

/** A random URL-safe string carrying `bytes` bytes of entropy. */
export function createOpaqueToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** A random lowercase hex string of `length` characters. */
export function createHexId(length = 20): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}

/** A random RFC 4122 version 4 UUID. */
export function createUuid(): string {
  return randomUUID();
}

/** A short, stable, non-reversible digest of `input`, for ids derived from names. */
export function computeDigest(input: string, length = 32): string {
  return createHash("sha256").update(input).digest("base64url").slice(0, length);
}
