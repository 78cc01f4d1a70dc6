// `npm run bench`: every figure in docs/benchmarks.md, measured side by side in one run.
// `BENCH_QUICK=1 npm run bench` runs the same sections on smaller numbers and writes nothing.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  connect,
  type RedisServer,
  redisServerAvailable,
  startRedisServer,
} from "../spec/support/redis-server";
import { RedisStore } from "../src/redis";
import { boundRequestSection } from "./adapters-inject";
import { boundCostTable } from "./bound-cost";
import { runChild } from "./child";
import { codecCostTable } from "./codec-cost";
import { HTTP_APPS, HTTP_CONNECTIONS, type HttpResult, measureHttp } from "./http";
import { shardCostSection, stickyOwnerSection } from "./mem-cost";
import { sessionsOfSection } from "./mem-sessions-of";
import { memStallSection } from "./mem-stall";
import { measureOperations, type OperationRates, STORE_OPERATIONS } from "./operations";
import { PAIRED_FIGURE } from "./paired";
import { PEERS, type PeerName } from "./peers";
import { redisSection, stickyCostSection } from "./redis";
import { allSection } from "./redis-all";
import { formatCount, formatRatio, machine, progress, table } from "./report";
import { BATCH, ONE_HOUR_MS, PAYLOAD, QUICK, SESSION_BYTES, SETTINGS } from "./settings";

const STORE_PEERS: PeerName[] = [
  "MemStore",
  "MemStore with maxSessions",
  "node-cache by hand",
  "Map with expiry checks",
  "express-session MemoryStore",
  "memorystore",
  "RedisStore",
];
const EXPRESS_PEERS: PeerName[] = [
  "ExpressSessionStore(MemStore)",
  "express-session MemoryStore",
  "memorystore",
  "ExpressSessionStore(RedisStore)",
];
const MEMORY_PEERS: PeerName[] = STORE_PEERS.filter((name) => name !== "RedisStore");
const EXPRESS_LABELS = ["set new", "set update", "get hit", "get miss", "touch", "destroy"];

const count = (n: number) => n.toLocaleString("en-US");
const sections: string[] = [];

function section(title: string, text: string, body: string): void {
  const rendered = `## ${title}\n\n${text}\n\n${body}\n`;
  sections.push(rendered);
  console.log(`\n${rendered}`);
}

async function operationsTable(
  peers: PeerName[],
  redisUrl: string | undefined,
  labels: readonly string[],
) {
  const measured = peers.filter((name) => redisUrl !== undefined || !name.includes("RedisStore"));
  // Rounds go through every peer in turn, each round starting one peer further on, so that a
  // slow spell of the machine lands on different peers; each figure is the median of its rounds.
  const rounds = new Map<string, OperationRates[]>(measured.map((name) => [name, []]));
  for (let round = 1; round <= SETTINGS.operationRounds; round++) {
    const shift = (round - 1) % measured.length;
    for (const name of [...measured.slice(shift), ...measured.slice(0, shift)]) {
      progress(
        `round ${round}/${SETTINGS.operationRounds}, ${name}: ${labels.join(", ")} with ${count(SETTINGS.liveSessions)} live sessions`,
      );
      const peer = await PEERS[name](redisUrl ?? "");
      rounds.get(name)?.push(await measureOperations(peer));
      await peer.close();
    }
  }
  const rates = new Map<string, OperationRates>();
  for (const [name, runs] of rounds) {
    const rate = {} as OperationRates;
    for (const op of STORE_OPERATIONS) rate[op] = median(runs.map((run) => run[op]));
    rates.set(name, rate);
  }
  const baseline = rates.values().next().value as OperationRates;
  const rows = [...rates].map(([name, rate]) => [
    name,
    ...STORE_OPERATIONS.map(
      (op) => `${formatCount(rate[op])}/s (${formatRatio(rate[op], baseline[op])})`,
    ),
  ]);
  return table(["", ...labels], rows);
}

