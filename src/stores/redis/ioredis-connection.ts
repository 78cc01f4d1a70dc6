import { describeValue } from "../../arguments";
import type { IoRedisClient, IoRedisCluster } from "./client-types";
import {
  isNoScript,
  mastersOfSlots,
  matchPattern,
  type RedisConnection,
  type Visit,
  visitAll,
  walk,
} from "./redis-connection";
import { RedisOfflineError } from "./redis-offline-error";
import { FIND, FIND_MANY, type Script } from "./scripts";

/**
 * The calls handed to each watched `Redis` and not yet answered, with one `close` listener per
 * client however many stores share it (a listener per store would pass Node's limit of 10).
 */
const unansweredOf = new WeakMap<IoRedisClient, Set<(error: Error) => void>>();

/** How to reject the unanswered calls on `client`, watching its closes from the first use on. */
function unansweredOn(client: IoRedisClient): Set<(error: Error) => void> {
  const known = unansweredOf.get(client);
  if (known !== undefined) return known;
  const unanswered = new Set<(error: Error) => void>();
  unansweredOf.set(client, unanswered);
  client.on("close", () => {
    const closed = new Error(
      "The connection to Redis closed before Redis answered: the command may or may not " +
        "have run, and is not sent again",
    );
    for (const reject of unanswered) reject(closed);
    unanswered.clear();
  });
  return unanswered;
}

/**
 * ioredis calls, each handed to ioredis only once its connection is ready. ioredis keeps a
 * command it cannot send in an offline queue, and its `commandTimeout` rejects such a command
 * but leaves it queued, to be sent on reconnection: a timed-out save would land later and undo a
 * newer one. So a call waits here, before ioredis has it, and one that finds no connection in
 * time is never sent.
 */
class IoRedisCalls {
  private readonly waits = new WeakMap<IoRedisClient, Promise<void>>();
  /** How to reject each call handed to ioredis and not yet answered, when closes are watched. */
  private readonly unanswered: Set<(error: Error) => void> | undefined;

  /**
   * @param closing - A `Redis` whose calls are rejected when its connection closes before they
   *   are answered. ioredis keeps the commands it sent and got no answer for when the connection
   *   closes and, with `autoResendUnfulfilledCommands` off, drops them on reconnection without
   *   ever settling them: such a call would hang.
   */
  constructor(
    private readonly offlineTimeoutMs: number,
    closing?: IoRedisClient,
  ) {
    if (closing !== undefined) this.unanswered = unansweredOn(closing);
  }

  /** Runs `call` on `client` at once when it is ready (or ended: it then rejects at once). */
  run<T>(client: IoRedisClient, call: () => Promise<T>): Promise<T> {
    const send = () => this.answered(call());
    return client.status === "ready" || client.status === "end"
      ? send()
      : this.connected(client).then(send);
  }

  /** `sent`, rejected when the watched connection closes before it is answered. */
  private answered<T>(sent: Promise<T>): Promise<T> {
    const unanswered = this.unanswered;
    if (unanswered === undefined) return sent;
    return new Promise<T>((resolve, reject) => {
      unanswered.add(reject);
      sent.then(
        (value) => {
          unanswered.delete(reject);
          resolve(value);
        },
        (error: unknown) => {
          unanswered.delete(reject);
          reject(error);
        },
      );
    });
  }

  /** Resolves when `client` is ready (or ended); rejects after `offlineTimeoutMs`. */
  connected(client: IoRedisClient): Promise<void> {
    if (client.status === "ready" || client.status === "end") return Promise.resolve();
    // A `lazyConnect` client connects on its first command: this is that command.
    if (client.status === "wait") client.connect().catch(() => {});
    const settled = this.waits.get(client) ?? this.waitFor(client);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RedisOfflineError(this.offlineTimeoutMs)),
        this.offlineTimeoutMs,
      );
      settled.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** One wait per client, however many calls wait on it: two listeners, not two per call. */
  private waitFor(client: IoRedisClient): Promise<void> {
    const settled = new Promise<void>((resolve) => {
      const settle = () => {
        client.removeListener("ready", settle);
        client.removeListener("end", settle);
        this.waits.delete(client);
        resolve();
      };
      client.once("ready", settle);
      client.once("end", settle);
    });
    this.waits.set(client, settled);
    return settled;
  }
}

/** The `keyPrefix` ioredis puts before every key it sends (but not into SCAN's pattern). */
function keyPrefixOf(client: IoRedisClient): Buffer {
  const { keyPrefix } = (client as { options?: { keyPrefix?: unknown } }).options ?? {};
  if (typeof keyPrefix === "string") return Buffer.from(keyPrefix);
  return Buffer.isBuffer(keyPrefix) ? keyPrefix : Buffer.alloc(0);
}

