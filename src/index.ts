export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
export type {
  FindResult,
  IterableStore,
  OwnedSession,
  OwnerIndexedStore,
  Store,
} from "./store";
export { MemStore, type MemStoreOptions } from "./stores/mem/mem-store";
export { RedisOfflineError } from "./stores/redis/redis-offline-error";
export { RedisTimeoutError } from "./stores/redis/redis-timeout-error";
