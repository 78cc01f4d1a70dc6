/**
 * A binary heap of listings, each an item under a time (ms since the epoch), earliest first: how a
 * bounded {@link MemStore} finds what expires first, among its sessions and among the markers of
 * its deleted sessions. The times and the items are kept in two arrays, at the same index, so
 * that the comparisons read numbers laid out one after the other.
 *
 * A listing is never changed or removed in place: an item whose time moves is listed again, and
 * its older listing, like that of an item that is gone, is stale. The owner tells a stale listing
 * when one comes up, and {@link ExpiryHeap.rebuild} drops them all.
 */
export class ExpiryHeap<T> {
  private readonly times: number[] = [];
  private readonly items: T[] = [];

  /** How many listings it holds, stale ones included. */
  get size(): number {
    return this.times.length;
  }

  /** The earliest time listed; `Infinity` when empty. */
  get earliestMs(): number {
    return this.times.length > 0 ? (this.times[0] as number) : Number.POSITIVE_INFINITY;
  }

  /** Lists `item` under `ms`. */
  push(ms: number, item: T): void {
    const times = this.times;
    const items = this.items;
    // Sift up from the end: expiries mostly grow, so a new one mostly stays where it lands.
    let at = times.length;
    times.push(ms);
    items.push(item);
    while (at > 0) {
      const parent = (at - 1) >> 1;
      const parentMs = times[parent] as number;
      if (parentMs <= ms) break;
      times[at] = parentMs;
      items[at] = items[parent] as T;
      at = parent;
    }
    times[at] = ms;
    items[at] = item;
  }

  /** Takes the earliest listing off the heap, and answers its item. Only on a heap not empty. */
  pop(): T {
    const top = this.items[0] as T;
    const lastMs = this.times.pop() as number;
    const lastItem = this.items.pop() as T;
    if (this.times.length > 0) this.siftDown(0, lastMs, lastItem);
    return top;
  }

  /**
   * Keeps only the listings `keep` answers `true` for, and orders them again. It reads the arrays
   * in order, so that the processor can fetch many items at once: O(n).
   */
  rebuild(keep: (item: T, ms: number) => boolean): void {
    const times = this.times;
    const items = this.items;
    let kept = 0;
    for (let at = 0; at < times.length; at++) {
      const item = items[at] as T;
      const ms = times[at] as number;
      if (!keep(item, ms)) continue;
      times[kept] = ms;
      items[kept] = item;
      kept++;
    }
    times.length = kept;
    items.length = kept;
    for (let at = (kept >> 1) - 1; at >= 0; at--) {
      this.siftDown(at, times[at] as number, items[at] as T);
    }
  }

  /** Puts the listing (`ms`, `item`) at `at` or, to keep the heap in order, below it. */
  private siftDown(at: number, ms: number, item: T): void {
    const times = this.times;
    const items = this.items;
    const length = times.length;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= length) break;
      if (child + 1 < length && (times[child + 1] as number) < (times[child] as number)) child++;
      const childMs = times[child] as number;
      if (ms <= childMs) break;
      times[at] = childMs;
      items[at] = items[child] as T;
      at = child;
    }
    times[at] = ms;
    items[at] = item;
  }
}
