import { type BoundedEntry, KEY, NEWER, OLDER } from "./session-entry";
import type { ShardedCache } from "./sharded-cache";

/** How often, at most, a full store walks every session to sweep out the expired ones. */
const SWEEP_INTERVAL_MS = 1_000;

/**
 * The `maxSessions` bound of a {@link MemStore}: evicts the least recently used session when a
 * new one needs room, after the expired ones. Made only when a bound is set, so a store without
 * one pays nothing.
 *
 * The order of use is a doubly linked list through the entries node-cache holds as values, least
 * recently used first: a use (a save, a find, a touch) moves its entry to the end without any
 * lookup, and the one to evict is the first. The list follows node-cache's own `del` events (a
 * delete, an expiry met on a read, the periodic cleanup, an eviction), which hand over the entry,
 * so it never holds a session that is gone.
 */
export class SessionLimit {
  private oldest: BoundedEntry | undefined;
  private newest: BoundedEntry | undefined;
  private count = 0;
  /** No stored session expires before this (ms since the epoch): a lower bound, never late. */
  private earliestExpiryMs = Number.POSITIVE_INFINITY;
  private lastSweepMs = Number.NEGATIVE_INFINITY;

  /**
   * @param cache - The node-cache holding the sessions, empty; its values will be entries.
   * @param maxSessions - The most sessions it may hold: an integer of 1 or more.
   */
  constructor(
    private readonly cache: ShardedCache,
    private readonly maxSessions: number,
  ) {
    // A marker of a deleted session (a symbol) never was in the order.
    cache.onDelete((_key, entry) => {
      if (typeof entry === "object") this.unlink(entry as BoundedEntry);
    });
  }

  /** How many sessions the list holds: every one node-cache holds, expired or not. */
  get size(): number {
    return this.count;
  }

  /** Whether a new session needs room made for it: see {@link SessionLimit.makeRoom}. */
  get full(): boolean {
    return this.count >= this.maxSessions;
  }

  /**
   * Records a use of `entry`, stored and live: it becomes the most recently used. With
   * `expiryMs`, the session's expiry has just been set to it.
   */
  used(entry: BoundedEntry, expiryMs = Number.POSITIVE_INFINITY): void {
    this.earliestExpiryMs = Math.min(this.earliestExpiryMs, expiryMs);
    if (entry === this.newest) return;
    this.unlink(entry);
    entry[OLDER] = this.newest;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest[NEWER] = entry;
    this.newest = entry;
    this.count++;
  }

  /**
   * Makes room for a new session. Nothing happens while a place is free. Otherwise the expired
   * sessions go first (a walk over every session, at most once a second, and only once a session
   * may have expired: one whose expiry, as set since the last walk, has come), then the least
   * recently used live ones until a place is free.
   */
  makeRoom(nowMs: number): void {
    if (!this.full) return;
    // A sweep skipped because no session can have expired leaves the second's sweep unused.
    if (nowMs >= this.earliestExpiryMs && nowMs - this.lastSweepMs >= SWEEP_INTERVAL_MS) {
      this.lastSweepMs = nowMs;
      this.sweep();
    }
    // Full, with maxSessions 1 or more, means the order holds an entry: there is an oldest.
    while (this.full) this.cache.del((this.oldest as BoundedEntry)[KEY]);
  }

  /** Takes `entry` out of the order of use, if it is in it. */
  private unlink(entry: BoundedEntry): void {
    const older = entry[OLDER];
    const newer = entry[NEWER];
    // Only the oldest entry of the order has no older one: any other such entry is not in it.
    if (older === undefined && entry !== this.oldest) return;
    if (older === undefined) this.oldest = newer;
    else older[NEWER] = newer;
    if (newer === undefined) this.newest = older;
    else newer[OLDER] = older;
    entry[OLDER] = undefined;
    entry[NEWER] = undefined;
    this.count--;
  }

  /** Removes every expired session, and learns the earliest expiry of those left. */
  private sweep(): void {
    let earliestMs = Number.POSITIVE_INFINITY;
    for (let entry = this.oldest; entry !== undefined; ) {
      const next = entry[NEWER];
      // getTtl() removes an expired session as it reads it. A live one holds `t`, half a
      // millisecond before its expiry: a bound a little early, never late.
      const t = this.cache.getTtl(entry[KEY]);
      if (t !== undefined && t < earliestMs) earliestMs = t;
      entry = next;
    }
    this.earliestExpiryMs = earliestMs;
  }
}
