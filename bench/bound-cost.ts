import { pairedRatios, spreadOf } from "./paired";
import { PEERS, type Peer } from "./peers";
import { table } from "./report";
import { BATCH, newTokens, SETTINGS } from "./settings";

/** The operations whose cost the `maxSessions` bound could raise. */
const BOUND_OPERATIONS = ["save new", "save update", "find hit", "touch"] as const;

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
    let tokens: string[] = [];
    const ratios = pairedRatios({
      pairs: SETTINGS.boundPairs,
      batch: BATCH,
      before: (pair) => {
        const start = (pair * BATCH) % (live.length - BATCH);
        tokens = name === "save new" ? newTokens(BATCH) : live.slice(start, start + BATCH);
      },
      measured: (i) => ops[name](bounded, tokens[i] as string),
      baseline: (i) => ops[name](plain, tokens[i] as string),
      after: () => {
        if (name === "save new")
          for (const peer of [plain, bounded]) for (const t of tokens) peer.delete(t);
      },
    });
    const spread = spreadOf(ratios);
    const fmt = (ratio: number) => `${ratio.toFixed(2)}×`;
    rows.push([name, fmt(spread.median), `${fmt(spread.low)} to ${fmt(spread.high)}`]);
  }
  await plain.close();
  await bounded.close();
  return table(["", "with maxSessions, × without (median)", "middle half of the pairs"], rows);
}
