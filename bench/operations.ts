import { Bench } from "tinybench";
import type { Peer } from "./peers";
import { BATCH, newTokens, SETTINGS } from "./settings";

/** The operations timed, each over a batch of {@link BATCH} distinct sessions. */
export const STORE_OPERATIONS = [
  "save new",
  "save update",
  "find hit",
  "find miss",
  "touch",
  "delete",
] as const;
export type Operation = (typeof STORE_OPERATIONS)[number];

/** Operations per second of each operation, for one peer. */
export type OperationRates = Record<Operation, number>;

async function forEach(
  peer: Peer,
  tokens: string[],
  op: (token: string) => unknown,
): Promise<void> {
  if (peer.async) {
    for (const token of tokens) await op(token);
  } else {
    for (const token of tokens) op(token);
  }
}

/** Starts each task without the garbage of the one before (`npm run bench` exposes `gc`). */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Checks that the peer does what it is timed doing, so that no figure measures a broken store. */
async function checkPeer(peer: Peer, live: string, missing: string): Promise<void> {
  if (!(await peer.find(live))) throw new Error(`${peer.name}: a saved session is not found`);
  if (await peer.find(missing)) throw new Error(`${peer.name}: a missing session is found`);
}

/**
 * Times every operation on a peer holding `SETTINGS.liveSessions` live sessions. The store is kept
 * at that size, outside the timed part: sessions a batch saves new (new tokens each batch) are
 * deleted, and those it deletes are replaced by as many new ones, since a deleted token stays
 * deleted in the stores of this package. The rate comes from the median batch, so that a garbage
 * collection landing in one batch does not decide a row.
 */
export async function measureOperations(peer: Peer): Promise<OperationRates> {
  const live = newTokens(SETTINGS.liveSessions);
  const missing = newTokens(BATCH);
  await forEach(peer, live, (token) => peer.save(token));
  await checkPeer(peer, live[0] as string, missing[0] as string);

  let cursor = 0;
  let batchStart = 0;
  let batch: string[] = [];
  let fresh: string[] = [];
  const nextLiveBatch = () => {
    batchStart = cursor;
    batch = live.slice(cursor, cursor + BATCH);
    cursor = (cursor + BATCH) % (live.length - BATCH);
  };
  const nextFreshBatch = () => {
    fresh = newTokens(BATCH);
  };
  // The deleted batch's places in the live set go to new sessions.
  const replaceDeleted = async () => {
    const replacements = newTokens(batch.length);
    live.splice(batchStart, batch.length, ...replacements);
    await forEach(peer, replacements, (token) => peer.save(token));
  };
  const save = (token: string) => peer.save(token);
  const find = (token: string) => peer.find(token);
  const remove = (token: string) => peer.delete(token);
  const touch = (token: string) => peer.touch(token);
  // Each operation: the tokens of a batch, what is done to each, and what puts the store back after.
  const tasks: [Operation, () => string[], (token: string) => unknown, (() => Promise<void>)?][] = [
    ["save new", () => fresh, save, () => forEach(peer, fresh, remove)],
    ["save update", () => batch, save],
    ["find hit", () => batch, find],
    ["find miss", () => missing, find],
    ["touch", () => batch, touch],
    ["delete", () => batch, remove, replaceDeleted],
  ];

  // A batch takes a millisecond in memory but ~60 ms on Redis: both bounds are set, tinybench
  // stops when it has run for taskTimeMs and at least taskIterations batches.
  const bench = new Bench({
    time: SETTINGS.taskTimeMs,
    iterations: SETTINGS.taskIterations,
    warmupTime: SETTINGS.taskTimeMs / 4,
    warmupIterations: 1,
  });
  for (const [name, tokens, op, restore] of tasks) {
    const run = () => forEach(peer, tokens(), op);
    bench.add(name, peer.async ? run : () => void run(), {
      async: peer.async,
      beforeAll: collectGarbage,
      beforeEach: name === "save new" ? nextFreshBatch : nextLiveBatch,
      ...(restore ? { afterEach: restore } : {}),
    });
  }
  await bench.run();

  // Every session that find hit may have met is still there: the figures are of hits.
  for (const token of live) {
    if (!(await peer.find(token))) throw new Error(`${peer.name}: a live session is gone`);
  }

  const rates = {} as OperationRates;
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== "completed") throw new Error(`${peer.name} ${task.name}: ${result.state}`);
    rates[task.name as Operation] = (BATCH * 1_000) / result.latency.p50;
  }
  return rates;
}
