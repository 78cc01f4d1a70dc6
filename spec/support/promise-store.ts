import type {
  FindResult,
  IterableStore,
  MemStore,
  OwnedSession,
  OwnerIndexedStore,
} from "../../src";
import type { StoreHarness } from "../stores/store-contract";
import { memStoreHarness } from "./fake-clock";

/** A MemStore whose every answer comes later, in a Promise, as a networked store's would. */
export class PromiseStore implements IterableStore, OwnerIndexedStore {
  constructor(private readonly inner: MemStore) {}

  async find(token: string): Promise<FindResult> {
    await Promise.resolve();
    return this.inner.find(token);
  }
  async save(token: string, data: Uint8Array, expiry: Date, owner?: string): Promise<void> {
    await Promise.resolve();
    await this.indexed.save(token, data, expiry, owner);
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
  async sessionsOf(owner: string): Promise<OwnedSession[]> {
    await Promise.resolve();
    return this.indexed.sessionsOf(owner);
  }
  async deleteSessionsOf(owner: string, exceptToken?: string): Promise<number> {
    await Promise.resolve();
    return this.indexed.deleteSessionsOf(owner, exceptToken);
  }

  private get indexed(): OwnerIndexedStore {
    return this.inner as unknown as OwnerIndexedStore;
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
