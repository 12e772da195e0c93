import { createHash, randomBytes } from "node:crypto";
import { link, mkdir, open, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import path from "node:path";
import { deserializeToken, serializeToken, type Token, type TokenLease, type TokenStore, type TokenStoreSetOptions } from "tokenkit";

/** Turns a token into text and back (tokenkit's `serializeToken`/`deserializeToken`). */
export interface TokenCodec {
  /** Turns a token into the text a cache file holds. */
  serialize(token: Token): string;
  /** Reads a token back from a cache file's text. */
  deserialize(text: string): Token;
}

/** Options of {@link createDiskTokenStore}. */
export interface DiskTokenStoreOptions {
  /** The cache directory; see {@link defaultCacheDir}. Created with mode 0700 when missing. */
  readonly dir: string;
  /** Default: tokenkit's serializeToken/deserializeToken. */
  readonly codec?: TokenCodec;
  /** Told about an entry that was ignored (corrupt, truncated, from another version). */
  readonly onWarning?: (message: string) => void;
  /** Clock in ms since the epoch; default `Date.now`. */
  readonly now?: () => number;
}

/** A {@link TokenStore} on disk that can also list and clear what it holds. */
export interface DiskTokenStore extends TokenStore {
  readonly dir: string;
  /** Creates the directory if needed and checks that no other user can read it (CacheRefusedError). */
  check(): Promise<void>;
  /** Removes every entry and lock; resolves to the number of tokens removed. */
  clear(): Promise<number>;
}

/** Thrown when the cache directory or a file in it could be read by another user: it is not used. */
export class CacheRefusedError extends Error {
  override readonly name = "CacheRefusedError";
}

/** `$XDG_CACHE_HOME/tokenkit`, by default `~/.cache/tokenkit`. */
export function defaultCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(homedir(), ".cache");
  return path.join(base, "tokenkit");
}

const FORMAT = 1;
const ENTRY = /^[\w-]+\.json$/;
const LOCK = /^[\w-]+\.lock$/;

interface Entry {
  readonly format: number;
  /** When the store drops the entry (ms since the epoch). */
  readonly expiresAt: number;
  /** The serialised token (tokenkit's versioned format). */
  readonly token: string;
}

interface LockFile {
  readonly owner: string;
  readonly expiresAt: number;
  readonly pid: number;
}

const isPosix = process.platform !== "win32";

function checkPrivate(what: string, file: string, mode: number, uid: number): void {
  if (!isPosix) return;
  const mine = process.getuid?.();
  if (mine !== undefined && uid !== mine) throw new CacheRefusedError(`the token cache ${what} ${file} belongs to another user (uid ${uid}); it is not used`);
  if ((mode & 0o077) !== 0) {
    const fix = what === "directory" ? `chmod 700 ${file}` : `rm ${file}`;
    throw new CacheRefusedError(`the token cache ${what} ${file} is open to other users (mode ${(mode & 0o777).toString(8).padStart(4, "0")}), so its tokens may have been read; it is not used. Run: ${fix}`);
  }
}

/**
 * A token store in a directory: one file per key (`<hash of key>.json`, mode 0600, written atomically
 * by rename), leases as `<hash>.lock` files created with O_EXCL (owner and expiry inside, so a dead
 * holder's lease lapses). Refuses a directory or file that another user owns or can read; ignores a
 * corrupt entry with a warning.
 */
