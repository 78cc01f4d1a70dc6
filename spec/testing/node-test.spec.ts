import { expect } from "chai";
import { runUnderNodeTest } from "./node-test-child";

/** Specs of the suite that no expiry edge decides. */
const TIMELESS_SPECS = [
  "save: round-trips a Buffer, every byte value, a view, an empty array and 1 MiB",
  "touch: a save in flight together with a touch of the same token is never undone",
  "delete: a save after the delete leaves the session gone, and touch answers false",
  "all: changing the arrays returned changes no session",
];

describe("storeContract under node:test, in a process of its own", function () {
  // Each run is bounded by the CPU time it uses (see runUnderNodeTest), not by the wall clock.
  this.timeout(0);

  it("a store that keeps the contract (a plain Map with delete markers) passes every spec", async () => {
    const run = await runUnderNodeTest("MapStore");
    expect(run.failed, run.tap).to.deep.equal([]);
    expect(run.code).to.equal(0);
    expect(run.passed.length).to.be.above(30);
  });

  it("MemStore passes every spec", async () => {
    const run = await runUnderNodeTest("MemStore");
    expect(run.failed, run.tap).to.deep.equal([]);
    expect(run.code).to.equal(0);
  });

  it("a store that still finds a session at its expiry fails the specs of expiry edges, and passes the others", async () => {
    const run = await runUnderNodeTest("FoundAtExpiryStore");
    expect(run.code).to.equal(1);
    expect(run.failed, run.tap).to.include(
      "find: a session is found until 1 ms before its expiry and is gone at it",
    );
    expect(run.failed).to.include(
      "touch: moves a live session's expiry earlier: found until 1 ms before it, gone at it",
    );
    expect(run.passed, run.tap).to.include.members(TIMELESS_SPECS);
  });

  it("a store whose save brings a deleted session back fails the specs of delete, and passes the others", async () => {
    const run = await runUnderNodeTest("ResurrectingStore");
    expect(run.code).to.equal(1);
    expect(run.failed, run.tap).to.include.members([
      "delete: a save after the delete leaves the session gone, and touch answers false",
      "delete: saves and touches in flight together with a delete never bring the session back",
    ]);
    expect(run.passed, run.tap).to.include.members([
      "find: a session is found until 1 ms before its expiry and is gone at it",
      ...TIMELESS_SPECS.filter((name) => !name.startsWith("delete")),
    ]);
  });
});
