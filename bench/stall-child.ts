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

/** The cleanup passes that ran while watched: when each started, its wall-clock and CPU ms. */
const passes: { startedMs: number; wallMs: number; cpuMs: number }[] = [];
/** The garbage collections seen while watched, on the same clock as the passes. */
const collections: { startedMs: number; durationMs: number }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  if (!watching) return;
  for (const entry of list.getEntries()) {
    collections.push({ startedMs: entry.startTime, durationMs: entry.duration });
  }
});
let watching = false;

/** `pass`, timed each time it runs while watched. Its work is synchronous: it blocks the loop. */
function timed<Args extends unknown[]>(pass: (...args: Args) => unknown) {
  return function (this: unknown, ...args: Args) {
    const startedMs = performance.now();
    const startedCpu = process.cpuUsage();
    const result = pass.apply(this, args);
    if (watching) {
      const { user, system } = process.cpuUsage(startedCpu);
      passes.push({
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

/**
 * Watches one whole cleanup period of `periodMs` from the moment half of `sessions` sessions have
 * expired: every cleanup pass of the store (each of MemStore's shards, memorystore's prune) runs
 * in it at least once, over sessions half expired. Real timers and the real clock, as a server has
 * them. Reports the longest event-loop delay over the period, and the longest pass.
 */
async function main(kind: string, sessions: number, periodMs: number): Promise<void> {
  // Long enough for the store to fill before, on a busy machine too (1M sessions: 24 s).
  const expireAfterMs = Math.max(1_000, Math.ceil(sessions * 0.024));
  const started = Date.now();

  let stop: () => void = () => {};
  if (kind === "MemStore") {
    timeNodeCachePasses();
    const store = new MemStore(periodMs);
    const soon = new Date(started + expireAfterMs);
    const later = new Date(started + ONE_HOUR_MS);
    for (let i = 0; i < sessions; i++) store.save(tokenOf(i), PAYLOAD, i % 2 === 0 ? soon : later);
    stop = () => store.close();
  } else if (kind === "memorystore") {
    const store = withTimedIntervals(() => newMemorystore(periodMs));
    const soon = sessionObject(expireAfterMs) as unknown as session.SessionData;
    const later = sessionObject(ONE_HOUR_MS) as unknown as session.SessionData;
    for (let i = 0; i < sessions; i++) store.set(tokenOf(i), i % 2 === 0 ? soon : later);
    stop = () => store.stopInterval();
  } else if (kind !== "idle") {
    throw new Error(`unknown store ${kind}`);
  }

  const filledMs = Date.now() - started;
  if (filledMs >= expireAfterMs)
    throw new Error(`filling took ${filledMs} ms, over ${expireAfterMs} ms`);
  await sleep(expireAfterMs - filledMs + 50);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  watching = true;
  gcObserver.observe({ entryTypes: ["gc"] });
  // A pass rearms its timer once it ends: half a second more covers the passes' own time.
  await sleep(periodMs + 500);
  // The observer reports what it saw a moment later, on the event loop.
  await sleep(50);
  watching = false;
  gcObserver.disconnect();
  delay.disable();
  stop();
  const longest = passes.reduce((a, b) => (b.wallMs > a.wallMs ? b : a), {
    startedMs: 0,
    wallMs: 0,
    cpuMs: 0,
  });
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
    }),
  );
}

main(process.argv[2] as string, Number(process.argv[3]), Number(process.argv[4])).catch(
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
