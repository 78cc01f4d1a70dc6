import type NodeCache from "node-cache";

/** How often, at most, a full store walks every session to sweep out the expired ones. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * The `maxSessions` bound of a {@link MemStore}: evicts the least recently used session when a
 * new one needs room, after the expired ones. Kept beside the node-cache it bounds, only when a
 * bound is set, so a store without one pays nothing.
 *
 * Recency is a `Set` of node-cache keys in the order they were last used (saved, found or
 * touched), oldest first: a use moves a key to the end in O(1), and the oldest is the first. The
 * set follows node-cache's own `del` events (a delete, an expiry met on a read, the periodic
 * cleanup, an eviction), so it never holds the key of a session that is gone.
 */
export class SessionLimit {
  private readonly recency = new Set<string>();
  /** No stored session expires before this (ms since the epoch): a lower bound, never late. */
  private earliestExpiryMs = Number.POSITIVE_INFINITY;
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  /**
   * @param cache - The node-cache holding the sessions, empty.
   * @param maxSessions - The most sessions it may hold: an integer of 1 or more.
   */
  constructor(
    private readonly cache: NodeCache,
    private readonly maxSessions: number,
  ) {
    cache.on("del", (key: string) => this.recency.delete(key));
  }

  /** Records a use of the live session at `key`, which now expires at `expiryMs`. */
  used(key: string, expiryMs: number): void {
    this.recency.delete(key);
    this.recency.add(key);
    if (expiryMs < this.earliestExpiryMs) this.earliestExpiryMs = expiryMs;
  }

  /** Records a read of the live session at `key`, which leaves its expiry as it was. */
  read(key: string): void {
    this.recency.delete(key);
    this.recency.add(key);
  }

  /**
   * Makes room for a session about to be stored at `key`. Nothing happens when `key` holds a live
   * session (an update never evicts) or a place is free. Otherwise the expired sessions go first
   * (a walk over every session, at most once a second, skipped while none can have expired), then
   * the least recently used live ones until a place is free.
   */
  makeRoomFor(key: string, nowMs: number): void {
    // has() removes an expired session as it checks it, so an expired `key` counts as new.
    if (this.recency.size < this.maxSessions || this.cache.has(key)) return;
    if (nowMs - this.lastSweepMs >= SWEEP_INTERVAL_MS) {
      this.lastSweepMs = nowMs;
      if (nowMs >= this.earliestExpiryMs) this.sweep();
    }
    for (const oldest of this.recency) {
      if (this.recency.size < this.maxSessions) return;
      this.cache.del(oldest);
    }
  }

  /** Removes every expired session, and learns the earliest expiry of those left. */
  private sweep(): void {
    let earliestMs = Number.POSITIVE_INFINITY;
    for (const key of this.recency) {
      // getTtl() removes an expired session as it reads it. A live one holds `t`, half a
      // millisecond before its expiry: a bound a little early, never late.
      const t = this.cache.getTtl(key);
      if (t !== undefined && t < earliestMs) earliestMs = t;
    }
    this.earliestExpiryMs = earliestMs;
  }
}
