export { createRedisTokenStore, type RedisConnection, type RedisSubscriber, type RedisTokenStore, type RedisTokenStoreOptions } from "./store.js";