async function memoryTable(redis: RedisServer | undefined): Promise<string> {
  const rows: string[][] = [];
  const baselines = new Map<number, number>();
  for (const name of MEMORY_PEERS) {
    const cells: string[] = [];
    for (const size of SETTINGS.memorySizes) {
      progress(`memory: ${name} holding ${count(size)} sessions`);
      const { bytesPerSession } = await runChild<{ bytesPerSession: number }>(
        "memory-child.ts",
        [name, String(size)],
        ["--expose-gc", "--max-old-space-size=8192"],
      );
      if (!baselines.has(size)) baselines.set(size, bytesPerSession);
      cells.push(
        `${bytesPerSession.toFixed(0)} B (${formatRatio(bytesPerSession, baselines.get(size))})`,
      );
    }
    rows.push([name, ...cells]);
  }
  if (redis)
    rows.push(["RedisStore, in redis-server (`used_memory`)", ...(await redisMemory(redis))]);
  return table(["", ...SETTINGS.memorySizes.map((size) => `${count(size)} sessions`)], rows);
}

/**
 * What a bounded MemStore holds once full, and after many more distinct tokens: the median of
 * three fresh processes, since heap figures of a few MB move by about one from run to run.
 */
async function boundedMemory(): Promise<string> {
  const [tokens, maxSessions] = [SETTINGS.boundTokens, 10_000];
  const runs: { fullBytes: number; afterBytes: number; loggedOutBytes: number }[] = [];
  for (let run = 1; run <= 3; run++) {
    progress(`memory: MemStore with maxSessions ${count(maxSessions)}, ${count(tokens)} tokens`);
    runs.push(
      await runChild("bound-child.ts", [String(tokens), String(maxSessions)], ["--expose-gc"]),
    );
  }
  const fullBytes = median(runs.map((r) => r.fullBytes));
  const afterBytes = median(runs.map((r) => r.afterBytes));
  const loggedOutBytes = median(runs.map((r) => r.loggedOutBytes));
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return (
    `A MemStore with \`maxSessions: ${count(maxSessions)}\` holds ${mib(fullBytes)} once full ` +
    `(${(fullBytes / maxSessions).toFixed(0)} B a session), and ${mib(afterBytes)} after ${count(tokens)} ` +
    `distinct tokens went through it: of the ${count(tokens - maxSessions)} ` +
    "sessions it evicted, nothing is left but the listings its heap of expiries keeps until they come up or the heap is rebuilt (at most as many as sessions, and 1,024 more), each a few slots and none a session's bytes. " +
    `After ${count(tokens)} logins and logouts more (each a new session saved, then deleted), it holds ${mib(loggedOutBytes)}: ` +
    `its sessions but the one the first login evicted, and the markers of the last ${count(maxSessions)} deleted sessions, ` +
    `${((loggedOutBytes - afterBytes) / maxSessions).toFixed(0)} B each, and none of the others (medians of 3 processes).`
  );
}

/** Bytes per session in the redis-server process, not in Node's heap. */
async function redisMemory(redis: RedisServer): Promise<string[]> {
  const client = await connect(redis.url);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info("memory"))?.[1]);
  const store = new RedisStore(client);
  const expiry = new Date(Date.now() + ONE_HOUR_MS);
  const cells: string[] = [];
  for (const size of SETTINGS.memorySizes) {
    progress(`memory: RedisStore holding ${count(size)} sessions`);
    await client.flushDb();
    const before = await usedMemory();
    for (let i = 0; i < size; i += BATCH) {
      const saves = Array.from({ length: Math.min(BATCH, size - i) }, (_, j) =>
        store.save(`s${i + j}`, PAYLOAD, expiry),
      );
      await Promise.all(saves);
    }
    const bytesPerSession = ((await usedMemory()) - before) / size;
    cells.push(`${bytesPerSession.toFixed(0)} B`);
  }
  await client.flushDb();
  await client.quit();
  return cells;
}

