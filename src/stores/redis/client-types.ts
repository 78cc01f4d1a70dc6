// The client types RedisStore accepts. They are structural: they name what RedisStore calls, so that the clients of
// `redis` 5 and 6 and of `ioredis` 5 and 6 fit them as they are, and so that this package loads,
// and type-checks, with only one of those packages installed.

/** Command options of node-redis, as far as RedisStore uses them. */
export interface NodeRedisCommandOptions {
  /** Maps RESP types to JavaScript types: RedisStore reads bulk strings (type 36) as Buffers. */
  typeMapping?: { [respType: number]: unknown };
  /** Drops the command, unsent, if it is still waiting for a connection when this aborts. */
  abortSignal?: AbortSignal;
  /**
   * Drops the command, unsent, if it is still waiting after this many milliseconds. RedisStore
   * sends `undefined`, turning off the client's own (5000 in node-redis 6): its `abortSignal`
   * does the same for less.
   */
  timeout?: number | undefined;
}

/** A node-redis client or client pool: `createClient()` or `createClientPool()` of `redis` 5 or 6. */
export interface NodeRedisClient {
  /** node-redis's raw command call. */
  sendCommand(args: Array<string | Buffer>, options?: NodeRedisCommandOptions): Promise<unknown>;
}

/** A node-redis cluster client: `createCluster()` of `redis` 5 or 6. */
export interface NodeRedisCluster {
  /** node-redis's raw command call, routed by `firstKey`; `isReadonly: false` routes to a master. */
  sendCommand(
    firstKey: string | Buffer | undefined,
    isReadonly: boolean | undefined,
    args: Array<string | Buffer>,
    options?: NodeRedisCommandOptions,
  ): Promise<unknown>;
  /** The shard of each of the 16384 hash slots, as the client knows them now. */
  readonly slots: ReadonlyArray<{ readonly master: object }>;
  /** The client of one node, such as the master of a shard. */
  nodeClient(node: object): NodeRedisClient | Promise<NodeRedisClient>;
}

/**
 * A node-redis Sentinel client: `createSentinel()` of `redis` 5 or 6. RedisStore sends every
 * command, reads too, to the master it leases, never to a replica.
 */
export interface NodeRedisSentinel {
  /**
   * Runs `fn` on the client of the master (`isReadonly: false`) once the sentinel knows it,
   * finding the master again and running `fn` again when it answers `READONLY`.
   */
  _execute<T>(
    isReadonly: boolean | undefined,
    fn: (client: NodeRedisClient) => Promise<T>,
  ): Promise<T>;
  /** The master as the sentinels last named it; `undefined` before the client has connected. */
  getMasterNode(): object | undefined;
}

/**
 * An ioredis client: `new Redis()` of `ioredis` 5 or 6. RedisStore calls its named commands,
 * not `callBuffer`, which ioredis's `enableAutoPipelining` sends with the key as the command.
 */
export interface IoRedisClient {
  /** `"ready"` when connected; `"wait"` before a `lazyConnect` client's first command. */
  readonly status: string;
  /** `GET`, the value as bytes. */
  getBuffer(key: string): Promise<Buffer | null>;
  /** `EVALSHA`: RedisStore's calls are scripts (and `EVAL` when Redis lacks one). */
  evalsha(sha: string, numKeys: number, ...keysAndArgs: (string | Buffer)[]): Promise<unknown>;
  /** One `SCAN` step, keys as bytes. */
  scanBuffer(
    cursor: string,
    patternToken: "MATCH",
    pattern: string,
    countToken: "COUNT",
    count: string,
  ): Promise<[cursor: Buffer, keys: Buffer[]]>;
  /** Connects a `lazyConnect` client. */
  connect(): Promise<void>;
  /** Listens once for the connection becoming ready, or ending for good. */
  once(event: "ready" | "end", listener: () => void): unknown;
  /** Stops listening. */
  removeListener(event: "ready" | "end", listener: () => void): unknown;
  /** Listens for every close of the connection. */
  on(event: "close", listener: () => void): unknown;
}

/** An ioredis cluster client: `new Cluster()` of `ioredis` 5 or 6. */
export interface IoRedisCluster extends IoRedisClient {
  /** For each of the 16384 hash slots, its nodes as `host:port`, the master first. */
  readonly slots: ReadonlyArray<readonly string[]>;
  /** The connection to each node. */
  nodes(role: "all"): IoRedisClient[];
}

/**
 * Every client RedisStore accepts: a node-redis client, pool, cluster or Sentinel client (`redis`
 * 5 or 6), or an ioredis `Redis` (with `sentinels` or without) or `Cluster` (`ioredis` 5 or 6).
 */
export type RedisStoreClient =
  | NodeRedisClient
  | NodeRedisCluster
  | NodeRedisSentinel
  | IoRedisClient
  | IoRedisCluster;
