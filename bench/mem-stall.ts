// The cleanup stall of MemStore beside memorystore, at each size of SETTINGS.stallSizes: the
// longest pass over one whole cleanup period once half the sessions have expired, the period
// before having cleaned as many (so that V8 has compiled the passes)
// (bench/stall-child.ts, a fresh process for each figure, the stores taken in turn). Run alone
// with `node -r ts-node/register bench/mem-stall.ts`.
import { shardCount } from "../src/stores/mem/sharded-cache";
import { runChild } from "./child";
import { verdict } from "./paired";
import { progress, table } from "./report";
import { QUICK, SETTINGS } from "./settings";

const STORES = ["MemStore", "memorystore"] as const;
/**
 * A cleanup interval at which MemStore has as many shards as `new MemStore(300_000)` (64, a pass
 * every half second): each pass walks as many sessions as at five minutes, and one period is
 * watched whole in half a minute. A reduced run watches 2 s (8 shards).
 */
export const STALL_PERIOD_MS = QUICK ? 2_000 : 32_000;
/** The goals, by size; and MemStore at most a quarter of memorystore. */
const GOALS_MS = new Map([
  [100_000, 15],
  [1_000_000, 100],
]);
const QUARTER = 0.25;
/**
 * Processes per store, by size (one elsewhere). At 10,000 sessions a pass takes a fraction of a
 * millisecond, less than one young-generation collection: whether a collection falls inside one
 * of the period's passes decides the longest, so each store's figure is the median of its
 * processes' longest passes, each listed.
 */
const ROUNDS = new Map([[10_000, QUICK ? 1 : 3]]);

