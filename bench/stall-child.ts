// Run by bench/mem-stall.ts as `node ... bench/stall-child.ts <store> <sessions> <periodMs>`.

import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type session from "express-session";
import NodeCache from "node-cache";
import { MemStore } from "../src";
import { newMemorystore } from "./peers";
import { ONE_HOUR_MS, PAYLOAD, sessionObject } from "./settings";

/** A 32-character token, cheaper to make than a random one: the pass does not care. */
const tokenOf = (i: number) => i.toString(36).padStart(32, "t");

/** A cleanup pass: when it started, its wall-clock and CPU ms. */
interface Pass {
  startedMs: number;
  wallMs: number;
  cpuMs: number;
}

/** The passes of the first period (the first wave's), then of the watched one. */
const firstPasses: Pass[] = [];
const passes: Pass[] = [];
/** The garbage collections seen while watched, on the same clock as the passes. */
const collections: { startedMs: number; durationMs: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  if (phase !== "watched") return;
  for (const entry of list.getEntries()) {
    collections.push({ startedMs: entry.startTime, durationMs: entry.duration });
  }
});
let phase: "filling" | "first" | "watched" | "done" = "filling";

/** `pass`, timed each time it runs while watched. Its work is synchronous: it blocks the loop. */
function timed<Args extends unknown[]>(pass: (...args: Args) => unknown) {
  return function (this: unknown, ...args: Args) {
    const startedMs = performance.now();
    const startedCpu = process.cpuUsage();
    const result = pass.apply(this, args);
    if (phase === "first" || phase === "watched") {
      const { user, system } = process.cpuUsage(startedCpu);
      (phase === "first" ? firstPasses : passes).push({
        startedMs,
        wallMs: performance.now() - startedMs,
        cpuMs: (user + system) / 1_000,
      });
    }
    return result;
  };
}

/**
 * Times node-cache's `checkperiod` pass (each of MemStore's shards): node-cache binds it to each
 * instance when it is made, so the prototype is wrapped before any store is.
 */
function timeNodeCachePasses(): void {
  const prototype = NodeCache.prototype as unknown as { _checkData(...args: unknown[]): unknown };
  prototype._checkData = timed(prototype._checkData);
}

/** Times memorystore's prune: the callback of the `setInterval` it starts when it is made. */
function withTimedIntervals<T>(make: () => T): T {
  const original = globalThis.setInterval;
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number) =>
    original(timed(callback), ms)) as typeof setInterval;
  try {
    return make();
  } finally {
    globalThis.setInterval = original;
  }
}

/** The longest of `passes` (wall clock). */
const longestOf = (passes: Pass[]): Pass =>
  passes.reduce((a, b) => (b.wallMs > a.wallMs ? b : a), { startedMs: 0, wallMs: 0, cpuMs: 0 });

/**
 * Watches one whole cleanup period of `periodMs` from the moment half of `sessions` sessions have
 * expired: every cleanup pass of the store (each of MemStore's shards, memorystore's prune) runs
 * in it at least once, over sessions half expired. Real timers and the real clock, as a server has
 * them. Reports the longest event-loop delay over the period, and the longest pass.
 *
 * The store holds half as many sessions again at first, which expire one period earlier: the
 * period before the watched one cleans them, as the watched one cleans its half, so that V8 has
 * compiled each store's pass (once the pass is hot, which a fresh process reaches within its first
 * period) before the watched period starts, as it has in a server that has run for a while. That
 * first period's longest pass is reported too.
 */
async function main(kind: string, sessions: number, periodMs: number): Promise<void> {
  // Long enough for the store to fill before, on a busy machine too (1.5M sessions: 36 s).
  const firstExpiryMs = Math.max(1_000, Math.ceil(sessions * 0.036));
  // The watched half expires once every pass has run over the first wave's.
  const watchedExpiryMs = firstExpiryMs + periodMs + 500;
  const started = Date.now();

  // Sessions i % 3: 0, the first wave; 1, the watched half; 2, live for an hour.
  const total = sessions * 1.5;
  const expiriesMs = [firstExpiryMs, watchedExpiryMs, ONE_HOUR_MS];
  let stop: () => void = () => {};
  if (kind === "MemStore") {
    timeNodeCachePasses();
    const store = new MemStore(periodMs);
    const expiries = expiriesMs.map((ms) => new Date(started + ms));
    for (let i = 0; i < total; i++) store.save(tokenOf(i), PAYLOAD, expiries[i % 3] as Date);
    stop = () => store.close();
  } else if (kind === "memorystore") {
    const store = withTimedIntervals(() => newMemorystore(periodMs));
    const objects = expiriesMs.map((ms) => sessionObject(ms) as unknown as session.SessionData);
    for (let i = 0; i < total; i++) store.set(tokenOf(i), objects[i % 3] as session.SessionData);
    stop = () => store.stopInterval();
  } else if (kind !== "idle") {
    throw new Error(`unknown store ${kind}`);
  }

  const filledMs = Date.now() - started;
  if (filledMs >= firstExpiryMs)
    throw new Error(`filling took ${filledMs} ms, over ${firstExpiryMs} ms`);
  await sleep(firstExpiryMs - filledMs + 50);
  phase = "first";
  await sleep(watchedExpiryMs - (Date.now() - started) + 50);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  phase = "watched";
  gcObserver.observe({ entryTypes: ["gc"] });
  // A pass rearms its timer once it ends: half a second more covers the passes' own time.
  await sleep(periodMs + 500);
  // The observer reports what it saw a moment later, on the event loop.
  await sleep(50);
  phase = "done";
  gcObserver.disconnect();
  delay.disable();
  stop();
  const longest = longestOf(passes);
  // The garbage collector's pauses inside the longest pass: V8 runs them on the thread that
  // allocates, so the pass waits for them.
  const endMs = longest.startedMs + longest.wallMs;
  const longestPassGcMs = collections
    .filter((gc) => gc.startedMs >= longest.startedMs && gc.startedMs < endMs)
    .reduce((sum, gc) => sum + gc.durationMs, 0);
  console.log(
    JSON.stringify({
      maxDelayMs: delay.max / 1e6,
      passes: passes.length,
      longestPassMs: longest.wallMs,
      longestPassCpuMs: longest.cpuMs,
      longestPassGcMs,
      medianPassMs:
        [...passes].sort((a, b) => a.wallMs - b.wallMs)[passes.length >> 1]?.wallMs ?? 0,
      firstPeriodLongestPassMs: longestOf(firstPasses).wallMs,
    }),
  );
}

main(process.argv[2] as string, Number(process.argv[3]), Number(process.argv[4])).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
