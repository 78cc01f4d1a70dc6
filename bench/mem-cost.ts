// What MemStore's sticky delete, its owner index and its shards cost, each against the same
// store without it, in paired batches (bench/paired.ts). Run alone with
// `node --expose-gc -r ts-node/register bench/mem-cost.ts`; `npm run bench` includes it.

import { MemStore } from "../src";
import { assertToken } from "../src/arguments";
import { keyOf } from "../src/stores/mem/mem-store";
import { ShardedCache, shardCount } from "../src/stores/mem/sharded-cache";
import { runChild } from "./child";
import {
  type BatchOp,
  formatSpread,
  PAIRED_FIGURE,
  pairedRatios,
  type Spread,
  spreadOf,
  verdict,
} from "./paired";
import { progress, table } from "./report";
import { BATCH, newTokens, ONE_HOUR_MS, PAYLOAD, QUICK, SETTINGS } from "./settings";

const EXPIRY = new Date(Date.now() + ONE_HOUR_MS);
/** Where a touch moves a session. */
const TOUCHED = new Date(Date.now() + 2 * ONE_HOUR_MS);
/** Sessions each owner has. */
const PER_OWNER = 10;
const count = (n: number) => n.toLocaleString("en-US");
const ratio = (value: number) => `${value.toFixed(2)}×`;

/** Tokens of live sessions, a batch at a time, going round. */
function batchesOf(live: string[]) {
  return (pair: number) => {
    const start = (pair * BATCH) % (live.length - BATCH);
    return live.slice(start, start + BATCH);
  };
}

/** One row of a cost table: the pair's two stores doing one operation. */
interface CostRow {
  label: string;
  /** The pair's batches, made afresh for each row. */
  run: () => {
    measured: BatchOp;
    baseline: BatchOp;
    before?: (pair: number) => void;
    after?: () => void;
  };
}

function measureRows(rows: CostRow[], what: string): Map<string, Spread> {
  const spreads = new Map<string, Spread>();
  for (const row of rows) {
    progress(`${what}: ${row.label}, ${count(SETTINGS.boundPairs)} pairs of batches`);
    const { measured, baseline, before, after } = row.run();
    const ratios = pairedRatios({
      pairs: SETTINGS.boundPairs,
      batch: BATCH,
      measured,
      baseline,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    });
    spreads.set(row.label, spreadOf(ratios));
  }
  return spreads;
}

/**
 * The owner index (saves naming an owner, in a store whose every session has one, against the
 * same saves naming none, in a store that never saw an owner) and sticky delete (a store holding
 * markers against one that never deleted; MemStore's delete against the delete it made before
 * markers: a node-cache `del` on the same sharded cache).
 */
