export type {
  IoRedisClient,
  IoRedisCluster,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  RedisStoreClient,
} from "./stores/redis-client";
export { RedisOfflineError } from "./stores/redis-offline-error";
export { RedisStore, type RedisStoreOptions } from "./stores/redis-store";
