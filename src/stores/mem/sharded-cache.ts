import NodeCache from "node-cache";

/**
 * The most node-cache instances one cache is spread over. Every operation is the slower the more
 * there are (with 128, each ran at 0.81-0.86× the throughput of one instance; with 32, at
 * 0.87-0.96×; with 16, at 0.90-0.97×), and each pass the longer the fewer: with 32, the longest
 * pass over a 32nd of a million sessions took 34 ms on one day and 108 ms on another, this
 * machine's slow days running every pass at about twice the time. 64 keeps the longest pass
 * well under 100 ms at a million sessions on those days too.
 */
const MAX_SHARDS = 64;
/** The least time between two cleanup passes of one cache, in milliseconds. */
const MIN_PASS_GAP_MS = 250;

/**
 * How many node-cache instances a cache with this cleanup interval is spread over: one pass every
 * `MIN_PASS_GAP_MS` at most, and at most `MAX_SHARDS` (from an interval of 16 s on, so that at
 * the default five minutes a pass walks a 64th of the sessions). An interval under 500 ms, or
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
 * Points `shard`'s own bound copies of node-cache's methods back at the methods they were bound
 * from, which every instance then shares. node-cache binds each method to its instance in its
 * constructor, so a call site that meets several instances meets as many functions and V8 inlines
 * none of them; with the shared methods, a call on the instance gives the same `this`.
 * `_checkData` stays bound: node-cache hands it to `setTimeout`.
 */
function shareMethods(shard: NodeCache): void {
  const own = shard as unknown as Record<string, unknown>;
  const methods = NodeCache.prototype as unknown as Record<string, unknown>;
  // The instance's own functions are its bound methods; its data are no method's names.
  for (const name of Object.keys(own)) {
    if (name !== "_checkData" && typeof methods[name] === "function") own[name] = methods[name];
  }
}

/**
 * Gives `shard` the stats, options and valid key types of `first`, node-cache's objects that every
 * operation reads: one copy of each stays in the processor's cache where one per shard would not
 * (a few percent on each operation, measured with 128 shards). The stats then count the keys of
 * every shard (node-cache's `maxKeys`, the only setting that reads them, is off).
 */
function shareState(shard: NodeCache, first: NodeCache): void {
  shard.stats = first.stats;
  shard.options = first.options;
  type KeyTypes = { validKeyTypes: string[] };
  (shard as unknown as KeyTypes).validKeyTypes = (first as unknown as KeyTypes).validKeyTypes;
}

/**
 * The node-cache methods a store uses, over several node-cache instances (shards), each key in
 * one of them. Cleanup stays node-cache's own `checkperiod` pass, one per shard; the shards'
 * passes are spread evenly over the interval (shard `i` of `n` at `(i + 1) / n` of it, the last
 * at the interval itself, then every interval), so that a pass walks one shard's sessions, not
 * every session, and an expired session still leaves memory within one interval.
 *
 * A shard is made when the first key that belongs in it is set, so that a store holding a few
 * sessions does not pay for every instance and its timer; one that is made late takes its first
 * pass at its next place in the interval. A single shard is made at once, and runs node-cache's
 * own timer from then on.
 */
export class ShardedCache {
  /** The shards, `undefined` until a key is set in one. */
  private readonly shards: (NodeCache | undefined)[];
  private readonly starts: NodeJS.Timeout[] = [];
  private readonly listeners: ((key: string, value: unknown) => void)[] = [];
  /** The first shard made, whose stats and options every other shard shares: {@link shareState}. */
  private common: NodeCache | undefined;
  /** When the cache was made, on the monotonic clock, which a change of the wall clock leaves alone. */
  private readonly madeMs = performance.now();
  private closed = false;

  /**
   * @param cleanupIntervalMs - How often each shard checks its keys; 0 for never.
   */
  constructor(private readonly cleanupIntervalMs: number) {
    const count = shardCount(cleanupIntervalMs);
    this.shards = Array.from({ length: count }, () => undefined);
    if (count === 1) this.shards[0] = this.make(0);
  }

  /** The shard `key` belongs in, if it has been made. */
  private shardOf(key: string): NodeCache | undefined {
    const shards = this.shards;
    return shards.length === 1 ? shards[0] : shards[shardIndex(key, shards.length)];
  }

