// sessionsOf for an owner with 10 sessions in a MemStore of 1,000,000 sessions (100,000 with
// BENCH_QUICK), every other session owned by one of 100,000 other owners.
import { MemStore } from "../src";
import { progress, table } from "./report";
import { ONE_HOUR_MS, PAYLOAD, QUICK } from "./settings";

const SESSIONS = QUICK ? 100_000 : 1_000_000;
const CALLS = 2_000;

export function sessionsOfTable(): string {
  progress(`sessionsOf: filling a MemStore with ${SESSIONS.toLocaleString("en-US")} sessions`);
  const store = new MemStore(300_000);
  const expiry = new Date(Date.now() + ONE_HOUR_MS);
  for (let i = 0; i < SESSIONS; i++) {
    store.save(i.toString(36).padStart(32, "t"), PAYLOAD, expiry, `user-${i % 100_000}`);
  }
  for (let i = 0; i < 10; i++) store.save(`mine-${i}`.padStart(32, "m"), PAYLOAD, expiry, "me");
  const timesMs: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const started = process.hrtime.bigint();
    store.sessionsOf("me");
    timesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  store.close();
  timesMs.sort((a, b) => a - b);
  const at = (share: number) =>
    `${((timesMs[Math.floor(share * (CALLS - 1))] as number) * 1_000).toFixed(1)} µs`;
  return table(
    ["store", "owner's sessions", "median", "99th percentile"],
    [[`MemStore, ${SESSIONS.toLocaleString("en-US")} sessions`, "10", at(0.5), at(0.99)]],
  );
}
