// Run by bench/index.ts as `node ... bench/stall-child.ts <store> <sessions>`.

import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type session from "express-session";
import { MemStore } from "../src";
import { newMemorystore } from "./peers";
import { ONE_HOUR_MS, PAYLOAD, sessionObject } from "./settings";

/** A 32-character token, cheaper to make than a random one: the pass does not care. */
const tokenOf = (i: number) => i.toString(36).padStart(32, "t");

/**
 * How long the event loop stalls when one periodic cleanup pass runs over `sessions` sessions,
 * half of them expired. The cleanup period is set so that no pass runs before the store is full
 * and half of it has expired; the loop's delay is then watched over the next pass.
 */
async function main(kind: string, sessions: number): Promise<void> {
  // Long enough for the store to fill within the first half of it (1M sessions: 24 s).
  const periodMs = Math.max(2_000, Math.ceil(sessions * 0.024));
  const expireAfterMs = periodMs / 2;
  const started = Date.now();

  let stop: () => void = () => {};
  if (kind === "MemStore" || kind === "MemStore with maxSessions") {
    const store = new MemStore(periodMs, kind === "MemStore" ? {} : { maxSessions: sessions });
    const soon = new Date(started + expireAfterMs);
    const later = new Date(started + ONE_HOUR_MS);
    for (let i = 0; i < sessions; i++) store.save(tokenOf(i), PAYLOAD, i % 2 === 0 ? soon : later);
    stop = () => store.close();
  } else if (kind === "memorystore") {
    const store = newMemorystore(periodMs);
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
  // Watch from the moment half the sessions have expired until just after the first pass.
  await sleep(expireAfterMs - filledMs + 50);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await sleep(periodMs - expireAfterMs + 250);
  delay.disable();
  stop();
  console.log(JSON.stringify({ maxDelayMs: delay.max / 1e6, periodMs }));
}

main(process.argv[2] as string, Number(process.argv[3])).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
