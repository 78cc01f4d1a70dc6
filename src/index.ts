export { MemStore, type MemStoreOptions } from "./mem-store";
export type { FindResult, IterableStore, Store } from "./store";
export { StoreFullError } from "./store-full-error";
