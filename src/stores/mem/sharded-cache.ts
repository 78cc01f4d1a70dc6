import NodeCache from "node-cache";

/** The most node-cache instances one cache is spread over. */
const MAX_SHARDS = 128;
/** The least time between two cleanup passes of one cache, in milliseconds. */
const MIN_PASS_GAP_MS = 250;

/**
 * How many node-cache instances a cache with this cleanup interval is spread over: one pass every
 * `MIN_PASS_GAP_MS` at most, and at most `MAX_SHARDS` (from an interval of 32 s on, so that at
 * the default five minutes a pass walks a 128th of the sessions). An interval under 500 ms, or
 * none, keeps a single instance.
 */
export function shardCount(cleanupIntervalMs: number): number {
  return Math.min(MAX_SHARDS, Math.max(1, Math.floor(cleanupIntervalMs / MIN_PASS_GAP_MS)));
}

/**
 * Which shard a key lives in, of `count`: from the key's length and its last four characters,
 * where random tokens and counters alike differ. A poor spread costs only a longer pass.
 */
export function shardIndex(key: string, count: number): number {
  const n = key.length;
  const hash =
    (n * 31 +
      key.charCodeAt(n - 1) * 7 +
      (n > 1 ? key.charCodeAt(n - 2) * 131 : 0) +
      (n > 2 ? key.charCodeAt(n - 3) * 1_031 : 0) +
      (n > 3 ? key.charCodeAt(n - 4) * 8_191 : 0)) >>>
    0;
  return hash % count;
}

/**
 * The node-cache methods a store uses, over several node-cache instances (shards), each key in
 * one of them. Cleanup stays node-cache's own `checkperiod` pass, one per shard; the shards' first
 * passes are spread evenly over the interval (shard `i` of `n` at `(i + 1) / n` of it, the last
 * at the interval itself), so that a pass walks one shard's sessions, not every session, and an
 * expired session still leaves memory within one interval.
 */
export class ShardedCache {
  private readonly shards: NodeCache[];
  private readonly starts: NodeJS.Timeout[] = [];

  /**
   * @param cleanupIntervalMs - How often each shard checks its keys; 0 for never.
   */
  constructor(cleanupIntervalMs: number) {
    const count = shardCount(cleanupIntervalMs);
    // Values are immutable strings (or the store's own entries): node-cache's clone would only
    // cost time (and it corrupts plain Uint8Arrays).
    const options = { checkperiod: cleanupIntervalMs / 1_000, useClones: false };
    this.shards = Array.from({ length: count }, () => new NodeCache(options));
    if (count === 1) return;
    this.shards.forEach((shard, i) => {
      // node-cache starts its period when it is made; shard i starts its own later instead, by
      // running its check (which then rearms itself every period) at its place in the interval.
      shard.close();
      const start = setTimeout(
        () => (shard as unknown as { _checkData(): void })._checkData(),
        Math.round((cleanupIntervalMs * (i + 1)) / count),
      );
      start.unref();
      this.starts.push(start);
    });
  }

  private shardOf(key: string): NodeCache {
    const shards = this.shards;
    return shards.length === 1
      ? (shards[0] as NodeCache)
      : (shards[shardIndex(key, shards.length)] as NodeCache);
  }

  get<T>(key: string): T | undefined {
    return this.shardOf(key).get<T>(key);
  }

  /**
   * Whether a live entry is held under `key` (an expired one met is removed). An empty shard
   * answers without a lookup.
   */
  has(key: string): boolean {
    const shard = this.shardOf(key);
    return shard.getStats().keys !== 0 && shard.has(key);
  }

  set(key: string, value: unknown, ttlS: number): boolean {
    return this.shardOf(key).set(key, value, ttlS);
  }

  del(key: string): number {
    return this.shardOf(key).del(key);
  }

  ttl(key: string, ttlS: number): boolean {
    return this.shardOf(key).ttl(key, ttlS);
  }

  getTtl(key: string): number | undefined {
    return this.shardOf(key).getTtl(key);
  }

  /** Every key held, expired ones included. */
  keys(): string[] {
    return this.shards.length === 1
      ? (this.shards[0] as NodeCache).keys()
      : this.shards.flatMap((shard) => shard.keys());
  }

  /** How many keys are held, expired ones included. */
  get size(): number {
    let size = 0;
    for (const shard of this.shards) size += shard.getStats().keys;
    return size;
  }

  /** Whether no key is held: answered without a walk. */
  get empty(): boolean {
    for (const shard of this.shards) if (shard.getStats().keys !== 0) return false;
    return true;
  }

  /** Calls `listener` with each key node-cache deletes (a del, an expiry) and its value. */
  onDelete(listener: (key: string, value: unknown) => void): void {
    for (const shard of this.shards) shard.on("del", listener);
  }

  /** How many delete listeners there are. */
  get deleteListeners(): number {
    return (this.shards[0] as NodeCache).listenerCount("del");
  }

  /** Stops every shard's cleanup. */
  close(): void {
    for (const start of this.starts) clearTimeout(start);
    for (const shard of this.shards) shard.close();
  }
}
