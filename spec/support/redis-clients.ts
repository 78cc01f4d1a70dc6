import { Cluster as IoCluster5, Redis as IoRedis5 } from "ioredis";
import { Cluster as IoCluster6, Redis as IoRedis6 } from "ioredis6";
import { createClient, createClientPool, createCluster, createSentinel } from "redis";
import {
  createClient as createClient5,
  createClientPool as createClientPool5,
  createCluster as createCluster5,
  createSentinel as createSentinel5,
} from "redis5";
import type {
  IoRedisClient,
  IoRedisCluster,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisSentinel,
  RedisStoreClient,
} from "../../src/redis";

/** A client of one of the kinds RedisStore accepts, connected for a spec. */
export interface Connected {
  readonly client: RedisStoreClient;
  /** Closes its connections. */
  close(): Promise<void>;
}

/** One kind of client: a library, a version, and a constructor. */
export interface ClientKind {
  /** As specs name it: `node-redis 6 createClient()`. */
  readonly name: string;
  /** Which client library it comes from. */
  readonly library: "node-redis" | "ioredis";
  /** Whether it talks to a Redis Cluster. */
  readonly cluster: boolean;
  /**
   * Whether it is of the majors the whole store contract runs on (node-redis 6 and ioredis 5,
   * the devDependencies); node-redis 5 and ioredis 6 run the specs of what reaches Redis and of
   * outages, where the majors differ.
   */
  readonly current: boolean;
  /**
   * Connects to the redis-server on `ports[0]`, or to the cluster whose masters listen on
   * `ports`, with the library's defaults (reconnection included) and `options` over them.
   */
  connect(ports: readonly number[], options?: Record<string, unknown>): Promise<Connected>;
}

const HOST = "127.0.0.1";
const urlOf = (port: number) => `redis://${HOST}:${port}`;
const ignore = () => {};
/** Client options of a spec: whatever the library takes, passed through as they are. */
type Options = Record<string, unknown>;

interface NodeRedisLifecycle {
  on(event: "error", listener: (error: Error) => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): unknown;
}

/** node-redis's factories, typed by what RedisStore accepts of what they make. */
interface NodeRedisFactories {
  createClient(options: { url: string }): NodeRedisLifecycle & NodeRedisClient;
  createClientPool(options: { url: string }): NodeRedisLifecycle & NodeRedisClient;
  createCluster(options: { rootNodes: { url: string }[] }): NodeRedisLifecycle & NodeRedisCluster;
}

/**
 * Connects a node-redis client. A pool is closed, not destroyed: node-redis 5 destroys a pool's
 * clients but leaves its cleanup timer running, which later throws from a destroyed client.
 */
async function nodeRedisConnected(
  client: NodeRedisLifecycle & RedisStoreClient,
  isPool = false,
): Promise<Connected> {
  client.on("error", ignore);
  await client.connect();
  return { client, close: async () => void (isPool ? await client.close() : client.destroy()) };
}

function nodeRedisKinds(version: number, factories: NodeRedisFactories): ClientKind[] {
  const current = version === 6;
  const single = (ports: readonly number[], options: Options) => ({
    url: urlOf(ports[0] as number),
    ...options,
  });
  return [
    {
      name: `node-redis ${version} createClient()`,
      library: "node-redis",
      cluster: false,
      current,
      connect: (ports, options = {}) =>
        nodeRedisConnected(factories.createClient(single(ports, options))),
    },
    {
      name: `node-redis ${version} createClientPool()`,
      library: "node-redis",
      cluster: false,
      current,
      connect: (ports, options = {}) =>
        nodeRedisConnected(factories.createClientPool(single(ports, options)), true),
    },
    {
      name: `node-redis ${version} createCluster()`,
      library: "node-redis",
      cluster: true,
      current,
      connect: (ports, options = {}) =>
        nodeRedisConnected(
          factories.createCluster({
            rootNodes: ports.map((port) => ({ url: urlOf(port) })),
            ...options,
          }),
        ),
    },
  ];
}

interface IoRedisLifecycle {
  on(event: "error", listener: (error: Error) => void): unknown;
  once(event: "ready", listener: () => void): unknown;
  disconnect(): void;
  readonly status: string;
}

/** Waits for an ioredis client's first connection, then hands it out. */
async function ioRedisConnected(client: IoRedisLifecycle & RedisStoreClient): Promise<Connected> {
  client.on("error", ignore);
  if (client.status !== "ready") await new Promise<void>((ready) => client.once("ready", ready));
  return { client, close: async () => client.disconnect() };
}

