import { setMaxListeners } from "node:events";
import type {
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  NodeRedisSentinel,
} from "./client-types";
import {
  isNoScript,
  isReadOnly,
  mastersOfSlots,
  matchPattern,
  type RedisConnection,
  scriptArgs,
  type Visit,
  visitAll,
  walk,
} from "./redis-connection";
import { RedisOfflineError } from "./redis-offline-error";
import { FIND, FIND_MANY, type Script } from "./scripts";

/** Bulk strings as Buffers, so that any byte value survives (36 is RESP's `$`). */
const AS_BYTES = { typeMapping: { 36: Buffer } };
const NO_PREFIX = Buffer.alloc(0);

/**
 * Shared abort signals for node-redis, whose queue drops a command, unsent, when its signal
 * aborts before the command is written. One signal serves every command of a slice of time (a
 * tenth of the timeout, at most 100 ms) and aborts `offlineTimeoutMs` after the slice began, so a
 * call waits at most `offlineTimeoutMs` for a connection and a busy store makes ten signals a
 * second rather than one per command.
 *
 * node-redis's own per-command `timeout` (5 s by default in node-redis 6) does the same with an
 * `AbortSignal.timeout()`, a timer and two listeners per command: measured, a fifth of a call's
 * CPU time under load, before the garbage they make is collected. The options turn it off for
 * RedisStore's commands, which the shared signal bounds instead.
 */
class Deadlines {
  private readonly sliceMs: number;
  private startedMs = Number.NEGATIVE_INFINITY;
  private current!: { plain: NodeRedisCommandOptions; bytes: NodeRedisCommandOptions };

  constructor(private readonly offlineTimeoutMs: number) {
    this.sliceMs = Math.min(offlineTimeoutMs / 10, 100);
  }

  /** Command options that carry the current signal. */
  options(asBytes: boolean): NodeRedisCommandOptions {
    const nowMs = Date.now();
    if (nowMs - this.startedMs >= this.sliceMs) this.open(nowMs);
    return asBytes ? this.current.bytes : this.current.plain;
  }

  /** The client's error, or a {@link RedisOfflineError} when the signal dropped the command. */
  translate(error: unknown, options: NodeRedisCommandOptions): unknown {
    const dropped =
      options.abortSignal?.aborted === true &&
      error instanceof Error &&
      error.message === "The command was aborted";
    return dropped ? this.offline() : error;
  }

  /** The error of a call that found no connection in time. */
  offline(): RedisOfflineError {
    return new RedisOfflineError(this.offlineTimeoutMs);
  }

  private open(nowMs: number): void {
    const controller = new AbortController();
    // Every command of the slice listens until it is written: many listeners is the design.
    setMaxListeners(0, controller.signal);
    setTimeout(() => controller.abort(), this.offlineTimeoutMs).unref();
    const abortSignal = controller.signal;
    this.startedMs = nowMs;
    // Every command names its reply types: a client's own typeMapping must not turn PEXPIREAT's
    // integer into a string, nor a value into anything but bytes.
    this.current = {
      plain: { typeMapping: {}, abortSignal, timeout: undefined },
      bytes: { ...AS_BYTES, abortSignal, timeout: undefined },
    };
  }
}

/** node-redis calls, each carrying the abort signal of its slice of time. */
class NodeRedisCalls {
  private readonly deadlines: Deadlines;

  constructor(offlineTimeoutMs: number) {
    this.deadlines = new Deadlines(offlineTimeoutMs);
  }

  /** `args` on `client`, as they are. */
  direct(client: NodeRedisClient, args: (string | Buffer)[], asBytes = false): Promise<unknown> {
    const options = this.deadlines.options(asBytes);
    return client.sendCommand(args, options).catch((error: unknown) => {
      throw this.deadlines.translate(error, options);
    });
  }

  /**
   * A command on a cluster, to the master of `key`: reads too, even with `useReplicas`, so that
   * a find sees the save before it.
   */
  routed(
    cluster: NodeRedisCluster,
    key: string | undefined,
    args: (string | Buffer)[],
    asBytes: boolean,
  ): Promise<unknown> {
    const options = this.deadlines.options(asBytes);
    return cluster.sendCommand(key, false, args, options).catch((error: unknown) => {
      throw this.deadlines.translate(error, options);
    });
  }

  /**
   * A command on the master of a Sentinel client, sent at most once, but for a `READONLY`
   * answer (the command did not run: the master it was sent to is a replica now). The sentinel
   * client itself would send a command again after the connection it went out on closed,
   * unanswered, and it waits for the master without bound: so the call settles with the first
   * answer, and rejects with a {@link RedisOfflineError} when no master takes it within
   * `offlineTimeoutMs`. A command still unsent then is dropped, since its abort signal has fired.
   */
  onMaster(
    sentinel: NodeRedisSentinel,
    args: (string | Buffer)[],
    asBytes: boolean,
  ): Promise<unknown> {
    const options = this.deadlines.options(asBytes);
    const signal = options.abortSignal as AbortSignal;
    return new Promise((resolve, reject) => {
      let waiting = true;
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        signal.removeEventListener("abort", gaveUp);
        finish();
      };
      const gaveUp = () => {
        if (waiting) settle(() => reject(this.deadlines.offline()));
      };
      signal.addEventListener("abort", gaveUp);
      sentinel
        ._execute(false, async (client) => {
          if (settled) return;
          waiting = false;
          try {
            const reply = await client.sendCommand(args, options);
            settle(() => resolve(reply));
          } catch (error) {
            if (isReadOnly(error) && !signal.aborted) {
              waiting = true;
              throw error;
            }
            settle(() => reject(this.deadlines.translate(error, options)));
          }
        })
        .catch((error: unknown) => settle(() => reject(error)));
    });
  }
}

