import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { freePort, type RedisServer, requireRedis, startRedisServer } from "./redis-server";

const run = promisify(execFile);

/** One node of a spec cluster. */
export interface ClusterNode {
  readonly host: string;
  readonly port: number;
  /** What the node was made when the cluster formed. */
  readonly role: "master" | "replica";
  /** Whether its redis-server is running. */
  readonly running: boolean;
  /** Stops its redis-server (its cluster configuration stays on disk). */
  stop(): Promise<void>;
  /**
   * Starts its redis-server again on the same port. When every other node runs too, waits until
   * the cluster is whole again.
   */
  start(): Promise<void>;
}

/** A Redis Cluster of the specs' own, on loopback ports, persistence off. */
export interface RedisCluster {
  readonly nodes: readonly ClusterNode[];
  /** The ports of the masters. */
  readonly masterPorts: readonly number[];
  /** The master that holds `key`'s slot. */
  masterOf(key: string): Promise<ClusterNode>;
  /** Empties every master (`FLUSHALL` on each). */
  flush(): Promise<void>;
  /** Stops every node and removes its files. */
  stop(): Promise<void>;
}

/** `redis-cli` against one node; resolves with what it printed. */
async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args]);
  return stdout;
}

/** The flags (`myself,master`) of every node in a `CLUSTER NODES` answer, by port. */
function flagsByPort(clusterNodes: string): Map<number, string[]> {
  const flags = new Map<number, string[]>();
  for (const line of clusterNodes.split("\n").filter(Boolean)) {
    const [, address = "", nodeFlags = ""] = line.split(" ");
    flags.set(Number(/:(\d+)@/.exec(address)?.[1]), nodeFlags.split(","));
  }
  return flags;
}

/** What one node says of the cluster: whether it is whole there, and if not, why. */
async function viewOf(port: number, masters: number): Promise<string | undefined> {
  const [info, nodes, replication] = await Promise.all(
    ["CLUSTER INFO", "CLUSTER NODES", "INFO replication"].map((command) =>
      cli(port, ...command.split(" ")).catch((error: Error) => `unreachable: ${error.message}`),
    ),
  );
  if ((info as string).startsWith("unreachable")) return `${port}: ${info}`;
  const flags = [...flagsByPort(nodes as string).values()];
  const mastersSeen = flags.filter((f) => f.includes("master")).length;
  const problems = [
    (info as string).includes("cluster_state:ok") ? "" : "cluster_state not ok",
    mastersSeen === masters ? "" : `${mastersSeen} masters of ${flags.length} nodes`,
    flags.some((f) => f.some((flag) => flag.startsWith("fail"))) ? "a node failing" : "",
    (replication as string).includes("master_link_status:down") ? "master link down" : "",
  ].filter(Boolean);
  return problems.length === 0 ? undefined : `${port}: ${problems.join(", ")}`;
}

/**
 * Resolves once every node of `ports` says the cluster is ok, sees `masters` masters and no node
 * failing, and every replica's link to its master is up. Every 5 s until then, `meet` (when
 * given) introduces the nodes to each other again, in case a handshake was lost. Rejects after
 * 30 s with what each node that is not whole says.
 */
async function waitUntilWhole(
  ports: readonly number[],
  masters: number,
  meet?: () => Promise<void>,
): Promise<void> {
  const startedMs = Date.now();
  let metMs = startedMs;
  for (;;) {
    const views = await Promise.all(ports.map((port) => viewOf(port, masters)));
    const problems = views.filter((view) => view !== undefined);
    if (problems.length === 0) return;
    if (Date.now() - startedMs > 30_000) {
      throw new Error(`the cluster on ${ports.join(", ")} did not form: ${problems.join("; ")}`);
    }
    if (meet !== undefined && Date.now() - metMs > 5_000) {
      metMs = Date.now();
      await meet();
    }
    await sleep(50);
  }
}

/** The shape of a spec cluster. */
export interface RedisClusterOptions {
  /** Default: 3. */
  masters?: number;
  /** Replicas of each master. Default: 0. They never take over from their master. */
  replicas?: number;
  /**
   * `cluster-node-timeout`, in ms: how long a node may not answer before the others mark it
   * failed. Default: Redis's own 15 s, so that a busy machine never fails a node that is up.
   * Specs that stop nodes ask for less (1 s), so that a stopped node is marked failed, and a
   * restarted one accepted back, within the few seconds a spec can wait.
   */
  nodeTimeoutMs?: number;
}

