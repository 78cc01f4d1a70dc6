import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  connect,
  freePort,
  type RedisServer,
  requireRedis,
  startRedisServer,
} from "./redis-server";

/** The name the sentinels monitor the master under. */
export const SENTINEL_MASTER_NAME = "scs";

/**
 * How long a sentinel waits before it calls a silent master down, once a spec is about to kill
 * the master ({@link RedisSentinelSet.killMaster}): short, so that a failover comes within the
 * few seconds a spec can wait (Redis's default is 30 s).
 */
export const DOWN_AFTER_MS = 2_000;
/**
 * The same wait until then: long, so that a busy machine never brings a failover no spec asked
 * for. A sentinel kept off the processor for a couple of seconds finds its last answer from the
 * master that old, and calls it down; the failover then demotes the master, drops its clients in
 * the middle of other specs, and loses the writes the replica had not yet received.
 */
const QUIET_DOWN_AFTER_MS = 60_000;
/** Sentinel's `failover-timeout`: a failed election is tried again after twice this. */
export const FAILOVER_TIMEOUT_MS = 1_000;

/** A master, its replica and three sentinels (quorum 2) of the specs' own, on loopback ports. */
export interface RedisSentinelSet {
  /** The ports of the three sentinels: what a Sentinel client is given. */
  readonly sentinelPorts: readonly number[];
  /** The ports of the master and its replica, in that order, as they were started. */
  readonly dataPorts: readonly [master: number, replica: number];
  /** The port of the master as the sentinels name it now. */
  masterPort(): Promise<number>;
  /**
   * Kills the master as it was started (SIGKILL: no shutdown, no last sync to the replica), once
   * every sentinel calls a master down after {@link DOWN_AFTER_MS}.
   */
  killMaster(): Promise<void>;
  /** Resolves once a sentinel names the replica master and it answers as one. */
  promoted(withinMs: number): Promise<void>;
  /** Waits until the replica has every write the master has taken (`WAIT 1`). */
  replicated(): Promise<void>;
  /** Sends a raw command to the master the sentinels name now. */
  raw(args: (string | Buffer)[]): Promise<unknown>;
  /** Stops every process and removes their files. */
  stop(): Promise<void>;
}

/** One question to the server on `port`, on a connection of its own. */
async function ask(port: number, args: (string | Buffer)[]): Promise<unknown> {
  const client = await connect(`redis://127.0.0.1:${port}`);
  try {
    return await client.sendCommand(args);
  } finally {
    client.destroy();
  }
}

/** Asks `check` every 50 ms until it answers true; rejects after `withinMs`. */
async function until(what: string, withinMs: number, check: () => Promise<boolean>) {
  const deadline = Date.now() + withinMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${withinMs} ms`);
    await sleep(50);
  }
}

/** `SENTINEL MASTER`'s answer (a map in RESP3, a flat array in RESP2) as a record. */
function fieldsOf(reply: unknown): Record<string, unknown> {
  if (!Array.isArray(reply)) return reply as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (let i = 0; i + 1 < reply.length; i += 2) fields[String(reply[i])] = reply[i + 1];
  return fields;
}

/**
 * Starts the master, then its replica, then (once the replica has synced, so that each sentinel
 * sees it in its first look at the master rather than ten seconds later) three sentinels, and
 * resolves once every sentinel knows the replica and the two other sentinels.
 */
export async function startRedisSentinelSet(): Promise<RedisSentinelSet> {
  const dir = await mkdtemp(join(tmpdir(), "scs-sentinel-"));
  const servers: RedisServer[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    // A replica's first sync starts at once, not after the default 5 s wait for more replicas.
    const noDelay = ["--repl-diskless-sync-delay", "0"];
    const master = await startRedisServer({ args: noDelay });
    servers.push(master);
    const replica = await startRedisServer({
      args: [...noDelay, "--replicaof", "127.0.0.1", String(master.port)],
    });
    servers.push(replica);
    await until("the replica's first sync", 10_000, async () =>
      String(await ask(replica.port, ["INFO", "replication"])).includes("master_link_status:up"),
    );
    const sentinelPorts = await Promise.all([0, 1, 2].map(() => freePort()));
    const sentinels = await Promise.all(
      sentinelPorts.map(async (port) => {
        const config = join(dir, `sentinel-${port}.conf`);
        await writeFile(
          config,
          [
            `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${master.port} 2`,
            `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} ${QUIET_DOWN_AFTER_MS}`,
            `sentinel failover-timeout ${SENTINEL_MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
            "",
          ].join("\n"),
        );
        return startRedisServer({
          port,
          config,
          args: ["--sentinel", "--dir", dir],
          readyLine: "+monitor master",
        });
      }),
    );
    servers.push(...sentinels);
    await until("the sentinels' view of each other", 15_000, async () => {
      const views = await Promise.all(
        sentinelPorts.map(async (port) =>
          fieldsOf(await ask(port, ["SENTINEL", "MASTER", SENTINEL_MASTER_NAME])),
        ),
      );
      return views.every(
        (view) => view["num-slaves"] === "1" && view["num-other-sentinels"] === "2",
      );
    });

    const masterPort = async () => {
      for (const port of sentinelPorts) {
        const named = await ask(port, [
          "SENTINEL",
          "GET-MASTER-ADDR-BY-NAME",
          SENTINEL_MASTER_NAME,
        ]).catch(() => undefined);
        if (Array.isArray(named)) return Number(named[1]);
      }
      throw new Error("no sentinel names a master");
    };
    return {
      sentinelPorts,
      dataPorts: [master.port, replica.port],
      masterPort,
      killMaster: async () => {
        await Promise.all(
          sentinelPorts.map((port) =>
            ask(port, [
              "SENTINEL",
              "SET",
              SENTINEL_MASTER_NAME,
              "down-after-milliseconds",
              String(DOWN_AFTER_MS),
            ]),
          ),
        );
        await master.stop("SIGKILL");
      },
      promoted: (withinMs) =>
        until("the replica's promotion", withinMs, async () => {
          if ((await masterPort()) !== replica.port) return false;
          const role = (await ask(replica.port, ["ROLE"])) as unknown[];
          return role[0] === "master";
        }),
      replicated: async () => {
        const acknowledged = await ask(await masterPort(), ["WAIT", "1", "5000"]);
        if (acknowledged !== 1) throw new Error("the replica did not acknowledge every write");
      },
      raw: async (args) => ask(await masterPort(), args),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * In a `describe`, starts one {@link RedisSentinelSet} for its specs and stops it after. Without
 * redis-server the specs are pending, with a hint how to install it; under CI (`CI` set) they
 * fail instead.
 */
export function useRedisSentinelSet(): () => RedisSentinelSet {
  let set: RedisSentinelSet | undefined;
  before(async function () {
    requireRedis(this, ["redis-server"]);
    this.timeout(30_000);
    set = await startRedisSentinelSet();
  });
  after(async () => {
    await set?.stop();
  });
  return () => set as RedisSentinelSet;
}
