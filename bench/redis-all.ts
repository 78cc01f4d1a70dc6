// Section 6c of `npm run bench`: how long RedisStore's `all()` takes, on one redis-server and on
// a local Redis Cluster of 3 masters, through each client library.

import { CLIENT_KINDS } from "../spec/support/redis-clients";
import { startRedisCluster } from "../spec/support/redis-cluster";
import { connect } from "../spec/support/redis-server";
import { RedisStore } from "../src/redis";
import { progress, table } from "./report";
import { newTokens, ONE_HOUR_MS, PAYLOAD, QUICK } from "./settings";

/** Sessions stored before each `all()`. */
const SIZES = QUICK ? [1_000, 10_000] : [10_000, 100_000];
/** Calls of `all()` at each size on each client; the median is reported. */
const ROUNDS = QUICK ? 1 : 3;
/** The client kinds measured: one plain client and one cluster client of each library. */
const KINDS = CLIENT_KINDS.filter((kind) =>
  /^(node-redis 6 create(Client|Cluster)|ioredis 5 new (Redis|Cluster))\(\)$/.test(kind.name),
);

const seconds = (ms: number) => `${(ms / 1_000).toFixed(2)} s`;

/**
 * The median of `all()`'s time over {@link ROUNDS} calls after one that is not timed, checking
 * that each lists every session.
 */
async function timeAll(store: RedisStore, expected: number): Promise<number> {
  await store.all(); // warm-up: the servers load the scripts, the clients open their connections
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const sessions = await store.all();
    times.push(performance.now() - started);
    if (sessions.size !== expected) {
      throw new Error(`all() listed ${sessions.size} sessions, not ${expected}`);
    }
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

/**
 * `all()` at each size, on the redis-server at `redisUrl` and on a cluster started for it.
 *
 * @returns The section's title, text and table.
 */
export async function allSection(redisUrl: string): Promise<[string, string, string]> {
  const serverPort = Number(new URL(redisUrl).port);
  const cluster = await startRedisCluster();
  const rows: string[][] = [];
  try {
    for (const kind of KINDS) {
      const ports = kind.cluster ? cluster.masterPorts : [serverPort];
      const { client, close } = await kind.connect(ports);
      try {
        const store = new RedisStore(client, { prefix: "bench-all:" });
        const cells = [`${kind.name}, ${kind.cluster ? "3-master cluster" : "one server"}`];
        let stored = 0;
        for (const size of SIZES) {
          progress(`RedisStore all(): ${kind.name}, ${size.toLocaleString("en-US")} sessions`);
          const expiry = new Date(Date.now() + ONE_HOUR_MS);
          const tokens = newTokens(size - stored);
          for (let i = 0; i < tokens.length; i += 1_000) {
            await Promise.all(
              tokens.slice(i, i + 1_000).map((token) => store.save(token, PAYLOAD, expiry)),
            );
          }
          stored = size;
          cells.push(seconds(await timeAll(store, size)));
        }
        rows.push(cells);
      } finally {
        await (kind.cluster ? cluster.flush() : flushServer(redisUrl));
        await close();
      }
    }
  } finally {
    await cluster.stop();
  }
  const text =
    `\`all()\` on a store holding that many sessions of ${PAYLOAD.length} bytes (the median of ${ROUNDS} calls after one untimed, each checked to list every session), ` +
    "on the local redis-server and on a local Redis Cluster of 3 masters started for this section, through a plain client and a cluster client of each library. " +
    "On one server, `all()` walks the keys with `SCAN` and reads each batch with one script; on a cluster, it walks every master with `SCAN` and reads each session with a script of its own, a batch's in flight together, since a script on keys of several slots fails.";
  return [
    "6c. RedisStore `all()` on one server and on a cluster",
    text,
    table(
      ["client, deployment", ...SIZES.map((s) => `${s.toLocaleString("en-US")} sessions`)],
      rows,
    ),
  ];
}

/** Empties the one server, as the other Redis sections leave it. */
async function flushServer(redisUrl: string): Promise<void> {
  const client = await connect(redisUrl);
  try {
    await client.flushDb();
  } finally {
    await client.close();
  }
}
