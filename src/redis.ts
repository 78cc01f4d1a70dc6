export { RedisStore, type RedisStoreClient, type RedisStoreOptions } from "./stores/redis-store";