export function createDiskTokenStore(options: DiskTokenStoreOptions): DiskTokenStore {
  const { dir } = options;
  const codec = options.codec ?? { serialize: serializeToken, deserialize: deserializeToken };
  const now = options.now ?? Date.now;
  const onWarning = options.onWarning ?? (() => {});
  // One warning per file and store: a source reads an entry more than once per call.
  const warned = new Set<string>();
  const warn = (file: string, message: string) => {
    if (warned.has(file)) return;
    warned.add(file);
    onWarning(message);
  };
  let ready: Promise<void> | undefined;

  const ensureDir = (): Promise<void> =>
    (ready ??= (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const info = await stat(dir);
      checkPrivate("directory", dir, info.mode, info.uid);
    })());

  // Keys are opaque to a store: hashed again into a file name that is safe on every file system.
  const fileOf = (key: string, extension: "json" | "lock"): string => path.join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 40)}.${extension}`);

  /** Writes `text` to `file` whole or not at all: a temporary file in the same directory, then rename. */
  const writeAtomic = async (file: string, text: string, beforeRename?: () => Promise<boolean>): Promise<boolean> => {
    const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(text, "utf8");
      await handle.sync();
    } catch (error) {
      await handle.close();
      await rm(temporary, { force: true });
      throw error;
    }
    await handle.close();
    // The lease is checked after the slow part (write and fsync), right before the rename: a file
    // system offers no compare-and-swap, so this keeps the window in which a lapsed holder could
    // still overwrite a newer token to two system calls.
    if (beforeRename && !(await beforeRename())) {
      await rm(temporary, { force: true });
      return false;
    }
    await rename(temporary, file);
    return true;
  };

  const readLock = async (file: string): Promise<LockFile | undefined> => {
    try {
      const lock = JSON.parse(await readFile(file, "utf8")) as LockFile;
      return typeof lock?.owner === "string" && typeof lock.expiresAt === "number" ? lock : { owner: "", expiresAt: 0, pid: 0 };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      // A lock file caught half-written, or garbage: treat it as lapsed.
      return { owner: "", expiresAt: 0, pid: 0 };
    }
  };

  const holds = async (lease: TokenLease): Promise<boolean> => {
    const lock = await readLock(fileOf(lease.key, "lock"));
    return lock?.owner === lease.owner && lock.expiresAt > now();
  };

  const store: DiskTokenStore = {
    dir,
    check: ensureDir,

    async get(key) {
      await ensureDir();
      const file = fileOf(key, "json");
      let text: string;
      try {
        const handle = await open(file, "r");
        try {
          const info = await handle.stat();
          checkPrivate("file", file, info.mode, info.uid);
          text = await handle.readFile("utf8");
        } finally {
          await handle.close();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
      let entry: Entry;
      let token: Token;
      try {
        entry = JSON.parse(text) as Entry;
        if (entry?.format !== FORMAT || typeof entry.expiresAt !== "number" || typeof entry.token !== "string") throw new Error("unknown entry format");
        token = codec.deserialize(entry.token);
      } catch (error) {
        // Never quote the file: it holds a token.
        warn(file, `ignoring the unreadable cache entry ${file} (${text.length === 0 ? "empty" : (error as Error).name === "SyntaxError" ? "corrupt or truncated" : "not a token of this version"}); a new token will replace it`);
        return undefined;
      }
      if (entry.expiresAt <= now()) return undefined;
      return token;
    },

    async set(key, token, setOptions: TokenStoreSetOptions) {
      await ensureDir();
      const { lease } = setOptions;
      if (lease && !(await holds(lease))) return false;
      const entry: Entry = { format: FORMAT, expiresAt: now() + Math.max(0, setOptions.ttlMs), token: codec.serialize(token) };
      return writeAtomic(fileOf(key, "json"), `${JSON.stringify(entry)}\n`, lease ? () => holds(lease) : undefined);
    },

    async delete(key) {
      await ensureDir();
      await rm(fileOf(key, "json"), { force: true });
    },

    async acquire(key, ttlMs) {
      await ensureDir();
      const file = fileOf(key, "lock");
      const lease: TokenLease = { key, owner: randomBytes(12).toString("hex"), expiresAt: now() + ttlMs };
      const body = JSON.stringify({ owner: lease.owner, expiresAt: lease.expiresAt, pid: process.pid } satisfies LockFile);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          // O_EXCL: of two processes creating the lock at once, exactly one succeeds.
          const handle = await open(file, "wx", 0o600);
          try {
            await handle.writeFile(body, "utf8");
          } finally {
            await handle.close();
          }
          return lease;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        }
        const held = await readLock(file);
        if (held && held.expiresAt > now()) return undefined;
        // The holder died or overran its lease. Take the lock file away by rename (atomic: one of several
        // stealers wins); if what we took turns out to be a fresh lock, put it back and stand aside.
        const taken = `${file}.${randomBytes(6).toString("hex")}.stale`;
        try {
          await rename(file, taken);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
          throw error;
        }
        const lock = await readLock(taken);
        if (lock && lock.expiresAt > now()) {
          await link(taken, file).catch(() => {});
          await unlink(taken).catch(() => {});
          return undefined;
        }
        await unlink(taken).catch(() => {});
      }
      return undefined;
    },

    async release(lease) {
      const file = fileOf(lease.key, "lock");
      const lock = await readLock(file);
      if (lock?.owner === lease.owner) await unlink(file).catch(() => {});
    },

    async clear() {
      await ensureDir();
      let removed = 0;
      for (const name of await readdir(dir)) {
        if (ENTRY.test(name)) removed++;
        if (ENTRY.test(name) || LOCK.test(name) || /\.(?:tmp|stale)$/.test(name)) await rm(path.join(dir, name), { force: true });
      }
      return removed;
    },
  };
  return store;
}

/**
 * A view of `store` in which every key is `key`. The CLI names a credential's entry itself (so that
 * issue, renew, revoke and introspect find the token without a token source); a source given this
 * view, one per credential and process, shares that same entry.
 */
export function bindStoreKey(store: TokenStore, key: string): TokenStore {
  return {
    get: () => store.get(key),
    set: (_key, token, options) => store.set(key, token, options),
    delete: () => store.delete(key),
    acquire: (_key, ttlMs) => store.acquire(key, ttlMs),
    release: (lease) => store.release(lease),
  };
}