const count = (n: number) => n.toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(1)} ms`;
const times = (value: number) => `${value.toFixed(2)}×`;

/** What bench/stall-child.ts reports of one watched period. */
interface Stall {
  maxDelayMs: number;
  passes: number;
  longestPassMs: number;
  longestPassCpuMs: number;
  longestPassGcMs: number;
  medianPassMs: number;
  /** The longest pass of the period before, in which V8 compiled the pass. */
  firstPeriodLongestPassMs: number;
}

async function watch(store: string, size: number): Promise<Stall> {
  progress(`cleanup stall: ${store} with ${count(size)} sessions, half expired`);
  return runChild<Stall>(
    "stall-child.ts",
    [store, String(size), String(STALL_PERIOD_MS)],
    ["--max-old-space-size=8192"],
  );
}

const passCell = (stall: Stall) =>
  `${ms(stall.longestPassMs)} (CPU ${ms(stall.longestPassCpuMs)}, GC ${ms(stall.longestPassGcMs)}); median ${ms(stall.medianPassMs)} of ${stall.passes}; the period before: ${ms(stall.firstPeriodLongestPassMs)}`;

/**
 * The process whose longest pass is the median of `stalls` (the lower middle of an even count),
 * and, with more than one, every process's longest pass to list after it.
 */
function medianStall(stalls: Stall[]): [Stall, string] {
  const sorted = [...stalls].sort((a, b) => a.longestPassMs - b.longestPassMs);
  const median = sorted[(sorted.length - 1) >> 1] as Stall;
  if (stalls.length === 1) return [median, ""];
  const each = stalls.map((stall) => ms(stall.longestPassMs)).join(", ");
  return [median, `; the median process of ${stalls.length}, whose longest passes were ${each}`];
}

/** The cleanup stall section, its goals judged from the figures. */
export async function memStallSection(): Promise<[string, string, string]> {
  const rows: string[][] = [];
  const goals: string[] = [];
  for (const size of SETTINGS.stallSizes) {
    const rounds = ROUNDS.get(size) ?? 1;
    const stalls = new Map<string, Stall[]>(STORES.map((store) => [store, []]));
    for (let round = 0; round < rounds; round++) {
      for (const store of (size / 10_000 + round) % 2 === 0 ? STORES : [...STORES].reverse()) {
        stalls.get(store)?.push(await watch(store, size));
      }
    }
    const [ours, ourRounds] = medianStall(stalls.get("MemStore") as Stall[]);
    const [theirs, theirRounds] = medianStall(stalls.get("memorystore") as Stall[]);
    const share = ours.longestPassMs / theirs.longestPassMs;
    rows.push([
      `${count(size)} sessions`,
      passCell(ours) + ourRounds,
      ms(ours.maxDelayMs),
      passCell(theirs) + theirRounds,
      ms(theirs.maxDelayMs),
      times(share),
    ]);
    const bound = GOALS_MS.get(size);
    if (bound !== undefined) {
      goals.push(
        `≤ ${bound} ms at ${count(size)}: ${ms(ours.longestPassMs)}, ${verdict(ours.longestPassMs, bound, true, ms)}`,
      );
    }
    goals.push(
      `≤ ${times(QUARTER)} memorystore's at ${count(size)}: ${times(share)}, ${verdict(share, QUARTER, true, times)}`,
    );
  }
  const idle = await watch("idle", 0);
  rows.push(["no store (idle loop)", "", ms(idle.maxDelayMs), "", "", ""]);
  const text =
    "Each store's cleanup passes watched over one whole cleanup period, from the moment half the sessions have expired: every pass runs in it at least once, over sessions half expired. " +
    "The period before cleans as many sessions again, which expired one period earlier, so that V8 has compiled each store's pass before the watched period, as in a server that has run for a while: a fresh process compiles the pass within its first period, once it is hot, and the pass that meets the compile can take several times the others (the longest pass of that period is given last, after `the period before`). " +
    "A pass is synchronous, so the event loop waits for all of it: the longest pass (wall clock, in brackets its CPU time and the garbage collector's pauses within it as `perf_hooks` reports them, which leave out V8's incremental marking steps) is the stall it makes; then the median pass, of how many ran. On a busy machine a pass's wall clock also takes in the time the process waited for a core, which its CPU time does not. " +
    "Beside it, the longest event-loop delay over the whole period (`perf_hooks.monitorEventLoopDelay`, 1 ms resolution), which also takes in what the machine's other work does to the process: the idle loop's row shows how much. " +
    `Both stores clean every ${STALL_PERIOD_MS / 1_000} s (\`new MemStore(${STALL_PERIOD_MS})\`, memorystore's \`checkPeriod\`)` +
    (shardCount(STALL_PERIOD_MS) === shardCount(300_000)
      ? `: MemStore then has ${shardCount(STALL_PERIOD_MS)} node-cache instances whose passes take turns, one every ${STALL_PERIOD_MS / shardCount(STALL_PERIOD_MS)} ms, as with the documented \`new MemStore(300_000)\`, so that each pass walks what it would there; memorystore prunes every session in one pass at any period. `
      : ` (a reduced run: MemStore has ${shardCount(STALL_PERIOD_MS)} node-cache instances here, not the documented interval's ${shardCount(300_000)}). `) +
    "Real timers and the real clock, a fresh process for each figure, the two stores taken in turn. " +
    [...ROUNDS]
      .filter(([size, rounds]) => rounds > 1 && SETTINGS.stallSizes.includes(size))
      .map(
        ([size, rounds]) =>
          `At ${count(size)} sessions, where a pass takes a fraction of a millisecond, less than one young-generation collection of the garbage collector, whether a collection falls inside one of the period's passes decides the longest: there each store's figure is the median of ${rounds} processes (the stores taken in turn), each process's longest pass listed after it. `,
      )
      .join("") +
    "RedisStore has no such pass in Node: redis-server expires keys itself. " +
    `Goals, on the longest pass: ${goals.join("; ")}.`;
  return [
    "4. Cleanup stall",
    text,
    table(
      [
        "",
        "MemStore: longest pass",
        "longest loop delay",
        "memorystore: longest pass",
        "longest loop delay",
        "MemStore / memorystore (longest pass)",
      ],
      rows,
    ),
  ];
}

if (require.main === module) {
  memStallSection().then(
    ([title, text, body]) => console.log(`## ${title}\n\n${text}\n\n${body}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