/**
 * Starts a Redis Cluster (each cluster bus on a free port of its own) and joins it with
 * `redis-cli --cluster create`. Resolves once every node sees the whole cluster.
 *
 * A replica never fails over (`cluster-replica-no-failover`): on a busy machine it could take over
 * from a master that was merely slow to answer, losing the writes the master had acknowledged but
 * not yet sent it, and the specs would read a store's older state.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const { masters = 3, replicas = 0, nodeTimeoutMs = 15_000 } = options;
  const count = masters * (1 + replicas);
  const dirs = await Promise.all(
    Array.from({ length: count }, () => mkdtemp(join(tmpdir(), "scs-cluster-"))),
  );
  const ports = await Promise.all(dirs.map(() => freePort()));
  const busPorts = await Promise.all(dirs.map(() => freePort()));
  const argsOf = (i: number) => [
    "--cluster-enabled",
    "yes",
    "--cluster-port",
    String(busPorts[i]),
    "--cluster-config-file",
    "nodes.conf",
    "--cluster-node-timeout",
    String(nodeTimeoutMs),
    "--cluster-replica-no-failover",
    "yes",
    // A replica's first sync starts at once, not after the default 5 s wait for more replicas.
    "--repl-diskless-sync-delay",
    "0",
    "--dir",
    dirs[i] as string,
  ];
  const servers: (RedisServer | undefined)[] = await Promise.all(
    ports.map((port, i) => startRedisServer({ port, args: argsOf(i) })),
  );
  // Every node meets every other again: a no-op for nodes that know each other.
  const meet = async () => {
    const meetings = ports.flatMap((port, i) =>
      ports.map((peer, j) =>
        i === j
          ? Promise.resolve("")
          : cli(port, "CLUSTER", "MEET", "127.0.0.1", String(peer), String(busPorts[j])).catch(
              () => "",
            ),
      ),
    );
    await Promise.all(meetings);
  };
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server?.stop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  let roles: Map<number, string[]>;
  try {
    await run("redis-cli", [
      "--cluster",
      "create",
      ...ports.map((port) => `127.0.0.1:${port}`),
      "--cluster-replicas",
      String(replicas),
      "--cluster-yes",
    ]);
    await waitUntilWhole(ports, masters, meet);
    roles = flagsByPort(await cli(ports[0] as number, "CLUSTER", "NODES"));
  } catch (error) {
    await stopAll();
    throw error;
  }

  const nodes = ports.map(
    (port, i): ClusterNode => ({
      host: "127.0.0.1",
      port,
      role: roles.get(port)?.includes("master") ? "master" : "replica",
      get running() {
        return servers[i] !== undefined;
      },
      stop: async () => {
        await servers[i]?.stop();
        servers[i] = undefined;
      },
      start: async () => {
        servers[i] ??= await startRedisServer({ port, args: argsOf(i) });
        if (servers.every(Boolean)) await waitUntilWhole(ports, masters, meet);
      },
    }),
  );
  const masterPorts = nodes.filter((node) => node.role === "master").map((node) => node.port);
  const running = () => nodes.find((node) => node.running) as ClusterNode;
  return {
    nodes,
    masterPorts,
    masterOf: async (key) => {
      const slot = Number(await cli(running().port, "CLUSTER", "KEYSLOT", key));
      const lines = (await cli(running().port, "CLUSTER", "NODES")).split("\n");
      for (const line of lines) {
        const [, address = "", , , , , , , ...ranges] = line.split(" ");
        const inRange = ranges.some((range) => {
          const [first = -1, last = first] = range.split("-").map(Number);
          return slot >= first && slot <= last;
        });
        if (inRange) return nodes.find((node) => address.includes(`:${node.port}@`)) as ClusterNode;
      }
      throw new Error(`no master holds slot ${slot} of ${key}`);
    },
    flush: async () => {
      await Promise.all(masterPorts.map((port) => cli(port, "FLUSHALL")));
    },
    stop: stopAll,
  };
}

/**
 * In a `describe`, starts one Redis Cluster for its specs and stops it after. Without
 * redis-server or redis-cli the specs are pending, with a hint how to install them; under CI
 * (`CI` set) they fail instead.
 */
export function useRedisCluster(options: RedisClusterOptions = {}): () => RedisCluster {
  let cluster: RedisCluster | undefined;
  before(async function () {
    requireRedis(this, ["redis-server", "redis-cli"]);
    this.timeout(60_000);
    cluster = await startRedisCluster(options);
  });
  after(async () => {
    await cluster?.stop();
  });
  return () => cluster as RedisCluster;
}
