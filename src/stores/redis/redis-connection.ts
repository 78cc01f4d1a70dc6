/**
 * A Redis deployment as RedisStore talks to it, whatever the client: each single-key command
 * goes to the master that holds its key, and `scan` walks every master. Every method rejects with
 * a {@link RedisOfflineError}, its command unsent, when no connection for it comes within the
 * store's `offlineTimeoutMs`, and otherwise with the client's error.
 */
export interface RedisConnection {
  /** `GET key`, the value as bytes; `null` for no key. */
  get(key: string): Promise<Buffer | null>;
  /** `SET key bytes PXAT unixTimeMs`. */
  set(key: string, bytes: Buffer, unixTimeMs: string): Promise<unknown>;
  /** `DEL key`. */
  del(key: string): Promise<unknown>;
  /** `PEXPIREAT key unixTimeMs`: whether the key existed and now expires then. */
  pexpireAt(key: string, unixTimeMs: string): Promise<boolean>;
  /**
   * Calls `visit` with every key that starts with `prefix` (as the store names it, without any
   * prefix the client adds itself) and its value: `SCAN` on every master, never `KEYS`. Keys
   * that expire during the walk are left out.
   */
  scan(prefix: string, scanCount: string, visit: Visit): Promise<void>;
}

/** Receives each key of a walk with its value. */
export type Visit = (key: string, value: Buffer) => void;

/** Redis Cluster's hash slots. */
const SLOT_COUNT = 16_384;
const GLOB_BYTES = new Set([..."*?[]\\"].map((char) => char.charCodeAt(0)));

/**
 * `prefix*` as a SCAN MATCH pattern, after the prefix the client puts before every key itself,
 * with glob characters in either matching only themselves.
 */
export function matchPattern(clientPrefix: Buffer, prefix: string): Buffer {
  const literal = Buffer.concat([clientPrefix, Buffer.from(prefix)]);
  const escaped = [...literal].flatMap((byte) => (GLOB_BYTES.has(byte) ? [0x5c, byte] : [byte]));
  return Buffer.from([...escaped, 0x2a]);
}

/** Walks one server's keyspace with SCAN, handing each batch of keys (at least one) on. */
export async function walk(
  scan: (cursor: string) => Promise<[cursor: string | Buffer, keys: (string | Buffer)[]]>,
  batch: (keys: (string | Buffer)[]) => Promise<void>,
): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await scan(cursor);
    cursor = next.toString();
    if (keys.length > 0) await batch(keys);
  } while (cursor !== "0");
}

/** Hands each key that still has a value (it may expire during the walk) to `visit`. */
export function visitAll(keys: string[], values: (Buffer | null)[], visit: Visit): void {
  keys.forEach((key, i) => {
    const value = values[i];
    if (value) visit(key, value);
  });
}

/**
 * The master of every hash slot, each once: what a walk of the whole cluster must visit. A master
 * that went down still owns its slots, so the walk fails on it instead of leaving its keys out.
 *
 * @throws Error when some slot has no master: the client has not connected yet, or the cluster
 *   does not cover every slot.
 */
export function mastersOfSlots<S, M>(
  slots: ReadonlyArray<S>,
  masterOf: (slot: S | undefined) => M | undefined,
): M[] {
  const masters = new Set<M>();
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const master = masterOf(slots[slot]);
    if (master === undefined) {
      throw new Error(
        `The cluster client knows no master for hash slot ${slot}: connect it before using the store`,
      );
    }
    masters.add(master);
  }
  return [...masters];
}
