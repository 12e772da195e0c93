import { describeType, refuseOption } from "./options.js";

/** What a stored value is wrapped in: AES-256-GCM under the first key, or plaintext when keys are off. */
export interface ValueCipher {
  /** Wraps serialised token text for storage under `name` (the Redis key, bound in as associated data). */
  seal(text: string, name: string): Promise<string>;
  /** Unwraps a stored value, or undefined when no key opens it (wrong key, tampered, or another format). */
  open(value: string, name: string): Promise<string | undefined>;
}

// `tk1.<key id>.<iv>.<ciphertext+tag>`, base64url; the key id is a hash prefix that only picks the key.
const SEALED = /^tk1\.([0-9a-f]{16})\.([\w-]{16})\.([\w-]+)$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** Reads one key option: 32 raw bytes, or their base64 (standard or url-safe). */
function readKeyBytes(key: unknown, index: number): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (key instanceof Uint8Array) bytes = new Uint8Array(key);
  else if (typeof key === "string" && /^[A-Za-z0-9+/_-]{43}=?$/.test(key)) bytes = fromBase64Url(key.replace(/=$/, ""));
  if (bytes?.byteLength !== 32) {
    refuseOption(`encryptionKeys[${index}]`, `must be a 32-byte AES-256 key (a Uint8Array, or its base64); received ${describeType(key)}`);
  }
  return bytes;
}

interface SealingKey {
  /** First 8 bytes of the key's SHA-256, hex: names the key in a value without revealing it. */
  readonly id: Promise<string>;
  readonly key: Promise<CryptoKey>;
}

/**
 * AES-256-GCM through WebCrypto: the first key seals, every key opens (rotation: put the new key
 * first, keep the old ones until their entries have expired). A fresh 96-bit IV per value.
 */
export function createCipher(encryptionKeys: unknown): ValueCipher {
  if (encryptionKeys === false) return { seal: async (text) => text, open: async (value) => (value.startsWith("{") ? value : undefined) };
  if (!Array.isArray(encryptionKeys) || encryptionKeys.length === 0) {
    refuseOption("encryptionKeys", `must be a non-empty array of 32-byte keys, or false to store tokens in plaintext; received ${describeType(encryptionKeys)}`);
  }
  const subtle = globalThis.crypto.subtle;
  const keys: SealingKey[] = encryptionKeys.map((option: unknown, index) => {
    const bytes = readKeyBytes(option, index);
    return {
      id: subtle.digest("SHA-256", bytes).then((digest) => Array.from(new Uint8Array(digest).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("")),
      key: subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]),
    };
  });
  let ids: Promise<string[]> | undefined;
  const readIds = () => (ids ??= Promise.all(keys.map((key) => key.id)));
  return {
    async seal(text, name) {
      const [id] = await readIds();
      const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
      const sealed = await subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(name) }, await keys[0]!.key, encoder.encode(text));
      return `tk1.${id}.${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`;
    },
    async open(value, name) {
      const match = SEALED.exec(value);
      if (!match) return undefined;
      const index = (await readIds()).indexOf(match[1]!);
      if (index < 0) return undefined;
      try {
        const plain = await subtle.decrypt({ name: "AES-GCM", iv: fromBase64Url(match[2]!), additionalData: encoder.encode(name) }, await keys[index]!.key, fromBase64Url(match[3]!));
        return decoder.decode(plain);
      } catch {
        // Tampered, truncated, or sealed for another key name: unreadable, never a crash.
        return undefined;
      }
    },
  };
}
