// Section 6 of `npm run bench`: RedisStore beside connect-redis, through the express-session
// Store API, one call at a time and many in flight.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { RedisStore as ConnectRedisStore } from "connect-redis";
import type session from "express-session";
import { Redis } from "ioredis";
import { createClient } from "redis";
import { ExpressSessionStore } from "../src/express";
import { RedisStore } from "../src/redis";
import { verdict } from "./paired";
import { formatCount, formatRatio, progress, table } from "./report";
import { newTokens, ONE_HOUR_MS, QUICK, SESSION_BYTES } from "./settings";

/** Calls kept in flight together in the concurrent runs. */
export const IN_FLIGHT = 50;
const OPERATIONS = ["get", "set", "touch"] as const;
type Operation = (typeof OPERATIONS)[number];

const RUN = QUICK
  ? { liveSessions: 1_000, callsPerRun: 500, rounds: 2 }
  : { liveSessions: 10_000, callsPerRun: 2_000, rounds: 20 };

/** One express-session store under test. */
interface Contender {
  readonly name: string;
  readonly store: session.Store;
}

/**
 * A session as express-session hands it to a store (its cookie serialised as `Cookie#toJSON`
 * does), whose JSON is {@link SESSION_BYTES} long.
 */
function storedSession(): session.SessionData {
  const cookie = {
    originalMaxAge: ONE_HOUR_MS,
    expires: new Date(Date.now() + ONE_HOUR_MS), // a Date, as express-session's Cookie holds it
    httpOnly: true,
    path: "/",
  };
  const skeleton = JSON.stringify({ cookie, message: "" }).length;
  return {
    cookie,
    message: "x".repeat(SESSION_BYTES - skeleton),
  } as unknown as session.SessionData;
}

type Callback = (error?: unknown, value?: unknown) => void;
const promised = (call: (callback: Callback) => void) =>
  new Promise<unknown>((resolve, reject) =>
    call((error, value) => (error ? reject(error) : resolve(value))),
  );

/** One express-session call of `operation` on `sid`. */
function callOf(store: session.Store, operation: Operation, stored: session.SessionData) {
  switch (operation) {
    case "get":
      return (sid: string) => promised((cb) => store.get(sid, cb));
    case "set":
      return (sid: string) => promised((cb) => store.set(sid, stored, cb));
    case "touch":
      return (sid: string) => promised((cb) => store.touch?.(sid, stored, cb));
  }
}

/** `count` calls over `sids` in turn, `inFlight` at a time; resolves with the time they took. */
async function timeCalls(
  call: (sid: string) => Promise<unknown>,
  sids: string[],
  inFlight: number,
  count: number,
): Promise<number> {
  let next = 0;
  const startedMs = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await call(sids[next++ % sids.length] as string);
    }),
  );
  return performance.now() - startedMs;
}

/** Fills a contender with live sessions, and checks that it does what it is timed doing. */
async function prepare(contender: Contender, sids: string[], stored: session.SessionData) {
  const set = callOf(contender.store, "set", stored);
  for (let i = 0; i < sids.length; i += 500) await Promise.all(sids.slice(i, i + 500).map(set));
  const found = (await callOf(contender.store, "get", stored)(sids[0] as string)) as {
    message?: string;
  } | null;
  if (found?.message !== (stored as { message?: string }).message) {
    throw new Error(`${contender.name}: a stored session does not come back`);
  }
}

/**
 * connect-redis and RedisStore on one node-redis client, and RedisStore on ioredis (with its
 * default options, and with `enableAutoPipelining`): each operation one call at a time and
 * {@link IN_FLIGHT} in flight. Each figure adds up many short runs, the contenders taken in turn
 * (each round starting one further on), so that a slow spell of a shared machine falls on all.
 *
 * @returns The section's title, text and table, for `bench/index.ts`.
 */
