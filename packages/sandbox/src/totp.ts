import { createHmac } from "node:crypto";

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored). */
export function decodeBase32(input: string): Buffer {
  const clean = input.replace(/[\s=]/g, "").toUpperCase();
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new TypeError("invalid base32 character in TOTP secret");
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** RFC 4226 HOTP value for `counter`, as a zero-padded string of `digits` digits (HMAC-SHA-1). */
export function computeHotp(key: Buffer, counter: number, digits = 6): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac("sha1", key).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** RFC 6238 TOTP (SHA-1, 30 s steps) for a base32 secret at `nowMs`. */
export function computeTotp(base32Secret: string, nowMs: number, digits = 6, stepSeconds = 30): string {
  return computeHotp(decodeBase32(base32Secret), Math.floor(nowMs / 1000 / stepSeconds), digits);
}

/** True when `code` is the TOTP of the current step or of one step either side (clock skew). */
export function verifyTotp(base32Secret: string, code: string, nowMs: number): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  const key = decodeBase32(base32Secret);
  const step = Math.floor(nowMs / 1000 / 30);
  return [step - 1, step, step + 1].some((counter) => counter >= 0 && computeHotp(key, counter) === code);
}
