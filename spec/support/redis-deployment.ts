import { createCluster } from "redis";
import { type RedisClusterOptions, useRedisCluster } from "./redis-cluster";
import { useRedisServer } from "./redis-server";

/** A Redis deployment of the specs' own, seen from outside any store. */
export interface Deployment {
  /** What a client connects to: the server's port, or the port of every master. */
  readonly ports: readonly number[];
  /** The port of every node, replicas included. */
  readonly allPorts: readonly number[];
  /** Sends a raw command, routed to the master of its key (`args[1]`) on a cluster. */
  raw(args: (string | Buffer)[], asBytes?: boolean): Promise<unknown>;
  /** Empties every master. */
  flush(): Promise<void>;
  /** How many keys each master holds (`DBSIZE`), in the order of `ports`. */
  keyCounts(): Promise<number[]>;
}

const AS_BYTES = { typeMapping: { 36: Buffer } };

/** In a `describe`: one redis-server for its specs (see {@link useRedisServer}). */
export function useServerDeployment(): () => Deployment {
  const redis = useRedisServer();
  return () => {
    const port = Number(new URL(redis.url()).port);
    const client = redis.client();
    return {
      ports: [port],
      allPorts: [port],
      raw: (args, asBytes) => client.sendCommand(args, asBytes ? AS_BYTES : undefined),
      flush: async () => {
        await client.flushAll();
      },
      keyCounts: async () => [await client.dbSize()],
    };
  };
}

/** In a `describe`: one Redis Cluster for its specs (see {@link useRedisCluster}). */
export function useClusterDeployment(options: RedisClusterOptions = {}): () => Deployment {
  const cluster = useRedisCluster(options);
  let inspector: ReturnType<typeof createCluster> | undefined;
  before(async () => {
    inspector = createCluster({
      rootNodes: cluster().masterPorts.map((port) => ({ url: `redis://127.0.0.1:${port}` })),
    });
    inspector.on("error", () => {});
    await inspector.connect();
  });
  after(async () => {
    inspector?.destroy();
  });
  return () => {
    const client = inspector as NonNullable<typeof inspector>;
    return {
      ports: cluster().masterPorts,
      allPorts: cluster().nodes.map((node) => node.port),
      raw: (args, asBytes) =>
        client.sendCommand(args[1], false, args, asBytes ? AS_BYTES : undefined),
      flush: async () => {
        await Promise.all(
          client.masters.map(async (master) => (await client.nodeClient(master)).flushAll()),
        );
      },
      keyCounts: () =>
        Promise.all(
          cluster().masterPorts.map(async (port) => {
            const master = client.masters.find((node) => node.port === port);
            return (await client.nodeClient(master as (typeof client.masters)[number])).dbSize();
          }),
        ),
    };
  };
}
