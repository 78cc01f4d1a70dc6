// The cleanup stall of MemStore beside memorystore, at each size of SETTINGS.stallSizes: the
// longest event-loop delay while the passes run over a store in which half the sessions have
// expired (bench/stall-child.ts, a fresh process for each figure, stores taken in turn).
import { runChild } from "./child";
import { progress, table } from "./report";
import { SETTINGS } from "./settings";

const STORES = ["MemStore", "memorystore"] as const;

export async function memStallTable(): Promise<string> {
  const rows: string[][] = [];
  for (const size of SETTINGS.stallSizes) {
    const delays = new Map<string, number>();
    for (const store of size % 2 === 0 ? STORES : [...STORES].reverse()) {
      progress(`MemStore cleanup stall: ${store} with ${size.toLocaleString("en-US")} sessions`);
      const { maxDelayMs } = await runChild<{ maxDelayMs: number }>(
        "stall-child.ts",
        [store, String(size)],
        ["--max-old-space-size=8192"],
      );
      delays.set(store, maxDelayMs);
    }
    const ours = delays.get("MemStore") as number;
    const theirs = delays.get("memorystore") as number;
    rows.push([
      `${size.toLocaleString("en-US")} sessions`,
      `${ours.toFixed(1)} ms`,
      `${theirs.toFixed(1)} ms`,
      `${(ours / theirs).toFixed(2)}×`,
    ]);
  }
  return table(["", "MemStore", "memorystore", "MemStore / memorystore"], rows);
}
