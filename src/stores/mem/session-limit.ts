import { ExpiryHeap } from "./expiry-heap";
import { type BoundedEntry, BYTES, KEY, LISTED_MS, NEWER, OLDER } from "./session-entry";
import type { ShardedCache } from "./sharded-cache";

/** How many more expiries than sessions the heap may hold before it is rebuilt from the order. */
const HEAP_SLACK = 1_024;

/**
 * The `maxSessions` bound of a {@link MemStore}: when a new session needs room, removes the expired
 * sessions first, then evicts the least recently used live one. Made only when a bound is set, so
 * a store without one pays nothing.
 *
 * The order of use is a doubly linked list through the entries node-cache holds as values, least
 * recently used first: a use (a save, a find, a touch) moves its entry to the end without any
 * lookup, and the one to evict is the first. The list follows node-cache's own `del` events (a
 * delete, an expiry met on a read, the periodic cleanup, an eviction), which hand over the entry,
 * so it never holds a session that is gone.
 *
 * The expired sessions are found through a binary heap of expiries, earliest first, which lists
 * each entry under an expiry no later than its own. A save or touch that moves an expiry later
 * leaves the heap alone (session expiries mostly move later, so most uses cost nothing here);
 * one that moves it earlier lists the entry again. When making room, each listing whose time has
 * come is taken off the heap: its session, if expired, is removed; if it is live (its expiry moved
 * later since), it is listed again at its expiry. So every expired session is removed, each
 * listing costing O(log n) once. Listings of sessions that are gone, and older
 * listings of an entry listed again, are dropped as they come up, and the heap is rebuilt from
 * the listings that count once it holds more than twice the sessions, so it never holds more
 * than `2 × size + 1,024` listings. A session that is gone gives up its bytes at once, so that a
 * stale listing keeps no more than the entry's few slots.
 */
export class SessionLimit {
  private oldest: BoundedEntry | undefined;
  private newest: BoundedEntry | undefined;
  private count = 0;
  /** Each entry listed under an expiry no later than its own. */
  private readonly heap = new ExpiryHeap<BoundedEntry>();

  /**
   * @param cache - The node-cache holding the sessions, empty; its values will be entries.
   * @param maxSessions - The most sessions it may hold: an integer of 1 or more.
   */
  constructor(
    private readonly cache: ShardedCache,
    private readonly maxSessions: number,
  ) {
    // A marker of a deleted session (a symbol) never was in the order. An entry gone drops its
    // bytes: the heap may list it until the listing comes up or the heap is rebuilt, and a
    // listing must not keep a session's bytes in memory after the session is gone.
    cache.onDelete((_key, entry) => {
      if (typeof entry !== "object") return;
      this.unlink(entry as BoundedEntry);
      (entry as BoundedEntry)[BYTES] = "";
    });
  }

  /** How many sessions the list holds: every one node-cache holds, expired or not. */
  get size(): number {
    return this.count;
  }

  /** How many listings the heap of expiries holds, stale ones included. */
  get listings(): number {
    return this.heap.size;
  }

  /** Whether a new session needs room made for it: see {@link SessionLimit.makeRoom}. */
  get full(): boolean {
    return this.count >= this.maxSessions;
  }

  /**
   * Records a use of `entry`, stored and live: it becomes the most recently used. With
   * `expiryMs`, the session's expiry has just been set to it.
   */
  used(entry: BoundedEntry, expiryMs?: number): void {
    if (expiryMs !== undefined) {
      const listedMs = entry[LISTED_MS];
      if (listedMs === undefined || expiryMs < listedMs) this.list(entry, expiryMs);
    }
    if (entry === this.newest) return;
    this.unlink(entry);
    entry[OLDER] = this.newest;
    if (this.newest === undefined) this.oldest = entry;
    else this.newest[NEWER] = entry;
    this.newest = entry;
    this.count++;
  }

  /**
   * Makes room for a new session. Nothing happens while a place is free. Otherwise every session
   * that has expired by `nowMs` is removed, then the least recently used live ones are evicted
   * until a place is free.
   */
  makeRoom(nowMs: number): void {
    if (!this.full) return;
    while (this.heap.earliestMs <= nowMs) {
      const listedMs = this.heap.earliestMs;
      const entry = this.heap.pop();
      // A listing of a session that is gone, or one the entry was listed again since, is stale.
      if (!this.linked(entry) || entry[LISTED_MS] !== listedMs) continue;
      // getTtl() removes an expired session as it reads it (its `del` unlinks the entry); a live
      // one holds `t`, half a millisecond before its expiry, which is later than this listing.
      const t = this.cache.getTtl(entry[KEY]);
      if (t !== undefined) this.list(entry, t + 0.5);
    }
    // Full, with maxSessions 1 or more, means the order holds an entry: there is an oldest.
    while (this.full) this.cache.del((this.oldest as BoundedEntry)[KEY]);
  }

  /** Whether `entry` is in the order of use: only the oldest entry has no older one. */
  private linked(entry: BoundedEntry): boolean {
    return entry[OLDER] !== undefined || entry === this.oldest;
  }

  /** Takes `entry` out of the order of use, if it is in it. */
  private unlink(entry: BoundedEntry): void {
    if (!this.linked(entry)) return;
    const older = entry[OLDER];
    const newer = entry[NEWER];
    if (older === undefined) this.oldest = newer;
    else older[NEWER] = newer;
    if (newer === undefined) this.newest = older;
    else newer[OLDER] = older;
    entry[OLDER] = undefined;
    entry[NEWER] = undefined;
    this.count--;
  }

  /** Lists `entry` in the heap under `expiryMs`, which becomes the listing that counts. */
  private list(entry: BoundedEntry, expiryMs: number): void {
    if (this.heap.size >= 2 * this.count + HEAP_SLACK) {
      // Only the listing that counts of each entry in the order: no stale one.
      this.heap.rebuild((listed, ms) => listed[LISTED_MS] === ms && this.linked(listed));
    }
    entry[LISTED_MS] = expiryMs;
    this.heap.push(expiryMs, entry);
  }
}
