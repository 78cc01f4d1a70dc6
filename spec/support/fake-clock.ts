import { type Clock, install } from "@sinonjs/fake-timers";
import { MemStore, type MemStoreOptions } from "../../src";
import type { StoreHarness } from "../stores/store-contract";

/** The fixed instant every fake clock starts at: 2026-01-01T00:00:00Z. */
export const START_MS = Date.UTC(2026, 0, 1);

/**
 * Replaces `Date` and the timers with a fake clock at {@link START_MS}; with `dateOnly`, only
 * `Date`, so that real sockets and their timers keep working under it.
 */
export function installClock({ dateOnly = false } = {}): Clock {
  return install({ now: START_MS, ...(dateOnly ? { toFake: ["Date" as const] } : {}) });
}

/** A MemStore on a fake clock: edges are checked to the millisecond. */
export function memStoreHarness(
  cleanupIntervalMs = 60_000,
  options: MemStoreOptions = {},
  clockOptions: { dateOnly?: boolean } = {},
): StoreHarness<MemStore> & { clock: Clock } {
  const clock = installClock(clockOptions);
  let store: MemStore;
  try {
    store = new MemStore(cleanupIntervalMs, options);
  } catch (error) {
    clock.uninstall(); // or every later spec fails with "Can't install fake timers twice"
    throw error;
  }
  return {
    store,
    clock,
    toleranceMs: 0,
    advance: async (ms) => {
      clock.tick(ms);
    },
    close: () => {
      store.close();
      clock.uninstall();
    },
  };
}
