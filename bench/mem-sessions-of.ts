// sessionsOf for an owner with 10 sessions in a MemStore of 1,000,000 sessions (10,000 with
// BENCH_QUICK), every other session owned by one of 100,000 other owners (1,000 with BENCH_QUICK).
import { MemStore } from "../src";
import { verdict } from "./paired";
import { progress, table } from "./report";
import { ONE_HOUR_MS, PAYLOAD, QUICK } from "./settings";

const SESSIONS = QUICK ? 10_000 : 1_000_000;
const OWNERS = SESSIONS / 10;
const CALLS = 2_000;
/** The goal, at 1,000,000 sessions. */
const GOAL_MS = 1;

/** The section on `sessionsOf`, its goal judged from the median call. */
export function sessionsOfSection(): [string, string, string] {
  progress(`sessionsOf: filling a MemStore with ${SESSIONS.toLocaleString("en-US")} sessions`);
  const store = new MemStore(300_000);
  const expiry = new Date(Date.now() + ONE_HOUR_MS);
  for (let i = 0; i < SESSIONS; i++) {
    store.save(i.toString(36).padStart(32, "t"), PAYLOAD, expiry, `user-${i % OWNERS}`);
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
  const at = (share: number) => timesMs[Math.floor(share * (CALLS - 1))] as number;
  const us = (ms: number) => `${(ms * 1_000).toFixed(1)} µs`;
  const sessions = SESSIONS.toLocaleString("en-US");
  return [
    "4d. MemStore: the sessions of one owner",
    `\`sessionsOf\` for an owner with 10 sessions, timed call by call (${CALLS.toLocaleString("en-US")} calls), in a \`new MemStore(300_000)\` of ${sessions} sessions owned by ${OWNERS.toLocaleString("en-US")} other owners. ` +
      `Goal: under ${GOAL_MS} ms at 1,000,000 sessions; here ${us(at(0.5))} at ${sessions} (median call), ` +
      `${verdict(at(0.5), GOAL_MS, true, us)}${SESSIONS === 1_000_000 ? "" : " (a reduced run: not the goal's size)"}.`,
    table(
      ["store", "owner's sessions", "median", "99th percentile"],
      [[`MemStore, ${sessions} sessions`, "10", us(at(0.5)), us(at(0.99))]],
    ),
  ];
}
