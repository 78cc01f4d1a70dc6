import { type Clock, install } from "@sinonjs/fake-timers";
import { MemStore, type MemStoreOptions } from "../src";
import type { StoreHarness } from "./contract";

/** The fixed instant every fake clock starts at: 2026-01-01T00:00:00Z. */
export const START_MS = Date.UTC(2026, 0, 1);

/** Replaces `Date` and the timers with a fake clock at {@link START_MS}. */
export function installClock(): Clock {
  return install({ now: START_MS });
}

/** A MemStore on a fake clock: edges are checked to the millisecond. */
export function memStoreHarness(
  cleanupIntervalMs = 60_000,
  options: MemStoreOptions = {},
): StoreHarness<MemStore> & { clock: Clock } {
  const clock = installClock();
  const store = new MemStore(cleanupIntervalMs, options);
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