  /** The shard `key` belongs in, made if need be. */
  private shardFor(key: string): NodeCache {
    const shards = this.shards;
    const index = shards.length === 1 ? 0 : shardIndex(key, shards.length);
    const made = shards[index];
    if (made !== undefined) return made;
    const shard = this.make(index);
    shards[index] = shard;
    return shard;
  }

  /** Makes shard `index`, with the delete listeners and, if there are several, its first pass. */
  private make(index: number): NodeCache {
    const count = this.shards.length;
    const intervalMs = this.cleanupIntervalMs;
    // Values are immutable strings (or the store's own entries): node-cache's clone would only
    // cost time (and it corrupts plain Uint8Arrays).
    const shard = new NodeCache({ checkperiod: intervalMs / 1_000, useClones: false });
    shareMethods(shard);
    if (this.common === undefined) this.common = shard;
    else shareState(shard, this.common);
    for (const listener of this.listeners) shard.on("del", listener);
    if (count === 1 || this.closed) {
      if (this.closed) shard.close();
      return shard;
    }
    // node-cache starts its period when it is made; this shard starts its own at its next place
    // in the interval instead, by running its check (which then rearms itself every period).
    shard.close();
    const placeMs = Math.round((intervalMs * (index + 1)) / count);
    const sinceMs = Math.round(performance.now() - this.madeMs);
    const delayMs =
      sinceMs <= placeMs ? placeMs - sinceMs : intervalMs - ((sinceMs - placeMs) % intervalMs);
    const start = setTimeout(
      () => (shard as unknown as { _checkData(): void })._checkData(),
      delayMs,
    );
    start.unref();
    this.starts.push(start);
    return shard;
  }

  get<T>(key: string): T | undefined {
    return this.shardOf(key)?.get<T>(key);
  }

  /**
   * The value held under `key`, expired or not, read from node-cache's data as it is: no expiry
   * check, no removal, no count of hits and misses.
   */
  peek<T>(key: string): T | undefined {
    // Keys are never the name of a property of Object.prototype (MemStore's keyOf sees to it), so
    // a key not held reads nothing inherited.
    return this.shardOf(key)?.data[key]?.v as T | undefined;
  }

  /**
   * The time (ms since the epoch) until which node-cache keeps what it holds under `key`, expired
   * or not, as it is: no expiry check, no removal. `undefined` when nothing is held; `0` for an
   * entry kept for ever.
   */
  peekTtl(key: string): number | undefined {
    return this.shardOf(key)?.data[key]?.t;
  }

  /** Whether a live entry is held under `key` (an expired one met is removed). */
  has(key: string): boolean {
    return this.shardOf(key)?.has(key) ?? false;
  }

  set(key: string, value: unknown, ttlS: number): boolean {
    return this.shardFor(key).set(key, value, ttlS);
  }

  del(key: string): number {
    return this.shardOf(key)?.del(key) ?? 0;
  }

  ttl(key: string, ttlS: number): boolean {
    return this.shardOf(key)?.ttl(key, ttlS) ?? false;
  }

  getTtl(key: string): number | undefined {
    return this.shardOf(key)?.getTtl(key);
  }

  /** Every key held, expired ones included. */
  keys(): string[] {
    const shards = this.shards;
    if (shards.length === 1) return (shards[0] as NodeCache).keys();
    return shards.flatMap((shard) => shard?.keys() ?? []);
  }

  /** How many keys are held in every shard, expired ones included: the shared count. */
  get size(): number {
    return this.common?.stats.keys ?? 0;
  }

  /** How many node-cache instances have been made. */
  get shardsMade(): number {
    return this.shards.filter((shard) => shard !== undefined).length;
  }

  /** Calls `listener` with each key node-cache deletes (a del, an expiry) and its value. */
  onDelete(listener: (key: string, value: unknown) => void): void {
    this.listeners.push(listener);
    for (const shard of this.shards) shard?.on("del", listener);
  }

  /** How many delete listeners there are. */
  get deleteListeners(): number {
    return this.listeners.length;
  }

  /** Stops every shard's cleanup, and that of any shard made from now on. */
  close(): void {
    this.closed = true;
    for (const start of this.starts) clearTimeout(start);
    for (const shard of this.shards) shard?.close();
  }
}
