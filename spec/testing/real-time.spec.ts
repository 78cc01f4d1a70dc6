import { expect } from "chai";
import { inMs, waitUntil } from "../../src/testing/real-time";

describe("testing/real-time", () => {
  it("inMs: a Date that many ms from now, before or after", () => {
    for (const ms of [0, 20, -1_000]) {
      const beforeMs = Date.now();
      const at = inMs(ms).getTime();
      expect(at).to.be.within(beforeMs + ms, Date.now() + ms);
    }
  });

  it("waitUntil: answers at once for a time that has come", async () => {
    const startMs = Date.now();
    await waitUntil(startMs - 1_000);
    expect(Date.now() - startMs).to.be.below(5);
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