async function httpTable(redisUrl: string | undefined): Promise<string> {
  const rows: string[][] = [];
  for (const app of HTTP_APPS) {
    const stores = app.stores.filter((store) => !/redis/i.test(store) || redisUrl !== undefined);
    const runs = new Map<string, HttpResult[]>(stores.map((store) => [store, []]));
    // Rounds go through every store in turn, each round starting one store further on, so that
    // neither a slow spell of the machine nor a place in the order favours any store.
    for (let round = 1; round <= SETTINGS.httpRounds; round++) {
      const shift = (round - 1) % stores.length;
      for (const store of [...stores.slice(shift), ...stores.slice(0, shift)]) {
        progress(
          `HTTP round ${round}/${SETTINGS.httpRounds}: ${app.framework} on ${store}, ${HTTP_CONNECTIONS} connections for ${SETTINGS.httpDurationS} s`,
        );
        runs.get(store)?.push(await measureHttp(app, store, redisUrl));
      }
    }
    const baseline = median(runs.get(stores[0] as string)?.map((r) => r.requestsPerSecond) ?? []);
    for (const [store, results] of runs) {
      const requestsPerSecond = median(results.map((r) => r.requestsPerSecond));
      rows.push([
        app.framework,
        store,
        `${formatCount(requestsPerSecond)}/s`,
        formatRatio(requestsPerSecond, baseline),
        `${median(results.map((r) => r.p99LatencyMs))} ms`,
        results.map((r) => formatCount(r.requestsPerSecond)).join(", "),
      ]);
    }
  }
  return table(
    ["", "store", "requests (median)", "× ours", "p99 latency (median)", "each round"],
    rows,
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function main(): Promise<void> {
  const runStarted = Date.now();
  const redis = redisServerAvailable() ? await startRedisServer() : undefined;
  if (!redis) progress("redis-server is not on PATH: the RedisStore rows are left out");
  const redisUrl = redis?.url;
  try {
    section(
      "1. Store operations",
      `Operations per second on a store holding ${count(SETTINGS.liveSessions)} live sessions of ${SESSION_BYTES} bytes, ` +
        `timed in batches of ${count(BATCH)} with tinybench (the median batch, garbage collected before each ` +
        `operation), the median of ${SETTINGS.operationRounds} rounds with the peers taken in turn; in brackets, the ratio to MemStore. Every peer ` +
        "copies the bytes in and out, as MemStore does. The express-session stores take a session object " +
        `whose JSON is ${SESSION_BYTES} bytes, through their callback API; RedisStore talks to a local redis-server.`,
      await operationsTable(STORE_PEERS, redisUrl, STORE_OPERATIONS),
    );
    progress(`what maxSessions costs, ${SETTINGS.boundPairs} pairs of batches an operation`);
    section(
      "1b. What `maxSessions` costs, batch by batch",
      `MemStore with \`maxSessions\` (set above the session count, so that it pays the bookkeeping without evicting) against MemStore without it, both holding ${count(SETTINGS.liveSessions)} live sessions: ` +
        `${count(SETTINGS.boundPairs)} pairs of batches of ${count(BATCH)} operations, each pair running one operation on both stores one right after the other, the first taken in turn, ` +
        `so that a slow spell of the machine slows both halves of a pair alike; ${PAIRED_FIGURE}. The ratio is of throughputs (above 1: faster with the bound). ` +
        "Section 1 measures each store on its own, and its two MemStore rows move against each other by more than the bound costs.",
      await boundCostTable(),
    );
    progress("what the adapters' checks cost, by session size");
    section(
      "1c. What the adapters' checks cost, by session size",
      "Each adapter loads a stored session (the bytes to the session its framework sees) and saves it back, through its own methods, over a store that hands the bytes straight through, " +
        "against the same calls over a store with no checks at all, which parses the stored text on load and stringifies the framework's session on save (as connect-redis does): " +
        "the plain JSON round trip of the same session, as its framework hands it over and calls its store, which every store that keeps JSON pays. Between the two lie the adapter's checks. " +
        "Pairs of batches, one right after the other, the first taken in turn; the median ratio of the pairs (above 1: the adapter costs more), and in brackets their middle half. " +
        "The second table, for context, sets each against a plain `JSON.stringify(JSON.parse(json))` of the session's text: the adapter, the store with no checks, and the framework's calling convention alone " +
        "(the same calls on a stand-in that answers at once, as the adapter does over this store: a tick for express-session, async functions for koa-session, awaits for hono-sessions, plain callbacks for @fastify/session). " +
        "There the store with no checks is the floor of any store in that framework, above 1 for reasons none can avoid. @fastify/session's and express-session's sessions hold their cookie expiry as a Date (and @fastify/session's cookie has a `toJSON`), " +
        "which `JSON.stringify` converts more slowly than the string the plain round trip copies: that is most of their floor at 1,000 B. " +
        "A hono-sessions session wraps each value in `{ value, flash }`, so that its 100,000 B of data is 160 kB of JSON: past 128 kB, V8 puts each string in a space of its own, whose pages it maps and unmaps, " +
        "and a store pays that twice a round trip (the text decoded on load; on Node 20, whose `JSON.stringify` answers a text in pieces, the join of those pieces on the save's first read of it), where the plain round trip, which neither decodes nor reads what it makes, pays it not at all: that is its floor at 100,000 B.",
      await codecCostTable(),
    );
    progress("a request with a session at the bound");
    section(...(await boundRequestSection()));
    section(
      "2. Through the express-session Store API",
      "`set`, `get` and `destroy` with callbacks, as express-session calls them, on the same session " +
        `object (JSON of ${SESSION_BYTES} bytes) and ${count(SETTINGS.liveSessions)} live sessions, timed as in section 1 ` +
        `(medians of ${SETTINGS.operationRounds} rounds); in brackets, the ratio ` +
        "to ExpressSessionStore(MemStore).",
      await operationsTable(EXPRESS_PEERS, redisUrl, EXPRESS_LABELS),
    );
    section(
      "3. Memory per live session",
      `Heap plus external memory per session of ${SESSION_BYTES} bytes with a 32-character token, measured in a ` +
        "fresh process after garbage collection; in brackets, the ratio to MemStore. RedisStore keeps " +
        "nothing in the Node process: its row is what redis-server itself grows by.",
      `${await memoryTable(redis)}\n\n${await boundedMemory()}`,
    );
    section(...(await memStallSection()));
    section(...(await shardCostSection()));
    section(...stickyOwnerSection());
    section(...sessionsOfSection());
    section(
      "5. HTTP",
      "Each framework's example app (`examples/`) in a process of its own, loaded on loopback by autocannon " +
        `with ${HTTP_CONNECTIONS} connections for ${SETTINGS.httpDurationS} s after a ${SETTINGS.httpWarmupS} s warm-up: ` +
        "`GET /get` with a live session, on our store and on the stores users of that framework would pick instead " +
        "(its own default; for koa-session, its cookie sessions and a plain in-memory external store). " +
        "`× ours` is the ratio to the first row of the framework. " +
        `Medians of ${SETTINGS.httpRounds} rounds, the stores taken in turn; the load generator and the server share the machine's cores. ` +
        "Context, with each round listed for its spread: what the adapters cost is measured in process, requests alternated one by one, in section 5b.",
      await httpTable(redisUrl),
    );
    progress("the adapters against the byte-store ceiling, in a fresh process");
    // In a fresh process, as a server starts: after the sections before it, which run MemStore
    // and node-cache in every configuration they try, express-session's call chains measured our
    // adapter lower against MemoryStore than the same chains in a process of their own.
    section(
      ...(await runChild<[string, string, string]>("adapters-child.ts", [], ["--expose-gc"])),
    );
    if (redisUrl) {
      section(...(await redisSection(redisUrl)));
      section(...(await stickyCostSection(redisUrl)));
      section(...(await allSection(redisUrl)));
    }
  } finally {
    await redis?.stop();
  }

  const minutes = ((Date.now() - runStarted) / 60_000).toFixed(1);
  progress(`done in ${minutes} min`);
  if (QUICK) {
    progress("BENCH_QUICK: a reduced run; docs/benchmarks.md is left as it is");
    return;
  }
  const header =
    "# Benchmarks\n\n" +
    "Written by `npm run bench`; every figure comes from one run, all peers side by side.\n\n" +
    `- Machine: ${machine()}\n- Date: ${new Date().toISOString().slice(0, 10)}\n- Whole run: ${minutes} min\n`;
  writeFileSync(resolve(__dirname, "../docs/benchmarks.md"), `${header}\n${sections.join("\n")}`);
  progress("wrote docs/benchmarks.md");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
