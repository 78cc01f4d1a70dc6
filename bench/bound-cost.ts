import { PEERS, type Peer } from "./peers";
import { table } from "./report";
import { BATCH, newTokens, SETTINGS } from "./settings";

/** The operations whose cost the `maxSessions` bound could raise. */
const BOUND_OPERATIONS = ["save new", "save update", "find hit", "touch"] as const;

/** How long one batch of `op` over `tokens` takes on `peer`, in nanoseconds. */
function timeBatch(peer: Peer, tokens: string[], op: (peer: Peer, token: string) => unknown) {
  const started = process.hrtime.bigint();
  for (const token of tokens) op(peer, token);
  return Number(process.hrtime.bigint() - started);
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/**
 * What `maxSessions` costs, measured batch by batch: the two stores hold the same number of live
 * sessions, and each pair of batches runs the same operation on both, one right after the other,
 * the first of the two taken in turn. A slow spell of the machine then slows both halves of a
 * pair alike, where one store measured after the other would take it alone. Reports the median of
 * the pairs' throughput ratios, and the middle half of them.
 */
export async function boundCostTable(): Promise<string> {
  const plain = await PEERS.MemStore();
  const bounded = await PEERS["MemStore with maxSessions"]();
  const live = newTokens(SETTINGS.liveSessions);
  for (const peer of [plain, bounded]) for (const token of live) peer.save(token);
  const ops: Record<(typeof BOUND_OPERATIONS)[number], (peer: Peer, token: string) => unknown> = {
    "save new": (peer, token) => peer.save(token),
    "save update": (peer, token) => peer.save(token),
    "find hit": (peer, token) => peer.find(token),
    touch: (peer, token) => peer.touch(token),
  };
  const rows: string[][] = [];
  for (const name of BOUND_OPERATIONS) {
    const ratios: number[] = [];
    for (let pair = 0; pair < SETTINGS.boundPairs; pair++) {
      const start = (pair * BATCH) % (live.length - BATCH);
      const tokens = name === "save new" ? newTokens(BATCH) : live.slice(start, start + BATCH);
      const order = pair % 2 === 0 ? [plain, bounded] : [bounded, plain];
      const nanos = new Map<Peer, number>();
      for (const peer of order) nanos.set(peer, timeBatch(peer, tokens, ops[name]));
      if (name === "save new") for (const peer of order) for (const t of tokens) peer.delete(t);
      ratios.push((nanos.get(plain) as number) / (nanos.get(bounded) as number));
    }
    ratios.sort((a, b) => a - b);
    const fmt = (ratio: number) => `${ratio.toFixed(2)}×`;
    rows.push([
      name,
      fmt(quantile(ratios, 0.5)),
      `${fmt(quantile(ratios, 0.25))} to ${fmt(quantile(ratios, 0.75))}`,
    ]);
  }
  await plain.close();
  await bounded.close();
  return table(["", "with maxSessions, × without (median)", "middle half of the pairs"], rows);
}