export async function redisSection(redisUrl: string): Promise<[string, string, string]> {
  const logError = (error: Error) => console.error(`Redis: ${error.message}`);
  const nodeRedis = await createClient({ url: redisUrl }).on("error", logError).connect();
  // What RedisStore needs of an ioredis client: no offline queue, no resending.
  const needed = { enableOfflineQueue: false, autoResendUnfulfilledCommands: false };
  const ioredis = new Redis(redisUrl, needed).on("error", logError);
  const pipelining = new Redis(redisUrl, { ...needed, enableAutoPipelining: true }).on(
    "error",
    logError,
  );
  const contenders: Contender[] = [
    { name: "connect-redis, node-redis", store: new ConnectRedisStore({ client: nodeRedis }) },
    { name: "RedisStore, node-redis", store: new ExpressSessionStore(new RedisStore(nodeRedis)) },
    { name: "RedisStore, ioredis", store: new ExpressSessionStore(new RedisStore(ioredis)) },
    {
      name: "RedisStore, ioredis auto-pipelining",
      store: new ExpressSessionStore(new RedisStore(pipelining)),
    },
  ];
  const stored = storedSession();
  const sids = newTokens(RUN.liveSessions);
  const elapsedMs = new Map<string, number>();
  const key = (name: string, operation: Operation, inFlight: number) =>
    `${name}|${operation}|${inFlight}`;
  try {
    for (const contender of contenders) await prepare(contender, sids, stored);
    for (let round = 1; round <= RUN.rounds; round++) {
      const shift = (round - 1) % contenders.length;
      const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
      for (const inFlight of [1, IN_FLIGHT]) {
        progress(`Redis round ${round}/${RUN.rounds}: get, set, touch, ${inFlight} in flight`);
        for (const operation of OPERATIONS) {
          for (const { name, store } of order) {
            const call = callOf(store, operation, stored);
            const ms = await timeCalls(call, sids, inFlight, RUN.callsPerRun);
            const runKey = key(name, operation, inFlight);
            elapsedMs.set(runKey, (elapsedMs.get(runKey) ?? 0) + ms);
          }
        }
      }
    }
  } finally {
    await nodeRedis.flushDb();
    await nodeRedis.quit();
    ioredis.disconnect();
    pipelining.disconnect();
  }

  const calls = RUN.callsPerRun * RUN.rounds;
  const rateOf = (name: string, operation: Operation, inFlight: number) =>
    (calls * 1_000) / (elapsedMs.get(key(name, operation, inFlight)) ?? Number.NaN);
  const [baseline, ...others] = contenders.map((contender) => contender.name);
  const rows = [1, IN_FLIGHT].flatMap((inFlight) =>
    OPERATIONS.map((operation) => {
      const base = rateOf(baseline as string, operation, inFlight);
      const cells = others.map((name) => {
        const rate = rateOf(name, operation, inFlight);
        return `${formatCount(rate)}/s (${formatRatio(rate, base)})`;
      });
      return [`${operation}, ${inFlight} in flight`, `${formatCount(base)}/s`, ...cells];
    }),
  );
  return [
    "6. RedisStore beside connect-redis",
    "Calls per second through the express-session Store API (`get` of a live session, `set` of a " +
      `stored one, \`touch\`), as express-session makes them, with sessions whose JSON is ${SESSION_BYTES} bytes; ` +
      `one call at a time, then ${IN_FLIGHT} in flight as a busy server has them. connect-redis ${versionOf("connect-redis")} ` +
      `and RedisStore share one client of node-redis ${versionOf("redis")} (default options); then RedisStore on ` +
      `ioredis ${versionOf("ioredis")}, with its default options and with \`enableAutoPipelining: true\`. Each ` +
      `figure is ${RUN.rounds} runs of ${RUN.callsPerRun.toLocaleString("en-US")} calls added up, the ` +
      "contenders taken in turn; in brackets, the ratio to connect-redis. A local redis-server, on loopback.",
    table(["", ...contenders.map((contender) => contender.name)], rows),
  ];
}