/**
 * A SCAN of one batch on `node`. ioredis types the pattern as a string; it sends a Buffer as it
 * is, and a Buffer `keyPrefix` needs one.
 */
function scanOnce(node: IoRedisClient, cursor: string, pattern: Buffer, count: string) {
  return node.scanBuffer(cursor, "MATCH", pattern as unknown as string, "COUNT", count);
}

/** A key as SCAN returns it, without the client's own prefix: what ioredis prefixes again. */
function withoutPrefix(key: string | Buffer, clientPrefix: Buffer): string {
  return Buffer.isBuffer(key) ? key.subarray(clientPrefix.length).toString() : key;
}

/** ioredis's script calls; the `Buffer` ones, which its types leave out, answer bulk strings as bytes. */
interface IoRedisScripts {
  evalsha(sha: string, numKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<unknown>;
  evalshaBuffer(
    sha: string,
    numKeys: number,
    ...keysAndArgs: (string | Buffer)[]
  ): Promise<unknown>;
  eval(source: string, numKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<unknown>;
  evalBuffer(
    source: string,
    numKeys: number,
    ...keysAndArgs: (string | Buffer)[]
  ): Promise<unknown>;
}

/** The commands both ioredis clients send the same way, each to the master of its key. */
abstract class IoRedisCommands implements RedisConnection {
  abstract readonly oneServer: boolean;
  protected readonly calls: IoRedisCalls;
  protected readonly clientPrefix: Buffer;

  constructor(
    protected readonly client: IoRedisClient,
    calls: IoRedisCalls,
  ) {
    this.calls = calls;
    this.clientPrefix = keyPrefixOf(client);
  }

  /** ioredis puts its `keyPrefix` before each of the keys, as it does for every command. */
  evaluate(
    script: Script,
    keys: readonly string[],
    args: readonly (string | Buffer)[],
    asBytes = false,
  ): Promise<unknown> {
    const client = this.client as unknown as IoRedisScripts;
    const keysAndArgs = [...keys, ...args];
    const run = (bySha: boolean) =>
      this.calls.run(this.client, () =>
        bySha
          ? (asBytes ? client.evalshaBuffer : client.evalsha).call(
              client,
              script.sha,
              keys.length,
              ...keysAndArgs,
            )
          : (asBytes ? client.evalBuffer : client.eval).call(
              client,
              script.source,
              keys.length,
              ...keysAndArgs,
            ),
      );
    return run(true).catch((error: unknown) => {
      if (!isNoScript(error)) throw error;
      return run(false);
    });
  }

  abstract scan(prefix: string, scanCount: string, visit: Visit): Promise<void>;
}

/** An ioredis `Redis`: one server. */
export class IoRedisConnection extends IoRedisCommands {
  readonly oneServer = true;

  /**
   * @throws TypeError when the client would queue a command or resend one (see
   *   {@link NO_OFFLINE_QUEUE} and {@link NO_RESEND}), or asks the sentinels for a replica (see
   *   {@link checkRole}).
   */
  constructor(client: IoRedisClient, offlineTimeoutMs: number) {
    checkOptionOff(client, NO_OFFLINE_QUEUE);
    checkOptionOff(client, NO_RESEND);
    checkRole(client);
    super(client, new IoRedisCalls(offlineTimeoutMs, client));
  }

  /** One SCAN walk, and one script per batch reading every key: a single server holds them. */
  async scan(prefix: string, scanCount: string, visit: Visit): Promise<void> {
    const pattern = matchPattern(this.clientPrefix, prefix);
    await walk(
      (cursor) =>
        this.calls.run(this.client, () => scanOnce(this.client, cursor, pattern, scanCount)),
      async (keys) => {
        const names = keys.map((key) => withoutPrefix(key, this.clientPrefix));
        const values = await this.evaluate(FIND_MANY, names, [], true);
        visitAll(names, values as (Buffer | null)[], visit);
      },
    );
  }
}

/** An ioredis `Cluster`: commands routed by key, and a SCAN walk of every master. */
export class IoRedisClusterConnection extends IoRedisCommands {
  readonly oneServer = false;

  /**
   * @throws TypeError when the cluster reads from replicas (see {@link checkScaleReads}) or would
   *   queue a command (see {@link NO_OFFLINE_QUEUE}).
   */
  constructor(
    private readonly cluster: IoRedisCluster,
    offlineTimeoutMs: number,
  ) {
    checkScaleReads(cluster);
    checkOptionOff(cluster, NO_OFFLINE_QUEUE);
    super(cluster, new IoRedisCalls(offlineTimeoutMs));
  }

  /**
   * As on a node-redis cluster: SCAN on each master's own connection, and one script per key routed
   * by the cluster client, a batch's GETs in flight together; the masters walked in parallel.
   */
  async scan(prefix: string, scanCount: string, visit: Visit): Promise<void> {
    const pattern = matchPattern(this.clientPrefix, prefix);
    await this.calls.connected(this.cluster);
    const connections = new Map(this.cluster.nodes("all").map((node) => [addressOf(node), node]));
    const addresses = mastersOfSlots(this.cluster.slots, (nodes) => nodes?.[0]);
    const masters = addresses.map((address) => {
      const node = connections.get(address);
      if (node === undefined) throw new Error(`No connection to the master at ${address}`);
      return node;
    });
    await Promise.all(
      masters.map((node) =>
        walk(
          (cursor) => this.calls.run(node, () => scanOnce(node, cursor, pattern, scanCount)),
          async (keys) => {
            const names = keys.map((key) => withoutPrefix(key, this.clientPrefix));
            const values = await Promise.all(
              names.map((key) => this.evaluate(FIND, [key], [], true)),
            );
            visitAll(names, values as (Buffer | null)[], visit);
          },
        ),
      ),
    );
  }
}

/** An ioredis option RedisStore needs set, as the client holds it. */
function optionOf(client: IoRedisClient, name: string): unknown {
  return (client as { options?: Record<string, unknown> }).options?.[name];
}

/** An ioredis option, on by default, that RedisStore needs off; and why. */
interface NeededOff {
  readonly option: string;
  /** What the client must do, after "Expected `client`". */
  readonly expected: string;
  /** What would happen with the option on. */
  readonly danger: string;
}

/**
 * A client with an offline queue keeps a command it cannot send (the connection just dropped, or
 * the cluster lost a node) and sends it once it has a connection again, however long that takes:
 * the call hangs until then, and a save then lands over whatever was saved meanwhile. RedisStore
 * waits for a connection itself (`offlineTimeoutMs`), so it needs no queue.
 */
const NO_OFFLINE_QUEUE: NeededOff = {
  option: "enableOfflineQueue",
  expected: "to reject the commands it cannot send",
  danger:
    "a call made as the connection drops would wait until Redis is back, then a save would " +
    "land over newer ones",
};

/**
 * A `Redis` that resends, on reconnection, the commands it had sent without an answer when the
 * connection closed would land a save, long after its call, over newer ones.
 */
const NO_RESEND: NeededOff = {
  option: "autoResendUnfulfilledCommands",
  expected: "not to resend unanswered commands on reconnection",
  danger: "a save sent as the connection dropped would land later, over newer ones",
};

/** @throws TypeError naming `client` when it was not made with `needed.option: false`. */
function checkOptionOff(client: IoRedisClient, needed: NeededOff): void {
  const { option, expected, danger } = needed;
  const value = optionOf(client, option) ?? true;
  if (value !== false) {
    throw new TypeError(
      `Expected \`client\` ${expected} (ioredis option \`${option}: false\`), ` +
        `got \`${option}\` ${describeValue(value)}: ${danger}`,
    );
  }
}

/** `host:port`, as ioredis names a node in its slots. */
function addressOf(node: IoRedisClient): string {
  const { host, port } = (node as { options?: { host?: unknown; port?: unknown } }).options ?? {};
  return `${host}:${port}`;
}

/**
 * A Cluster that reads from replicas would answer a `find` right after a `save` from a replica
 * the write has not reached yet, and log the user out; ioredis routes by command, not by call,
 * so RedisStore cannot send its reads to masters on such a client.
 *
 * @throws TypeError when `scaleReads` is not `"master"`.
 */
function checkScaleReads(cluster: IoRedisCluster): void {
  const scaleReads = optionOf(cluster, "scaleReads") ?? "master";
  if (scaleReads !== "master") {
    throw new TypeError(
      'Expected `client` to read from masters (ioredis Cluster option `scaleReads: "master"`, ' +
        `the default), got \`scaleReads\` ${describeValue(scaleReads)}: a find right after a ` +
        "save could read a replica the save has not reached",
    );
  }
}

/**
 * A `Redis` made with `sentinels` and `role: "slave"` connects to a replica: every save would
 * fail, and a find could miss a save made through another client just before.
 *
 * @throws TypeError when `role` is not `"master"`.
 */
function checkRole(client: IoRedisClient): void {
  const role = optionOf(client, "role") ?? "master";
  if (Array.isArray(optionOf(client, "sentinels")) && role !== "master") {
    throw new TypeError(
      'Expected `client` to connect to the master (ioredis option `role: "master"`, the ' +
        `default), got \`role\` ${describeValue(role)}: every command would reach a replica`,
    );
  }
}
