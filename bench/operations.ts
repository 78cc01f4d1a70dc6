import { Bench } from "tinybench";
import type { Peer } from "./peers";
import { BATCH, newTokens, SETTINGS } from "./settings";

/** The operations timed, each over a batch of {@link BATCH} distinct sessions. */
export const STORE_OPERATIONS = [
  "save new",
  "save update",
  "find hit",
  "find miss",
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

/** Checks that the peer does what it is timed doing, so that no figure measures a broken store. */
async function checkPeer(peer: Peer, live: string, missing: string): Promise<void> {
  if (!(await peer.find(live))) throw new Error(`${peer.name}: a saved session is not found`);
  if (await peer.find(missing)) throw new Error(`${peer.name}: a missing session is found`);
}

/**
 * Times every operation on a peer holding `SETTINGS.liveSessions` live sessions. The store is kept
 * at that size: sessions a batch saves new are deleted, and those it deletes are saved again,
 * outside the timed part.
 */
export async function measureOperations(peer: Peer): Promise<OperationRates> {
  const live = newTokens(SETTINGS.liveSessions);
  const fresh = newTokens(BATCH);
  const missing = newTokens(BATCH);
  await forEach(peer, live, (token) => peer.save(token));
  await checkPeer(peer, live[0] as string, missing[0] as string);

  let cursor = 0;
  let batch: string[] = [];
  const nextLiveBatch = () => {
    batch = live.slice(cursor, cursor + BATCH);
    cursor = (cursor + BATCH) % (live.length - BATCH);
  };
  const timed = (tokens: () => string[], op: (token: string) => unknown) =>
    peer.async ? () => forEach(peer, tokens(), op) : () => void forEach(peer, tokens(), op);

  // A batch takes a millisecond in memory but ~60 ms on Redis: both bounds are set, tinybench
  // stops when it has run for taskTimeMs and at least taskIterations batches.
  const bench = new Bench({
    time: SETTINGS.taskTimeMs,
    iterations: SETTINGS.taskIterations,
    warmupTime: SETTINGS.taskTimeMs / 4,
    warmupIterations: 1,
  });
  const opts = { async: peer.async, beforeEach: nextLiveBatch };
  bench
    .add(
      "save new",
      timed(
        () => fresh,
        (t) => peer.save(t),
      ),
      {
        async: peer.async,
        afterEach: () => forEach(peer, fresh, (t) => peer.delete(t)),
      },
    )
    .add(
      "save update",
      timed(
        () => batch,
        (t) => peer.save(t),
      ),
      opts,
    )
    .add(
      "find hit",
      timed(
        () => batch,
        (t) => peer.find(t),
      ),
      opts,
    )
    .add(
      "find miss",
      timed(
        () => missing,
        (t) => peer.find(t),
      ),
      { async: peer.async },
    )
    .add(
      "delete",
      timed(
        () => batch,
        (t) => peer.delete(t),
      ),
      {
        ...opts,
        afterEach: () => forEach(peer, batch, (t) => peer.save(t)),
      },
    );
  await bench.run();

  const rates = {} as OperationRates;
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== "completed") throw new Error(`${peer.name} ${task.name}: ${result.state}`);
    rates[task.name as Operation] = (BATCH * 1_000) / result.period;
  }
  return rates;
}