/** The installed version of package `name`. */
function versionOf(name: string): string {
  for (let dir = dirname(require.resolve(name)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (!existsSync(manifest)) continue;
    const { name: found, version } = JSON.parse(readFileSync(manifest, "utf8"));
    if (found === name) return version;
  }
  return "(unknown version)";
}

/** Plain commands, as RedisStore sent them before sticky delete, beside what it sends now. */
type CostRow = readonly [
  label: string,
  plain: (token: string) => Promise<unknown>,
  store: (token: string) => Promise<unknown>,
];

/**
 * What sticky delete and the owner index cost: each operation as one plain command (what the
 * store sent before: `SET … PXAT`, `GET`, `DEL`) beside RedisStore's scripts, on one node-redis
 * client, one call at a time and {@link IN_FLIGHT} in flight, the pair taken in turn in each
 * round. Deletes run over sessions saved for them, each deleted once.
 *
 * @returns The table's title, text and table.
 */
export async function stickyCostSection(redisUrl: string): Promise<[string, string, string]> {
  const client = await createClient({ url: redisUrl })
    .on("error", () => {})
    .connect();
  const store = new RedisStore(client);
  const data = Buffer.alloc(SESSION_BYTES, 120);
  const expiry = () => new Date(Date.now() + ONE_HOUR_MS);
  const pxat = () => String(Date.now() + ONE_HOUR_MS);
  const calls = QUICK ? 1_000 : 5_000;
  const rounds = QUICK ? 2 : 5;
  let fresh = 0;
  const freshTokens = (n: number) => Array.from({ length: n }, () => `del-${fresh++}`);
  const rows: CostRow[] = [
    [
      "save",
      (t) => client.sendCommand(["SET", `scs:session:${t}`, data, "PXAT", pxat()]),
      (t) => store.save(t, data, expiry()),
    ],
    [
      "save with an owner",
      (t) => client.sendCommand(["SET", `scs:session:o-${t}`, data, "PXAT", pxat()]),
      (t) => store.save(`o-${t}`, data, expiry(), `owner-${t.charCodeAt(t.length - 1) % 97}`),
    ],
    ["find", (t) => client.sendCommand(["GET", `scs:session:${t}`]), (t) => store.find(t)],
    ["delete", (t) => client.sendCommand(["DEL", `scs:session:${t}`]), (t) => store.delete(t)],
  ];
  const elapsed = new Map<string, number>();
  try {
    const sids = newTokens(1_000);
    for (const sid of sids) await store.save(sid, data, expiry());
    for (let round = 0; round < rounds; round++) {
      for (const inFlight of [1, IN_FLIGHT]) {
        progress(`Redis sticky-delete cost, round ${round + 1}/${rounds}, ${inFlight} in flight`);
        for (const [label, plain, scripted] of rows) {
          const pair =
            round % 2 === 0
              ? ([
                  ["plain", plain],
                  ["store", scripted],
                ] as const)
              : ([
                  ["store", scripted],
                  ["plain", plain],
                ] as const);
          for (const [which, call] of pair) {
            let tokens = sids;
            if (label === "delete") {
              tokens = freshTokens(calls);
              for (let i = 0; i < tokens.length; i += 500) {
                await Promise.all(
                  tokens.slice(i, i + 500).map((t) => store.save(t, data, expiry())),
                );
              }
            }
            const ms = await timeCalls(call, tokens, inFlight, calls);
            const k = `${label}|${inFlight}|${which}`;
            elapsed.set(k, (elapsed.get(k) ?? 0) + ms);
          }
        }
      }
    }
  } finally {
    await client.flushDb();
    await client.close();
  }
  const rate = (k: string) => (calls * rounds * 1_000) / (elapsed.get(k) ?? Number.NaN);
  const us = (k: string) => (1_000 / rate(k)) * 1_000;
  const tableRows = [1, IN_FLIGHT].flatMap((inFlight) =>
    rows.map(([label]) => {
      const plain = rate(`${label}|${inFlight}|plain`);
      const scripted = rate(`${label}|${inFlight}|store`);
      const extra = us(`${label}|${inFlight}|store`) - us(`${label}|${inFlight}|plain`);
      return [
        `${label}, ${inFlight} in flight`,
        `${formatCount(plain)}/s`,
        `${formatCount(scripted)}/s (${formatRatio(scripted, plain)})`,
        `${extra.toFixed(1)} µs`,
      ];
    }),
  );
  // The goal: RedisStore's extra time per call, one call at a time, within one round trip (the
  // plain command's time per call). The worst row decides.
  const [worstLabel, worstExtra, roundTrip] = rows
    .map(([label]) => {
      const plainUs = us(`${label}|1|plain`);
      return [label, us(`${label}|1|store`) - plainUs, plainUs] as const;
    })
    .reduce((a, b) => (b[1] - b[2] > a[1] - a[2] ? b : a));
  const micro = (value: number) => `${value.toFixed(1)} µs`;
  const goal =
    ` Goal: within one round trip of the plain command, one call at a time: the largest extra is ${micro(worstExtra)} (${worstLabel}) ` +
    `against a round trip of ${micro(roundTrip)}, ${verdict(worstExtra, roundTrip, true, micro)}.`;
  return [
    "6b. What sticky delete and the owner index cost on Redis",
    `Calls per second on one node-redis ${versionOf("redis")} client: one plain command each (\`SET … PXAT\`, \`GET\`, \`DEL\`, what RedisStore sent before deletes were sticky) beside RedisStore's call (one script on the key; a save with an owner is one script on the session and the owner's index, this being one server, where a cluster runs two). ${rounds} rounds of ${calls.toLocaleString("en-US")} calls added up, the pair taken in turn; the last column is the extra time per call (at ${IN_FLIGHT} in flight, per call of the throughput). A local redis-server, on loopback.${goal}`,
    table(["", "plain command", "RedisStore", "extra per call"], tableRows),
  ];
}
