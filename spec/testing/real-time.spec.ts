import timers from "node:timers/promises";
import { expect } from "chai";
import { inMs, waitUntil } from "../../src/testing/real-time";

/**
 * Runs `waitUntil(atMs)` on a scripted clock that starts at `nowMs` and moves 1 ms at each read,
 * and by the whole delay at each sleep: no real time passes. Answers the delays it slept.
 */
async function sleepsOf(nowMs: number, atMs: number): Promise<number[]> {
  const slept: number[] = [];
  let clockMs = nowMs;
  const { now } = Date;
  const { setTimeout } = timers;
  Date.now = () => clockMs++;
  timers.setTimeout = (async (delayMs: number) => {
    slept.push(delayMs);
    clockMs += delayMs;
  }) as typeof setTimeout;
  try {
    await waitUntil(atMs);
  } finally {
    Date.now = now;
    timers.setTimeout = setTimeout;
  }
  return slept;
}

describe("testing/real-time", () => {
  it("inMs: a Date that many ms from now, before or after", () => {
    for (const ms of [0, 20, -1_000]) {
      const beforeMs = Date.now();
      const at = inMs(ms).getTime();
      expect(at).to.be.within(beforeMs + ms, Date.now() + ms);
    }
  });

  it("waitUntil: answers at once for a time that has come", async () => {
    // At once: before the event loop turns, so before any timer or I/O, however busy the machine.
    const order: string[] = [];
    const turned = new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push("loop turned");
        resolve();
      }),
    );
    await waitUntil(Date.now() - 1_000);
    order.push("answered");
    await turned;
    expect(order).to.deep.equal(["answered", "loop turned"]);
  });

  it("waitUntil: sleeps until 2 ms before the time, spinning only through those last 2 ms", async () => {
    expect(await sleepsOf(1_000, 1_050)).to.deep.equal([48]);
    expect(await sleepsOf(1_000, 1_003)).to.deep.equal([1]);
    for (const atMs of [1_002, 1_001, 1_000, 0]) {
      expect(await sleepsOf(1_000, atMs), `${atMs - 1_000} ms ahead`).to.deep.equal([]);
    }
  });

  it("waitUntil: never answers before the time, and answers in its very ms unless the machine stalls", async () => {
    // One try in time is enough: a busy machine may wake this process late, never early.
    let onTime = false;
    for (let tries = 0; tries < 20 && !onTime; tries++) {
      const atMs = Date.now() + 10;
      await waitUntil(atMs);
      const nowMs = Date.now();
      expect(nowMs).to.be.at.least(atMs);
      onTime = nowMs === atMs;
    }
    expect(onTime, "a wait that ended in the ms waited for").to.equal(true);
  });
});
