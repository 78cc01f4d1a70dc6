// Run by bench/index.ts as `node --expose-gc ... bench/bound-child.ts <tokens> <maxSessions>`:
// the heap a MemStore bounded by maxSessions holds once full, and after many more tokens.

import { setImmediate } from "node:timers/promises";
import { MemStore } from "../src";
import { ONE_HOUR_MS, PAYLOAD } from "./settings";

/** Heap and external memory once garbage is collected and Buffers' memory is freed. */
async function heapAfterGc(): Promise<number> {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) {
    collect();
    await setImmediate(); // lets the memory of collected Buffers go
  }
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

async function main(tokens: number, maxSessions: number): Promise<void> {
  const expiry = new Date(Date.now() + ONE_HOUR_MS);
  const store = new MemStore(0, { maxSessions });
  let next = 0;
  // Tokens as long as express-session's, made without the garbage random ones leave.
  const save = (count: number) => {
    for (let i = 0; i < count; i++)
      store.save((next++).toString(36).padStart(32, "t"), PAYLOAD, expiry);
  };
  save(maxSessions); // warms every path up; then the store is emptied again
  for (const token of store.all().keys()) store.delete(token);
  const beforeBytes = await heapAfterGc();
  save(maxSessions);
  const fullBytes = await heapAfterGc();
  save(tokens - maxSessions);
  const afterBytes = await heapAfterGc();
  if (store.all().size !== maxSessions) throw new Error("the store does not hold maxSessions");
  store.close();
  console.log(
    JSON.stringify({ fullBytes: fullBytes - beforeBytes, afterBytes: afterBytes - beforeBytes }),
  );
}

main(Number(process.argv[2]), Number(process.argv[3])).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