export function stickyOwnerCost(): Map<string, Spread> {
  const live = newTokens(SETTINGS.liveSessions);
  const owners = live.map((_, i) => `user-${Math.floor(i / PER_OWNER)}`);
  const ownerOf = new Map(live.map((token, i) => [token, owners[i] as string]));
  const stores = {
    owned: new MemStore(300_000),
    plain: new MemStore(300_000),
    marked: new MemStore(300_000),
    unmarked: new MemStore(300_000),
  };
  const bare = new ShardedCache(300_000);
  const ttlS = ONE_HOUR_MS / 1_000;
  live.forEach((token, i) => {
    stores.owned.save(token, PAYLOAD, EXPIRY, owners[i]);
    stores.plain.save(token, PAYLOAD, EXPIRY);
    stores.marked.save(token, PAYLOAD, EXPIRY);
    stores.unmarked.save(token, PAYLOAD, EXPIRY);
  });
  // A tenth of the sessions logged out: their markers stay for the rest of the hour.
  for (const token of newTokens(SETTINGS.liveSessions / 10)) {
    stores.marked.save(token, PAYLOAD, EXPIRY);
    stores.marked.delete(token);
  }
  const batchAt = batchesOf(live);
  let tokens: string[] = [];
  let batchOwners: string[] = [];
  const pick = (pair: number) => {
    tokens = batchAt(pair);
    batchOwners = tokens.map((token) => ownerOf.get(token) as string);
  };
  // New sessions of new owners, PER_OWNER an owner as in the store, each batch's owners its own:
  // owners that gained every new session would hold hundreds each.
  let ownersMade = 0;
  const fresh = () => {
    tokens = newTokens(BATCH);
    const first = ownersMade;
    ownersMade += BATCH / PER_OWNER;
    batchOwners = tokens.map((_, i) => `new-owner-${first + Math.floor(i / PER_OWNER)}`);
  };
  const t = (i: number) => tokens[i] as string;
  const rows: CostRow[] = [
    {
      label: "owner index: save update",
      run: () => ({
        before: pick,
        measured: (i) => stores.owned.save(t(i), PAYLOAD, EXPIRY, batchOwners[i]),
        baseline: (i) => stores.plain.save(t(i), PAYLOAD, EXPIRY),
      }),
    },
    {
      label: "owner index: save new",
      run: () => ({
        before: fresh,
        measured: (i) => stores.owned.save(t(i), PAYLOAD, EXPIRY, batchOwners[i]),
        baseline: (i) => stores.plain.save(t(i), PAYLOAD, EXPIRY),
      }),
    },
    {
      label: "owner index: find hit",
      run: () => ({
        before: pick,
        measured: (i) => stores.owned.find(t(i)),
        baseline: (i) => stores.plain.find(t(i)),
      }),
    },
    {
      label: "owner index: delete",
      run: () => ({
        before: () => {
          fresh();
          tokens.forEach((token, i) => {
            stores.owned.save(token, PAYLOAD, EXPIRY, batchOwners[i]);
            stores.plain.save(token, PAYLOAD, EXPIRY);
          });
        },
        measured: (i) => stores.owned.delete(t(i)),
        baseline: (i) => stores.plain.delete(t(i)),
      }),
    },
    {
      label: "sticky delete: save update",
      run: () => ({
        before: pick,
        measured: (i) => stores.marked.save(t(i), PAYLOAD, EXPIRY),
        baseline: (i) => stores.unmarked.save(t(i), PAYLOAD, EXPIRY),
      }),
    },
    {
      label: "sticky delete: save new",
      run: () => ({
        before: fresh,
        measured: (i) => stores.marked.save(t(i), PAYLOAD, EXPIRY),
        baseline: (i) => stores.unmarked.save(t(i), PAYLOAD, EXPIRY),
      }),
    },
    {
      label: "sticky delete: find hit",
      run: () => ({
        before: pick,
        measured: (i) => stores.marked.find(t(i)),
        baseline: (i) => stores.unmarked.find(t(i)),
      }),
    },
    {
      label: "sticky delete: delete",
      run: () => ({
        before: () => {
          fresh();
          for (const token of tokens) {
            stores.marked.save(token, PAYLOAD, EXPIRY);
            bare.set(keyOf(token), PAYLOAD.toString("latin1"), ttlS);
          }
        },
        measured: (i) => stores.marked.delete(t(i)),
        baseline: (i) => {
          const token = t(i);
          assertToken(token);
          return bare.del(keyOf(token));
        },
      }),
    },
  ];
  try {
    return measureRows(rows, "MemStore sticky delete and owner index");
  } finally {
    for (const store of Object.values(stores)) store.close();
    bare.close();
  }
}

/** The goal for MemStore: save and find within 10%. */
const STICKY_GOAL = 0.9;

