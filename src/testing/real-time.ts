import { setTimeout as sleep } from "node:timers/promises";

/** A `Date` `ms` milliseconds from now. */
export function inMs(ms: number): Date {
  return new Date(Date.now() + ms);
}

/**
 * Resolves once `Date.now()` has reached `atMs`, as early in that millisecond as this process can:
 * it sleeps until 2 ms before, then spins. A call made right after lands at `atMs` itself unless
 * the machine stalls this process.
 */
export async function waitUntil(atMs: number): Promise<void> {
  const leftMs = atMs - Date.now();
  if (leftMs > 2) await sleep(leftMs - 2);
  while (Date.now() < atMs) {
    // Spin: a timer could wake this process a millisecond late.
  }
}
