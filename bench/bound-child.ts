// Run by bench/index.ts as `node --expose-gc ... bench/bound-child.ts <tokens> <maxSessions>`:
// the heap a MemStore bounded by maxSessions holds after that many distinct tokens went through it.
import { MemStore } from "../src";
import { newToken, ONE_HOUR_MS, PAYLOAD } from "./settings";

function heapAfterGc(): number {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --expose-gc");
  collect();
  collect();
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

function main(tokens: number, maxSessions: number): void {
  const expiry = new Date(Date.now() + ONE_HOUR_MS);
  const beforeBytes = heapAfterGc();
  const store = new MemStore(0, { maxSessions });
  for (let i = 0; i < tokens; i++) store.save(newToken(), PAYLOAD, expiry);
  const bytes = heapAfterGc() - beforeBytes;
  if (store.all().size !== maxSessions) throw new Error("the store does not hold maxSessions");
  store.close();
  console.log(JSON.stringify({ bytes }));
}

main(Number(process.argv[2]), Number(process.argv[3]));