/** The section on what sticky delete and the owner index cost MemStore. */
export function stickyOwnerSection(): [string, string, string] {
  const spreads = stickyOwnerCost();
  const rows = [...spreads].map(([label, spread]) => [label, formatSpread(spread)]);
  const goalRows = [...spreads].filter(([label]) => /save|find/.test(label));
  const [worstLabel, worst] = goalRows.reduce((a, b) => (b[1].median < a[1].median ? b : a));
  const text =
    `Each feature against the same MemStore (\`new MemStore(300_000)\`, ${count(SETTINGS.liveSessions)} live sessions) without it: ` +
    `the owner index, saves naming an owner (${PER_OWNER} sessions an owner) in a store whose every session has one, against the same saves naming none in a store that never saw an owner; ` +
    `sticky delete, a store holding the markers of ${count(SETTINGS.liveSessions / 10)} deleted sessions against one that never deleted, and for \`delete\` ` +
    "itself, MemStore's delete (the session's expiry read, the session removed, a marker written) against the delete it made before markers (the token checked, one node-cache `del` on the same sharded cache). " +
    `${count(SETTINGS.boundPairs)} pairs of batches of ${count(BATCH)} operations, the two stores one right after the other, the first taken in turn, ${PAIRED_FIGURE}; ` +
    "the median of the figures (above 1: faster with the feature), in brackets their middle half. Sessions saved new stay, so that both stores grow alike. " +
    `Goal: save and find with each feature within 10% of without (≥ ${ratio(STICKY_GOAL)}): ` +
    `the lowest median is ${ratio(worst.median)} (${worstLabel}), ${verdict(worst.median, STICKY_GOAL, false, ratio)}. ` +
    (worst.median < STICKY_GOAL && worstLabel === "owner index: save new"
      ? "Why: a plain save of a new session is little more than node-cache's own insert, and naming an owner adds work of the same kind: the token is looked up first (node-cache's `set` does not hand back what it replaces, and the index must know the owner held before), the session is kept in an entry that holds its owner, and the token goes into its owner's list in the index, one more hash-table insert (for an owner's first session, into the map of every owner). A save of a session already held (save update) pays only the lookup. "
      : "") +
    "Delete pays for the marker it writes, a second node-cache `set`: that cost is the feature, and has no goal.";
  return [
    "4c. What sticky delete and the owner index cost MemStore",
    text,
    table(["", "with the feature, × without (median, middle half)"], rows),
  ];
}

/** The goal: each operation and the memory within 5% of one shard. */
const SHARD_GOAL = 0.95;
/** How many node-cache instances `new MemStore(300_000)` spreads its sessions over. */
const SHARDS = shardCount(300_000);

/**
 * Sharded (`new MemStore(300_000)`, {@link SHARDS} node-cache instances) against one instance
 * (`new MemStore(0)`, no cleanup pass), batch by batch, and memory per session in fresh processes.
 */
export async function shardCostSection(): Promise<[string, string, string]> {
  const spreads = shardOperationCost();
  const memory = await memoryRatios();
  const cells = [...spreads].map(([label, spread]) => [label, formatSpread(spread)]);
  cells.push([
    `memory per session (${count(MEMORY.sessions)} sessions)`,
    `${formatSpread(memory.ratio)}; ${memory.sharded.toFixed(0)} B against ${memory.single.toFixed(0)} B`,
  ]);
  const [worstLabel, worst] = [...spreads].reduce((a, b) => (b[1].median < a[1].median ? b : a));
  const text =
    `\`new MemStore(300_000)\` (the documented interval: its sessions spread over ${SHARDS} node-cache instances, whose cleanup passes take turns) against \`new MemStore(0)\` ` +
    `(one instance, never cleaned), both holding ${count(SETTINGS.liveSessions)} live sessions: ${count(SETTINGS.boundPairs)} pairs of batches of ${count(BATCH)} operations, ` +
    `the two stores one right after the other, the first taken in turn, ${PAIRED_FIGURE}; the median of the figures (above 1: the sharded store is faster), in brackets their middle half; sessions saved new stay, so that both stores grow alike. Memory per session: heap and external memory of a fresh process filled with one store or the other ` +
    `(as in section 3), ${MEMORY.pairs} pair(s) of processes, the first taken in turn; the ratio is one instance's bytes over the sharded store's (above 1: the sharded store is smaller). ` +
    `Goal: each operation and the memory per session within 5% (≥ ${ratio(SHARD_GOAL)}): ` +
    `lowest operation median ${ratio(worst.median)} (${worstLabel}), ${verdict(worst.median, SHARD_GOAL, false, ratio)}; ` +
    `memory ${ratio(memory.ratio.median)}, ${verdict(memory.ratio.median, SHARD_GOAL, false, ratio)}.` +
    (worst.median < SHARD_GOAL
      ? ` Why: each operation first finds the key's shard, then works in that shard's own node-cache instance and hash table, one of ${SHARDS} rather than one alone; the cost grows with the number of shards, and fewer would make each cleanup pass walk more sessions (section 4).`
      : "");
  return [
    `4b. MemStore's ${SHARDS} shards against one`,
    text,
    table(["", `${SHARDS} shards, × one shard (median, middle half)`], cells),
  ];
}

