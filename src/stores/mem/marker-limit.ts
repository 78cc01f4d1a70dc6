import { ExpiryHeap } from "./expiry-heap";
import { DELETED } from "./session-entry";
import type { ShardedCache } from "./sharded-cache";

/** How many more listings than markers the heap may hold before it is rebuilt. */
const HEAP_SLACK = 1_024;

/**
 * The bound on the markers a {@link MemStore} with `maxSessions` holds (see `MemStore.delete`):
 * at most as many as sessions. A marker stored past the bound removes the one that expires
 * first: every expired marker goes before any live one, then the live one whose session would
 * have expired soonest. So memory stays bounded whatever the rate of logouts, and whatever the
 * cleanup interval (with none, expired markers would otherwise stay for good).
 *
 * The markers are counted as node-cache stores and deletes them (its `del` events), and found
 * through a heap of their expiries, which never move: a listing is stale once its marker is gone
 * (or replaced by a later one), and the heap is rebuilt once it holds more than
 * `2 × markers + 1,024` listings.
 */
export class MarkerLimit {
  private count = 0;
  private readonly heap = new ExpiryHeap<string>();

  /**
   * @param cache - The node-cache holding the sessions and their markers, with none yet.
   * @param maxMarkers - The most markers it may hold: an integer of 1 or more.
   */
  constructor(
    private readonly cache: ShardedCache,
    private readonly maxMarkers: number,
  ) {
    cache.onDelete((_key, value) => {
      if (value === DELETED) this.count--;
    });
  }

  /** How many markers node-cache holds, expired ones not yet removed included. */
  get size(): number {
    return this.count;
  }

  /** How many listings the heap holds, stale ones included. */
  get listings(): number {
    return this.heap.size;
  }

  /**
   * Records the marker just stored under `key`, kept until `expiryMs`, then removes the markers
   * past the bound, those that expire first.
   */
  added(key: string, expiryMs: number): void {
    this.count++;
    if (this.heap.size >= 2 * this.count + HEAP_SLACK) {
      this.heap.rebuild((listed, ms) => this.holds(listed, ms));
    }
    this.heap.push(expiryMs, key);
    while (this.count > this.maxMarkers && this.heap.size > 0) {
      const listedMs = this.heap.earliestMs;
      const listed = this.heap.pop();
      if (this.holds(listed, listedMs)) this.cache.del(listed);
    }
  }

  /**
   * Whether the listing (`key`, `expiryMs`) is of the marker held under `key`, expired or not:
   * node-cache keeps a key until half a millisecond before its expiry.
   */
  private holds(key: string, expiryMs: number): boolean {
    if (this.cache.peek(key) !== DELETED) return false;
    const heldMs = this.cache.peekTtl(key);
    return heldMs !== undefined && Math.round(heldMs + 0.5) === expiryMs;
  }
}
