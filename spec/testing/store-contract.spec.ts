import * as nodeTest from "node:test";
import { expect } from "chai";
import { MemStore } from "../../src";
import { iterableStoreContract, storeContract, type TestRunner } from "../../src/testing";
import { expectFailure } from "../stores/store-contract";
import { runUnderNodeTest } from "./node-test-child";
import { MapStore } from "./reference-stores";

iterableStoreContract({ describe, it }, "MemStore (scs-memstore/testing)", {
  create: () => new MemStore(0),
  close: (store) => store.close(),
});

// Both runners' own functions fit, with no cast.
const RUNNERS: readonly TestRunner[] = [
  { describe, it },
  nodeTest,
  { describe: nodeTest.describe, it: nodeTest.it },
];

describe("storeContract", () => {
  it("storeContract: bad arguments are TypeErrors naming the argument, before any spec is declared", async () => {
    const declared: string[] = [];
    const runner: TestRunner = {
      describe: (name, body) => {
        declared.push(name);
        body();
      },
      it: (name) => declared.push(name),
    };
    const create = () => new MapStore();
    const bad: [() => void, RegExp][] = [
      [() => storeContract({ describe } as unknown as TestRunner, "S", { create }), /`runner`/],
      [() => storeContract(runner, "", { create }), /`name`/],
      [() => storeContract(runner, "S", {} as never), /`options.create`/],
      [() => storeContract(runner, "S", { create, close: 1 as never }), /`options.close`/],
      [
        () => storeContract(runner, "S", { create, clockToleranceMs: -1 }),
        /`options.clockToleranceMs`/,
      ],
      [
        () => storeContract(runner, "S", { create, clockToleranceMs: Number.NaN }),
        /clockToleranceMs/,
      ],
    ];
    for (const [call, pattern] of bad) await expectFailure(call, TypeError, pattern);
    expect(declared).to.deep.equal([]);
    expect(RUNNERS).to.have.length(3);
  });

  it("storeContract: declares its specs with the runner given, each on a store of its own, closed after it", async () => {
    const specs: (() => Promise<void>)[] = [];
    const made: MapStore[] = [];
    const closed: MapStore[] = [];
    const runner: TestRunner = {
      describe: (_name, body) => body(),
      it: (_name, body) => specs.push(body),
    };
    iterableStoreContract(runner, "MapStore", {
      create: () => {
        const store = new MapStore();
        made.push(store);
        return store;
      },
      close: (store) => void closed.push(store),
    });
    expect(specs.length).to.be.above(30);
    await (specs[0] as () => Promise<void>)();
    await (specs[1] as () => Promise<void>)();
    expect(made).to.have.length(2);
    expect(made[0]).not.to.equal(made[1]);
    expect(closed).to.deep.equal(made);
  });
});

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