/**
 * Each operation on a sharded MemStore against one instance, batch by batch: the paired ratios of
 * section 4b.
 */
export function shardOperationCost(): Map<string, Spread> {
  const live = newTokens(SETTINGS.liveSessions);
  const sharded = new MemStore(300_000);
  const single = new MemStore(0);
  for (const token of live) {
    sharded.save(token, PAYLOAD, EXPIRY);
    single.save(token, PAYLOAD, EXPIRY);
  }
  const batchAt = batchesOf(live);
  let tokens: string[] = [];
  const t = (i: number) => tokens[i] as string;
  const pick = (pair: number) => {
    tokens = batchAt(pair);
  };
  const both = (op: (store: MemStore, token: string) => unknown) => ({
    measured: (i: number) => op(sharded, t(i)),
    baseline: (i: number) => op(single, t(i)),
  });
  const rows: CostRow[] = [
    {
      label: "save new",
      run: () => ({
        before: () => {
          tokens = newTokens(BATCH);
        },
        ...both((store, token) => store.save(token, PAYLOAD, EXPIRY)),
      }),
    },
    {
      label: "save update",
      run: () => ({ before: pick, ...both((store, token) => store.save(token, PAYLOAD, EXPIRY)) }),
    },
    {
      label: "find hit",
      run: () => ({ before: pick, ...both((store, token) => store.find(token)) }),
    },
    {
      label: "touch",
      run: () => ({ before: pick, ...both((store, token) => store.touch(token, TOUCHED)) }),
    },
    {
      label: "delete",
      run: () => ({
        before: () => {
          tokens = newTokens(BATCH);
          for (const token of tokens) {
            sharded.save(token, PAYLOAD, EXPIRY);
            single.save(token, PAYLOAD, EXPIRY);
          }
        },
        ...both((store, token) => store.delete(token)),
      }),
    },
  ];
  try {
    return measureRows(rows, `MemStore ${SHARDS} shards against one`);
  } finally {
    sharded.close();
    single.close();
  }
}

const MEMORY = QUICK ? { sessions: 10_000, pairs: 1 } : { sessions: 100_000, pairs: 3 };

/** Bytes per session of a sharded and a one-instance MemStore, fresh processes taken in turn. */
async function memoryRatios() {
  const ratios: number[] = [];
  const bytes = { sharded: [] as number[], single: [] as number[] };
  for (let pair = 0; pair < MEMORY.pairs; pair++) {
    const order =
      pair % 2 === 0 ? (["sharded", "single"] as const) : (["single", "sharded"] as const);
    const got = { sharded: 0, single: 0 };
    for (const which of order) {
      progress(
        `memory: MemStore, ${which === "sharded" ? `${SHARDS} shards` : "one shard"}, ${count(MEMORY.sessions)} sessions`,
      );
      const peer = which === "sharded" ? "MemStore" : "MemStore, one shard";
      const { bytesPerSession } = await runChild<{ bytesPerSession: number }>(
        "memory-child.ts",
        [peer, String(MEMORY.sessions)],
        ["--expose-gc"],
      );
      got[which] = bytesPerSession;
      bytes[which].push(bytesPerSession);
    }
    ratios.push(got.single / got.sharded);
  }
  return {
    ratio: spreadOf(ratios),
    sharded: spreadOf(bytes.sharded).median,
    single: spreadOf(bytes.single).median,
  };
}

if (require.main === module) {
  (async () => {
    const sections = [stickyOwnerSection(), await shardCostSection()];
    for (const [title, text, body] of sections) console.log(`## ${title}\n\n${text}\n\n${body}\n`);
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
