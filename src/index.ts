export { CorruptSessionError } from "./adapters/shared/session-codec";
export type { FindResult, IterableStore, Store } from "./store";
export { MemStore, type MemStoreOptions } from "./stores/mem/mem-store";
