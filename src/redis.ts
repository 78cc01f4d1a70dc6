export type {
  IoRedisClient,
  IoRedisCluster,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  NodeRedisSentinel,
  RedisStoreClient,
} from "./stores/redis/client-types";
export { RedisOfflineError } from "./stores/redis/redis-offline-error";
export { RedisStore, type RedisStoreOptions } from "./stores/redis/redis-store";
export { RedisTimeoutError } from "./stores/redis/redis-timeout-error";
