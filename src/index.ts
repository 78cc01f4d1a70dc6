export { CorruptSessionError } from "./adapters/session-codec";
export type { FindResult, IterableStore, Store } from "./store";
export { MemStore, type MemStoreOptions } from "./stores/mem-store";
