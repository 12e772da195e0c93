import { deserializeToken, serializeToken, type Token, type TokenLease, type TokenStore } from "tokenkit";
import { createCipher } from "./cipher.js";
import { describeType, refuseOption } from "./options.js";

/**
 * What the store needs of a connected node-redis v5 client (`createClient`) or cluster
 * (`createCluster`), whatever its modules, scripts, RESP version or type mapping.
 */
export interface RedisConnection {
  /** Reads a key (GET). */
  get(key: string): Promise<unknown>;
  /** Writes a key only when absent, with a lifetime (SET NX PX). */
  set(key: string, value: string, options: { condition: "NX"; expiration: { type: "PX"; value: number } }): Promise<unknown>;
  /** Runs a Lua script (EVAL). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  /** Listens on a channel. */
  subscribe(channel: string, listener: () => void): Promise<void>;
  /** Stops listening on a channel. */
  unsubscribe(channel: string, listener?: () => void): Promise<void>;
  /** A second connection for notifications. */
  duplicate(): RedisSubscriber;
}

/** A duplicated connection, for notifications. */
export interface RedisSubscriber {
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Closes the connection. */
  close(): Promise<void>;
  /** Reports connection errors. */
  on(event: "error", listener: (error: unknown) => void): unknown;
  /** Listens on a channel. */
  subscribe(channel: string, listener: () => void): Promise<void>;
  /** Stops listening on a channel. */
  unsubscribe(channel: string, listener?: () => void): Promise<void>;
}

/** Options of {@link createRedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** A connected node-redis v5 client (`createClient`) or cluster (`createCluster`); the store never connects or closes it. */
  readonly client: RedisConnection;
  /** Prepended to every key and channel; default `"tokenkit:"`. */
  readonly keyPrefix?: string;
  /**
   * AES-256-GCM keys, 32 bytes each (a Uint8Array, or its base64): the first encrypts, all decrypt,
   * so a new key goes first and old ones stay until their entries expire. `false` stores tokens in
   * plaintext: anyone who can read the Redis keyspace (or its dumps, replicas, MONITOR) can use them.
   */
  readonly encryptionKeys: readonly (Uint8Array | string)[] | false;
}

/** A {@link TokenStore} on Redis; `close()` ends the store's own subscriber connection (never the caller's client). */
export interface RedisTokenStore extends TokenStore {
  /** Unsubscribes and closes the connection the store duplicated for notifications (if it made one). */
  close(): Promise<void>;
}

// The token is written, and the lease released, only by the lease's owner: checked and done in one
// step inside Redis, so a process whose lease lapsed can never overwrite a newer token.
const SET_UNDER_LEASE = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
redis.call('PUBLISH', ARGV[4], 'set')
return 1`;
const SET = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('PUBLISH', ARGV[3], 'set')
return 1`;
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const DELETE = `
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], 'delete')
return 1`;

const KEY = /^[\w.:-]{1,200}$/;

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  // A client with a Buffer type mapping.
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

