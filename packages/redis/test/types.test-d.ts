import { createClient, createCluster } from "redis";
import type { TokenStore } from "tokenkit";
import { expectTypeOf, test } from "vitest";
import { createRedisTokenStore, type RedisTokenStore } from "../src/index.js";

test("takes a node-redis client or cluster, and is a TokenStore", () => {
  const client = createClient();
  const cluster = createCluster({ rootNodes: [] });
  expectTypeOf(createRedisTokenStore({ client, encryptionKeys: [new Uint8Array(32)] })).toEqualTypeOf<RedisTokenStore>();
  expectTypeOf(createRedisTokenStore({ client: cluster, encryptionKeys: ["base64…"], keyPrefix: "app:" })).toMatchTypeOf<TokenStore>();
  expectTypeOf(createRedisTokenStore({ client, encryptionKeys: false }).close).returns.resolves.toBeVoid();
  // @ts-expect-error: encryptionKeys is required; plaintext only by an explicit false
  createRedisTokenStore({ client });
  // @ts-expect-error: true is not a way to turn encryption on
  createRedisTokenStore({ client, encryptionKeys: true });
  // @ts-expect-error: not a node-redis client
  createRedisTokenStore({ client: {}, encryptionKeys: false });
});
