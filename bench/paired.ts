// Paired batches: two contenders run the same batch one right after the other, the first taken
// in turn, so that a slow spell of a shared machine slows both halves of a pair alike.

/** The value at share `q` (0 to 1) of sorted `values`. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/** The median of some figures and their middle half (the interquartile range). */
export interface Spread {
  median: number;
  low: number;
  high: number;
}

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    low: quantile(sorted, 0.25),
    high: quantile(sorted, 0.75),
  };
}

/** `0.97× (0.93–1.01×)`: a median ratio and, in brackets, the middle half. */
export function formatSpread({ median, low, high }: Spread, unit = "×", digits = 2): string {
  return `${median.toFixed(digits)}${unit} (${low.toFixed(digits)}–${high.toFixed(digits)}${unit})`;
}

/** How {@link pairedRatios} makes each figure, for the reports. */
export const PAIRED_FIGURE =
  "each figure the throughput ratio of two pairs run in opposite orders (their geometric mean), so that what going first costs weighs on both sides alike";

/** One side of a pair: runs item `i` of the current batch. */
export type BatchOp = (i: number) => unknown;

/** How long `count` calls of `op` take, in nanoseconds. */
function timeBatch(count: number, op: BatchOp): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) op(i);
  return Number(process.hrtime.bigint() - started);
}

/** What a paired measure runs, pair after pair. */
export interface PairedRun {
  pairs: number;
  batch: number;
  /** Readies pair `pair`'s batch (untimed): picks tokens, saves what a delete will remove. */
  before?: (pair: number) => void;
  /** The contender whose cost is measured, and what it is measured against. */
  measured: BatchOp;
  baseline: BatchOp;
  /** Puts both stores back after the pair (untimed). */
  after?: (pair: number) => void;
}

/**
 * The throughput ratio of `measured` to `baseline` (above 1: `measured` is faster), one for each
 * two pairs: the pair's two batches run one right after the other, which goes first taken in turn,
 * and each figure is the geometric mean of two pairs run in opposite orders. Whatever the first
 * batch of a pair pays for going first (a token's string hash, computed once and then cached in
 * the string, is paid by the first store to look it up) then weighs on both sides alike; a median
 * of the pairs' own ratios would fall in one order's cluster or the other's.
 *
 * @throws RangeError when `run.pairs` is odd.
 */
export function pairedRatios(run: PairedRun): number[] {
  if (run.pairs % 2 !== 0) {
    throw new RangeError(`Expected \`pairs\` to be even, got ${run.pairs}`);
  }
  const ratios: number[] = [];
  let earlier = 0;
  for (let pair = 0; pair < run.pairs; pair++) {
    run.before?.(pair);
    let measuredNs: number;
    let baselineNs: number;
    if (pair % 2 === 0) {
      measuredNs = timeBatch(run.batch, run.measured);
      baselineNs = timeBatch(run.batch, run.baseline);
    } else {
      baselineNs = timeBatch(run.batch, run.baseline);
      measuredNs = timeBatch(run.batch, run.measured);
    }
    run.after?.(pair);
    const ratio = baselineNs / measuredNs;
    if (pair % 2 === 0) earlier = ratio;
    else ratios.push(Math.sqrt(earlier * ratio));
  }
  return ratios;
}

/**
 * A goal's verdict from its measured figure: `met`, or `missed by` how far the figure is from
 * the bound, in the figure's own format.
 */
export function verdict(
  figure: number,
  bound: number,
  atMost: boolean,
  format: (value: number) => string,
): string {
  const met = atMost ? figure <= bound : figure >= bound;
  if (met) return "met";
  const gap = format(Math.abs(figure - bound));
  // A gap below the last digit shown would read "missed by 0.00×".
  return /[1-9]/.test(gap) ? `missed by ${gap}` : "missed, by less than the last digit shown";
}