/**
 * Creates a {@link TokenStore} on Redis for `createTokenSource(client, { store })`. Per credential (the
 * source's key: vendor and a SHA-256 of its secret-free identity) it keeps `<prefix>{<key>}:token`
 * (the serialised token, encrypted), `<prefix>{<key>}:lease` (a random owner, SET NX PX) and the
 * channel `<prefix>{<key>}:changed`; the {hash tag} keeps a credential's keys in one Cluster slot.
 * @example
 * const store = createRedisTokenStore({ client: redis, encryptionKeys: [process.env.TOKEN_KEY!] });
 * const source = createTokenSource(client, { store });
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): RedisTokenStore {
  if (typeof options !== "object" || options === null) refuseOption("options", `must be an object; received ${describeType(options)}`);
  const client: RedisConnection = options.client;
  if (typeof client !== "object" || client === null || typeof client.eval !== "function" || typeof client.get !== "function") {
    refuseOption("client", `must be a connected node-redis v5 client or cluster (createClient / createCluster from "redis"); received ${describeType(options.client)}`);
  }
  const prefix = options.keyPrefix ?? "tokenkit:";
  if (typeof prefix !== "string" || /[{}\s]/.test(prefix)) refuseOption("keyPrefix", `must be a string without braces or spaces; received ${describeType(prefix)}`);
  if (!("encryptionKeys" in options)) {
    refuseOption("encryptionKeys", "is required: an array of 32-byte AES-256 keys, or false to store tokens in plaintext (see the README)");
  }
  const cipher = createCipher(options.encryptionKeys);
  const cluster = "masters" in client;

  const names = (key: string) => {
    if (!KEY.test(key)) throw new TypeError("@tokenkit/redis: a store key must be letters, digits and . : _ - (the token source makes them)");
    const base = `${prefix}{${key}}`;
    return { token: `${base}:token`, lease: `${base}:lease`, channel: `${base}:changed` };
  };

  // Standalone: notifications need a connection of their own (a subscribed connection runs no other
  // commands), duplicated from the caller's client on first use. A Cluster keeps its own pub/sub connection.
  let subscriber: Promise<RedisConnection | RedisSubscriber> | undefined;
  let duplicated: RedisSubscriber | undefined;
  const readSubscriber = (): Promise<RedisConnection | RedisSubscriber> => {
    if (cluster) return Promise.resolve(client);
    return (subscriber ??= (async () => {
      const connection = (duplicated = client.duplicate());
      // node-redis reconnects by itself; an unheard 'error' event would crash the process.
      connection.on("error", () => {});
      await connection.connect();
      return connection;
    })().catch((error: unknown) => {
      subscriber = undefined;
      throw error;
    }));
  };
  const subscriptions = new Set<{ channel: string; listener: () => void }>();

  return {
    async get(key) {
      const { token } = names(key);
      const value = asText(await client.get(token));
      if (value === undefined) return undefined;
      const text = await cipher.open(value, token);
      if (text === undefined) return undefined;
      try {
        return deserializeToken(text);
      } catch {
        // Written by something else, or an older format: ignored, so the source issues anew.
        return undefined;
      }
    },
    async set(key, token: Token, { ttlMs, lease }) {
      const { token: name, lease: leaseName, channel } = names(key);
      const value = await cipher.seal(serializeToken(token), name);
      const ttl = String(Math.max(1, Math.ceil(ttlMs)));
      if (lease === undefined) {
        await client.eval(SET, { keys: [name], arguments: [value, ttl, channel] });
        return true;
      }
      if (lease.key !== key) return false;
      return Number(await client.eval(SET_UNDER_LEASE, { keys: [name, leaseName], arguments: [lease.owner, value, ttl, channel] })) === 1;
    },
    async delete(key) {
      const { token, channel } = names(key);
      await client.eval(DELETE, { keys: [token], arguments: [channel] });
    },
    async acquire(key, ttlMs) {
      const { lease } = names(key);
      const owner = globalThis.crypto.randomUUID();
      const ttl = Math.max(1, Math.ceil(ttlMs));
      const expiresAt = Date.now() + ttl;
      const reply = await client.set(lease, owner, { condition: "NX", expiration: { type: "PX", value: ttl } });
      return reply === null || reply === undefined ? undefined : (Object.freeze({ key, owner, expiresAt }) satisfies TokenLease);
    },
    async release(lease) {
      await client.eval(RELEASE, { keys: [names(lease.key).lease], arguments: [lease.owner] });
    },
    async subscribe(key, listener) {
      const { channel } = names(key);
      const connection = await readSubscriber();
      const entry = { channel, listener: () => listener() };
      await connection.subscribe(channel, entry.listener);
      subscriptions.add(entry);
      return () => {
        subscriptions.delete(entry);
        connection.unsubscribe(channel, entry.listener).catch(() => {});
      };
    },
    async close() {
      const entries = [...subscriptions];
      subscriptions.clear();
      if (cluster) {
        await Promise.all(entries.map(({ channel, listener }) => client.unsubscribe(channel, listener).catch(() => {})));
        return;
      }
      const connection = duplicated;
      subscriber = duplicated = undefined;
      if (connection) await connection.close().catch(() => {});
    },
  };
}
