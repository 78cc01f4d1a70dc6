export { RedisStore, type RedisStoreClient, type RedisStoreOptions } from "./redis-store";
