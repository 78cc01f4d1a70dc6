import type { FindResult, IterableStore, MemStore } from "../../src";
import type { StoreHarness } from "../stores/store-contract";
import { memStoreHarness } from "./fake-clock";

/** A MemStore whose every answer comes later, in a Promise, as a networked store's would. */
export class PromiseStore implements IterableStore {
  constructor(private readonly inner: MemStore) {}

  async find(token: string): Promise<FindResult> {
    await Promise.resolve();
    return this.inner.find(token);
  }
  async save(token: string, data: Uint8Array, expiry: Date): Promise<void> {
    await Promise.resolve();
    this.inner.save(token, data, expiry);
  }
  async delete(token: string): Promise<void> {
    await Promise.resolve();
    this.inner.delete(token);
  }
  async touch(token: string, expiry: Date): Promise<boolean> {
    await Promise.resolve();
    return this.inner.touch(token, expiry);
  }
  async all(): Promise<Map<string, Uint8Array>> {
    await Promise.resolve();
    return this.inner.all();
  }
}

/** A MemStore behind Promises, on a fake `Date` (real sockets and their timers keep working). */
export function promiseMemStoreHarness(): StoreHarness<PromiseStore> {
  const harness = memStoreHarness(0, {}, { dateOnly: true });
  return { ...harness, store: new PromiseStore(harness.store) };
}

/** Calls a callback-style method and resolves with what its callback got. */
export function settle<T>(call: (callback: (error: unknown, value?: T) => void) => void) {
  return new Promise<{ error: unknown; value: T | undefined }>((resolve) =>
    call((error, value) => resolve({ error, value })),
  );
}
