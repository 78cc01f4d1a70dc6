import { RedisTimeoutError } from "./redis-timeout-error";
import type { Script } from "./scripts";

/**
 * A Redis deployment as RedisStore talks to it, whatever the client: each single-key command
 * goes to the master that holds its key, and `scan` walks every master. Every method rejects with
 * a {@link RedisOfflineError}, its command unsent, when no connection for it comes within the
 * store's `offlineTimeoutMs`, and otherwise with the client's error.
 */
export interface RedisConnection {
  /**
   * Whether one server holds every key (a client, a pool, a Sentinel master): a script may then
   * name keys of several slots. `false` on a cluster.
   */
  readonly oneServer: boolean;
  /**
   * Runs `script` on `keys` (all in the slot of the first, unless {@link oneServer}) with `args`: `EVALSHA`, then `EVAL`
   * when the server answers that it does not have the script. With `asBytes`, bulk strings come
   * back as Buffers (any byte value survives); otherwise as strings, integers as numbers.
   */
  evaluate(
    script: Script,
    keys: readonly string[],
    args: readonly (string | Buffer)[],
    asBytes?: boolean,
  ): Promise<unknown>;
  /**
   * Calls `visit` with every key that starts with `prefix` (as the store names it, without any
   * prefix the client adds itself) and its session's bytes, leaving out keys that hold none (a
   * marker, or a session that expired during the walk): `SCAN` on every master, never `KEYS`.
   */
  scan(prefix: string, scanCount: string, visit: Visit): Promise<void>;
}

/** Whether `error` is Redis's answer to `EVALSHA` of a script it does not have. */
export function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}

/**
 * Whether `error` is the answer of a server that refuses keys of several slots in one script
 * (`CROSSSLOT`), as some proxies in front of a cluster do. The script did not run.
 */
export function isCrossSlot(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("CROSSSLOT");
}

/**
 * Whether `error` is a replica's answer to a write (`READONLY`): the server was the master when
 * the client chose it, and is a replica now. The command did not run.
 */
export function isReadOnly(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("READONLY");
}

/** The arguments of `EVALSHA` (or `EVAL`, with `source`) after the command's name. */
export function scriptArgs(
  first: string,
  keys: readonly string[],
  args: readonly (string | Buffer)[],
): (string | Buffer)[] {
  return [first, String(keys.length), ...keys, ...args];
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

/**
 * `connection` with every `evaluate` bounded: one that has not settled within `timeoutMs`
 * rejects with a {@link RedisTimeoutError} (its command may still run). `scan` is left as it is:
 * a walk of the whole store takes as long as the store is large.
 */
export function boundedConnection(connection: RedisConnection, timeoutMs: number): RedisConnection {
  return {
    oneServer: connection.oneServer,
    evaluate: (script, keys, args, asBytes) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new RedisTimeoutError(timeoutMs)), timeoutMs);
        // A call in flight keeps no process alive: its caller (a request) does, if anything.
        timer.unref();
        connection.evaluate(script, keys, args, asBytes).then(
          (value) => {
            clearTimeout(timer);
            resolve(value);
          },
          (error: unknown) => {
            clearTimeout(timer);
            reject(error);
          },
        );
      }),
    scan: (prefix, scanCount, visit) => connection.scan(prefix, scanCount, visit),
  };
}