/** Scripts, the same on a client, a pool and a cluster but for their routing. */
abstract class NodeRedisCommands implements RedisConnection {
  abstract readonly oneServer: boolean;
  protected readonly calls: NodeRedisCalls;

  constructor(offlineTimeoutMs: number) {
    this.calls = new NodeRedisCalls(offlineTimeoutMs);
  }

  /** Sends a command to the master of `key`. */
  protected abstract send(
    key: string | undefined,
    args: (string | Buffer)[],
    asBytes: boolean,
  ): Promise<unknown>;

  async evaluate(
    script: Script,
    keys: readonly string[],
    args: readonly (string | Buffer)[],
    asBytes = false,
  ): Promise<unknown> {
    const key = keys[0];
    try {
      return await this.send(key, ["EVALSHA", ...scriptArgs(script.sha, keys, args)], asBytes);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return this.send(key, ["EVAL", ...scriptArgs(script.source, keys, args)], asBytes);
    }
  }

  abstract scan(prefix: string, scanCount: string, visit: Visit): Promise<void>;
}

/** One master holds every key: one SCAN walk, and one script per batch reading every key. */
abstract class NodeRedisOneMaster extends NodeRedisCommands {
  readonly oneServer = true;

  async scan(prefix: string, scanCount: string, visit: Visit): Promise<void> {
    const pattern = matchPattern(NO_PREFIX, prefix);
    await walk(
      async (cursor) =>
        (await this.send(undefined, scanArgs(cursor, pattern, scanCount), false)) as ScanReply,
      async (keys) => {
        const names = keys.map(String);
        const values = await this.evaluate(FIND_MANY, names, [], true);
        visitAll(names, values as (Buffer | null)[], visit);
      },
    );
  }
}

/** A node-redis client or pool: one server. */
export class NodeRedisConnection extends NodeRedisOneMaster {
  constructor(
    private readonly client: NodeRedisClient,
    offlineTimeoutMs: number,
  ) {
    super(offlineTimeoutMs);
  }

  protected send(_key: unknown, args: (string | Buffer)[], asBytes: boolean): Promise<unknown> {
    return this.calls.direct(this.client, args, asBytes);
  }
}

/** A node-redis Sentinel client: every command on the master the sentinels name. */
export class NodeRedisSentinelConnection extends NodeRedisOneMaster {
  constructor(
    private readonly sentinel: NodeRedisSentinel,
    offlineTimeoutMs: number,
  ) {
    super(offlineTimeoutMs);
  }

  protected send(_key: unknown, args: (string | Buffer)[], asBytes: boolean): Promise<unknown> {
    return this.calls.onMaster(this.sentinel, args, asBytes);
  }
}

/** A node-redis cluster: commands routed by key, and a SCAN walk of every master. */
export class NodeRedisClusterConnection extends NodeRedisCommands {
  readonly oneServer = false;

  constructor(
    private readonly cluster: NodeRedisCluster,
    offlineTimeoutMs: number,
  ) {
    super(offlineTimeoutMs);
  }

  protected send(
    key: string | undefined,
    args: (string | Buffer)[],
    asBytes: boolean,
  ): Promise<unknown> {
    return this.calls.routed(this.cluster, key, args, asBytes);
  }

  /**
   * SCAN on each master's own client (before `redis` 6.2, a SCAN sent to the cluster client walks
   * one master only), and one script per key routed by the cluster client (a script on keys of
   * several slots fails with CROSSSLOT), a batch's in flight together; the masters are walked in
   * parallel.
   */
  async scan(prefix: string, scanCount: string, visit: Visit): Promise<void> {
    const pattern = matchPattern(NO_PREFIX, prefix);
    const masters = mastersOfSlots(this.cluster.slots, (shard) => shard?.master);
    await Promise.all(
      masters.map(async (master) => {
        const node = await this.cluster.nodeClient(master);
        await walk(
          async (cursor) =>
            (await this.calls.direct(node, scanArgs(cursor, pattern, scanCount))) as ScanReply,
          async (keys) => {
            const names = keys.map(String);
            const values = await Promise.all(
              names.map((key) => this.evaluate(FIND, [key], [], true)),
            );
            visitAll(names, values as (Buffer | null)[], visit);
          },
        );
      }),
    );
  }
}

type ScanReply = [cursor: string, keys: string[]];

function scanArgs(cursor: string, pattern: Buffer, count: string): (string | Buffer)[] {
  return ["SCAN", cursor, "MATCH", pattern, "COUNT", count];
}
