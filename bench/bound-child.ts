// Run by bench/index.ts as `node --expose-gc ... bench/bound-child.ts <tokens> <maxSessions>`:
// the heap a MemStore bounded by maxSessions holds once full, after many more tokens, and after
// as many logins and logouts (a session saved, then deleted, which leaves a marker).

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
  let next = 0;
  // Tokens as long as express-session's, made without the garbage random ones leave.
  const token = () => (next++).toString(36).padStart(32, "t");
  const save = (store: MemStore, count: number) => {
    for (let i = 0; i < count; i++) store.save(token(), PAYLOAD, expiry);
  };
  const logInAndOut = (store: MemStore, count: number) => {
    for (let i = 0; i < count; i++) {
      const loggedIn = token();
      store.save(loggedIn, PAYLOAD, expiry);
      store.delete(loggedIn);
    }
  };
  // Warms every path up on a store of its own, then lets it go.
  const warm = new MemStore(0, { maxSessions });
  save(warm, maxSessions * 2);
  logInAndOut(warm, maxSessions * 2);
  warm.close();
  const store = new MemStore(0, { maxSessions });
  const beforeBytes = await heapAfterGc();
  save(store, maxSessions);
  const fullBytes = await heapAfterGc();
  save(store, tokens - maxSessions);
  const afterBytes = await heapAfterGc();
  if (store.all().size !== maxSessions) throw new Error("the store does not hold maxSessions");
  logInAndOut(store, tokens);
  const loggedOutBytes = await heapAfterGc();
  // The first login evicts a session to make room; each logout then frees the place it took.
  if (store.all().size !== maxSessions - 1) throw new Error("logins and logouts changed the rest");
  store.close();
  console.log(
    JSON.stringify({
      fullBytes: fullBytes - beforeBytes,
      afterBytes: afterBytes - beforeBytes,
      loggedOutBytes: loggedOutBytes - beforeBytes,
    }),
  );
}

main(Number(process.argv[2]), Number(process.argv[3])).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