/** ioredis's constructors, typed by what RedisStore accepts of what they make. */
interface IoRedisFactories {
  redis(port: number, options: Options): IoRedisLifecycle & IoRedisClient;
  cluster(ports: readonly number[], options: Options): IoRedisLifecycle & IoRedisCluster;
}

/** What RedisStore needs of an ioredis `Redis`; a `Cluster` needs the first. */
export const IOREDIS_NEEDS = { enableOfflineQueue: false, autoResendUnfulfilledCommands: false };

function ioRedisKinds(version: number, factories: IoRedisFactories): ClientKind[] {
  const current = version === 5;
  return [
    {
      name: `ioredis ${version} new Redis()`,
      library: "ioredis",
      cluster: false,
      current,
      connect: ([port], options = {}) =>
        ioRedisConnected(factories.redis(port as number, { ...IOREDIS_NEEDS, ...options })),
    },
    {
      name: `ioredis ${version} new Cluster()`,
      library: "ioredis",
      cluster: true,
      current,
      connect: (ports, options = {}) =>
        ioRedisConnected(factories.cluster(ports, { enableOfflineQueue: false, ...options })),
    },
  ];
}

const nodesOf = (ports: readonly number[]) => ports.map((port) => ({ host: HOST, port }));

/** Every kind: node-redis 6 and ioredis 5 first, then node-redis 5 and ioredis 6. */
export const CLIENT_KINDS: readonly ClientKind[] = [
  ...nodeRedisKinds(6, { createClient, createClientPool, createCluster }),
  ...ioRedisKinds(5, {
    redis: (port, options) => new IoRedis5(port, HOST, options),
    cluster: (ports, options) => new IoCluster5(nodesOf(ports), options),
  }),
  ...nodeRedisKinds(5, {
    createClient: createClient5,
    createClientPool: createClientPool5,
    createCluster: createCluster5,
  }),
  ...ioRedisKinds(6, {
    redis: (port, options) => new IoRedis6(port, HOST, options),
    cluster: (ports, options) => new IoCluster6(nodesOf(ports), options),
  }),
];

/** A kind of client that finds the master through Redis Sentinel. */
export interface SentinelKind {
  /** As specs name it: `node-redis 6 createSentinel()`. */
  readonly name: string;
  readonly library: "node-redis" | "ioredis";
  /** Whether it is of the majors the shared suites run on (node-redis 6 and ioredis 5). */
  readonly current: boolean;
  /**
   * Connects through the sentinels on `sentinelPorts` to the master they monitor as `name`, with
   * the library's defaults (reconnection included).
   */
  connect(sentinelPorts: readonly number[], name: string): Promise<Connected>;
}

/** node-redis's `createSentinel`, typed by what RedisStore accepts of what it makes. */
type CreateSentinel = (options: {
  name: string;
  sentinelRootNodes: { host: string; port: number }[];
}) => Omit<NodeRedisLifecycle, "close"> & NodeRedisSentinel;

function nodeRedisSentinelKind(version: number, create: CreateSentinel): SentinelKind {
  return {
    name: `node-redis ${version} createSentinel()`,
    library: "node-redis",
    current: version === 6,
    connect: async (ports, name) => {
      const sentinel = create({ name, sentinelRootNodes: nodesOf(ports) });
      sentinel.on("error", ignore);
      await sentinel.connect();
      return { client: sentinel, close: async () => void (await sentinel.destroy()) };
    },
  };
}

function ioRedisSentinelKind(
  version: number,
  redis: (options: Options) => IoRedisLifecycle & IoRedisClient,
): SentinelKind {
  return {
    name: `ioredis ${version} new Redis({ sentinels })`,
    library: "ioredis",
    current: version === 5,
    connect: (ports, name) =>
      ioRedisConnected(redis({ sentinels: nodesOf(ports), name, ...IOREDIS_NEEDS })),
  };
}

/** Every Sentinel client: node-redis 6 and 5, ioredis 5 and 6. */
export const SENTINEL_KINDS: readonly SentinelKind[] = [
  nodeRedisSentinelKind(6, createSentinel),
  nodeRedisSentinelKind(5, createSentinel5),
  ioRedisSentinelKind(5, (options) => new IoRedis5(options)),
  ioRedisSentinelKind(6, (options) => new IoRedis6(options)),
];
