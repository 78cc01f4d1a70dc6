import * as nodeTest from "node:test";
import { expect } from "chai";
import { MemStore } from "../../src";
import type { IterableStore } from "../../src/store";
import { iterableStoreContract, storeContract, type TestRunner } from "../../src/testing";
import { expectFailure } from "../stores/store-contract";
import { runInProcess } from "./in-process-run";
import * as stores from "./reference-stores";
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
      [() => storeContract({ it } as unknown as TestRunner, "S", { create }), /`runner`/],
      [() => storeContract(undefined as never, "S", { create }), /`runner`/],
      [() => storeContract(runner, "", { create }), /`name`/],
      [() => storeContract(runner, 42 as never, { create }), /`name`/],
      [() => storeContract(runner, "S", {} as never), /`options.create`/],
      [() => storeContract(runner, "S", undefined as never), /`options.create`/],
      [() => storeContract(runner, "S", { create, close: 1 as never }), /`options.close`/],
      [
        () => storeContract(runner, "S", { create, clockToleranceMs: -1 }),
        /`options.clockToleranceMs`/,
      ],
      [
        () => storeContract(runner, "S", { create, clockToleranceMs: Number.NaN }),
        /clockToleranceMs/,
      ],
      [
        () => storeContract(runner, "S", { create, clockToleranceMs: "5" as never }),
        /`options.clockToleranceMs`/,
      ],
    ];
    for (const [call, pattern] of bad) await expectFailure(call, TypeError, pattern);
    expect(declared).to.deep.equal([]);
    expect(RUNNERS).to.have.length(3);
  });

  it("iterableStoreContract: groups its specs under the store's name, then by method", () => {
    const groups: string[] = [];
    const runner: TestRunner = {
      describe: (name, body) => {
        groups.push(name);
        body();
      },
      it: () => undefined,
    };
    iterableStoreContract(runner, "MapStore", { create: () => new MapStore() });
    expect(groups).to.deep.equal([
      "MapStore: Store contract",
      "find",
      "save",
      "delete",
      "touch",
      "bad arguments",
      "MapStore: IterableStore contract",
    ]);
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

const FIND_UNKNOWN =
  "find: an unknown token, or one named like an Object.prototype member, is not found";
const FIND_EDGES = "find: a session is found until 1 ms before its expiry and is gone at it";
const FIND_GONE = "find: a session stays gone after its expiry, however often it is asked for";
const FIND_COPY = "find: changing the array returned changes no session";
const SAVE_ROUND_TRIP =
  "save: round-trips a Buffer, every byte value, a view, an empty array and 1 MiB";
const SAVE_NEW_DATA = "save: an existing token gets the new data";
const SAVE_LATER = "save: an existing token's expiry moves later";
const SAVE_EARLIER = "save: an existing token's expiry moves earlier";
const SAVE_PAST =
  "save: an expiry in the past, or exactly now, stores nothing and removes the session";
const SAVE_SUB_SECOND =
  "save: sub-second expiries (2, 50 and 100 ms) end on time, never turning into forever";
const SAVE_FAR = "save: far-future expiries (year 3000, the last valid Date) are kept";
const SAVE_AWKWARD =
  "save: unicode, 4 KiB, numeric and Object.prototype-named tokens are independent sessions";
const SAVE_COPY =
  "save: changing the array passed, before or after save answers, changes no session";
const DELETE_OTHERS = "delete: removes the session, and leaves the others alone";
const DELETE_UNKNOWN = "delete: an unknown or expired token is not an error, and can then be saved";
const DELETE_SAVE_AFTER =
  "delete: a save after the delete leaves the session gone, and touch answers false";
const DELETE_MARKER_ENDS =
  "delete: once the deleted session's own expiry has come, the token can be saved again";
const DELETE_IN_FLIGHT =
  "delete: saves and touches in flight together with a delete never bring the session back";
const TOUCH_UNKNOWN = "touch: an unknown token answers false and creates no session";
const TOUCH_LATER = "touch: moves a live session's expiry later, keeping its data";
const TOUCH_EARLIER =
  "touch: moves a live session's expiry earlier: found until 1 ms before it, gone at it";
const TOUCH_GONE = "touch: an expired or deleted session stays gone and answers false";
const TOUCH_PAST =
  "touch: an expiry in the past, or exactly now, removes the session and answers false";
const TOUCH_SUB_SECOND =
  "touch: sub-second expiries (2, 50 and 100 ms) end on time, never turning into forever";
const TOUCH_FAR = "touch: far-future expiries (year 3000, the last valid Date) are kept";
const TOUCH_IN_FLIGHT =
  "touch: a save in flight together with a touch of the same token is never undone";
const BAD_TOKEN =
  "find, save, touch, delete: a token that is not a non-empty string of well-formed Unicode is a TypeError naming `token`";
const BAD_DATA =
  "save: data that is not a Uint8Array is a TypeError naming `data`, the session unchanged";
const BAD_EXPIRY =
  "save, touch: an expiry that is not a Date is a TypeError, an invalid Date a RangeError, naming `expiry`, the session unchanged";
const OWN_TIME = "save, touch: a Date's own time counts, not a getTime put on it";
const ALL_EMPTY = "all: an empty store gives an empty Map";
const ALL_LIVE = "all: lists live sessions by token, leaving out expired and deleted ones";
const ALL_COPY = "all: changing the arrays returned changes no session";

const ALL_SPECS = [
  FIND_UNKNOWN,
  FIND_EDGES,
  FIND_GONE,
  SAVE_ROUND_TRIP,
  SAVE_NEW_DATA,
  SAVE_LATER,
  SAVE_EARLIER,
  SAVE_PAST,
  SAVE_SUB_SECOND,
  SAVE_FAR,
  SAVE_AWKWARD,
  SAVE_COPY,
  FIND_COPY,
  DELETE_OTHERS,
  DELETE_UNKNOWN,
  DELETE_SAVE_AFTER,
  DELETE_MARKER_ENDS,
  DELETE_IN_FLIGHT,
  TOUCH_UNKNOWN,
  TOUCH_LATER,
  TOUCH_EARLIER,
  TOUCH_GONE,
  TOUCH_PAST,
  TOUCH_SUB_SECOND,
  TOUCH_FAR,
  TOUCH_IN_FLIGHT,
  BAD_TOKEN,
  BAD_DATA,
  BAD_EXPIRY,
  OWN_TIME,
  ALL_EMPTY,
  ALL_LIVE,
  ALL_COPY,
];

/** Each broken store, and the specs of the suite that must fail on it. */
const BROKEN: [string, () => IterableStore, string[]][] = [
  [
    "finds Object.prototype's members",
    () => new stores.PrototypeStore(),
    [FIND_UNKNOWN, SAVE_AWKWARD],
  ],
  ["answers data: null for a missing session", () => new stores.NullMissingStore(), [FIND_UNKNOWN]],
  [
    "still finds a session at its expiry",
    () => new stores.FoundAtExpiryStore(),
    [FIND_EDGES, TOUCH_EARLIER],
  ],
  ["ends a session 1 ms early", () => new stores.EndsEarlyStore(), [FIND_EDGES, TOUCH_EARLIER]],
  [
    "never expires a session",
    () => new stores.NeverExpiresStore(),
    [FIND_GONE, SAVE_SUB_SECOND, TOUCH_SUB_SECOND, TOUCH_GONE, OWN_TIME, ALL_LIVE],
  ],
  ["keeps the whole buffer under a view", () => new stores.WholeBufferStore(), [SAVE_ROUND_TRIP]],
  [
    "keeps the whole buffer under a view that is not a Buffer",
    () => new stores.WholeBufferStore((data) => !Buffer.isBuffer(data)),
    [SAVE_ROUND_TRIP],
  ],
  [
    "keeps the whole buffer under a Buffer",
    () => new stores.WholeBufferStore((data) => Buffer.isBuffer(data)),
    [SAVE_ROUND_TRIP],
  ],
  [
    "keeps a view's bytes from the start of its buffer",
    () => new stores.ViewOffsetStore(),
    [SAVE_ROUND_TRIP],
  ],
  [
    "puts the chunks of a large session back in the wrong order",
    () => new stores.ChunkOrderStore(),
    [SAVE_ROUND_TRIP],
  ],
  ["refuses 1 MiB of data", () => new stores.SmallDataStore(), [SAVE_ROUND_TRIP]],
  [
    "takes a string as data",
    () => new stores.ConvertedDataStore((data) => typeof data === "string"),
    [BAD_DATA],
  ],
  [
    "takes an array of byte values as data",
    () => new stores.ConvertedDataStore(Array.isArray),
    [BAD_DATA],
  ],
  [
    "keeps a live session's first data",
    () => new stores.FirstDataStore(),
    [SAVE_NEW_DATA, SAVE_LATER, TOUCH_IN_FLIGHT, BAD_DATA],
  ],
  [
    "keeps a live session's first expiry",
    () => new stores.FirstExpiryStore(),
    [SAVE_LATER, SAVE_EARLIER, SAVE_PAST, BAD_EXPIRY],
  ],
  ["never moves an expiry earlier on save", () => new stores.SaveLaterOnlyStore(), [SAVE_EARLIER]],
  [
    "ignores a save with an expiry that has come",
    () => new stores.PastSaveKeptStore(),
    [SAVE_PAST],
  ],
  [
    "rounds expiries up to a second",
    () => new stores.WholeSecondStore(),
    [SAVE_SUB_SECOND, TOUCH_SUB_SECOND],
  ],
  [
    "drops expiries past a timer's longest delay",
    () => new stores.TimerLimitStore(),
    [SAVE_FAR, TOUCH_FAR],
  ],
  ["copies saved data a tick late", () => new stores.LateCopyStore(), [SAVE_COPY]],
  [
    "copies saved data with a Buffer's own slice()",
    () => new stores.BufferSliceStore(),
    [SAVE_COPY],
  ],
  ["answers its own array to find", () => new stores.SharedFindStore(), [FIND_COPY]],
  [
    "deletes every session",
    () => new stores.DeleteAllStore(),
    [DELETE_OTHERS, SAVE_AWKWARD, ALL_LIVE],
  ],
  [
    "keeps delete markers forever, for unknown tokens too",
    () => new stores.EndlessMarkerStore(),
    [DELETE_UNKNOWN, DELETE_MARKER_ENDS],
  ],
  [
    "brings a deleted session back on save",
    () => new stores.ResurrectingStore(),
    [DELETE_SAVE_AFTER, DELETE_IN_FLIGHT, ALL_LIVE],
  ],
  [
    "answers true to a touch of a deleted session",
    () => new stores.TouchDeletedStore(),
    [DELETE_SAVE_AFTER, TOUCH_GONE],
  ],
  [
    "brings a deleted session back on touch",
    () => new stores.TouchRevivesStore(),
    [DELETE_SAVE_AFTER, DELETE_IN_FLIGHT, TOUCH_GONE],
  ],
  [
    "makes a session on a touch of an unknown token",
    () => new stores.TouchCreatesStore(),
    [TOUCH_UNKNOWN, TOUCH_GONE, TOUCH_PAST],
  ],
  [
    "changes nothing on touch",
    () => new stores.TouchNothingStore(),
    [TOUCH_LATER, TOUCH_EARLIER, TOUCH_PAST, TOUCH_SUB_SECOND, OWN_TIME],
  ],
  [
    "never moves an expiry earlier on touch",
    () => new stores.TouchLaterOnlyStore(),
    [TOUCH_EARLIER, TOUCH_PAST, TOUCH_SUB_SECOND, OWN_TIME],
  ],
  [
    "keeps a session touched to an expiry that has come",
    () => new stores.PastTouchKeptStore(),
    [TOUCH_PAST],
  ],
  ["writes back stale data on touch", () => new stores.StaleTouchStore(), [TOUCH_IN_FLIGHT]],
  ["takes a token with a lone surrogate", () => new stores.LoneSurrogateStore(), [BAD_TOKEN]],
  [
    "names no argument in its errors",
    () => new stores.VagueErrorStore(),
    [BAD_TOKEN, BAD_DATA, BAD_EXPIRY],
  ],
  ...(["find", "save", "touch", "delete"] as const).map(
    (method): [string, () => IterableStore, string[]] => [
      `names no argument in ${method}'s TypeErrors for \`token\``,
      () => new stores.OneVagueErrorStore(method, TypeError, "token"),
      [BAD_TOKEN],
    ],
  ),
  [
    "names no argument in save's TypeErrors for `expiry`",
    () => new stores.OneVagueErrorStore("save", TypeError, "expiry"),
    [BAD_EXPIRY],
  ],
  [
    "names no argument in touch's TypeErrors for `expiry`",
    () => new stores.OneVagueErrorStore("touch", TypeError, "expiry"),
    [BAD_EXPIRY],
  ],
  [
    "names no argument in save's RangeErrors for `expiry`",
    () => new stores.OneVagueErrorStore("save", RangeError, "expiry"),
    [BAD_EXPIRY],
  ],
  [
    "names no argument in save's RangeErrors for `expiry`, for a live session",
    () => new stores.OneVagueErrorStore("save", RangeError, "expiry", true),
    [BAD_EXPIRY],
  ],
  [
    "names no argument in save's RangeErrors for `expiry`, for a new session",
    () => new stores.OneVagueErrorStore("save", RangeError, "expiry", false),
    [BAD_EXPIRY],
  ],
  ["takes an array of one token as the token", () => new stores.ArrayTokenStore(), [BAD_TOKEN]],
  [
    "answers false to a touch that moved the expiry",
    () => new stores.TouchFalseStore(),
    [TOUCH_EARLIER, TOUCH_FAR],
  ],
  [
    "names no argument in touch's RangeErrors for `expiry`",
    () => new stores.OneVagueErrorStore("touch", RangeError, "expiry"),
    [BAD_EXPIRY],
  ],
  [
    "removes the session before it checks a save",
    () => new stores.DropThenCheckStore(),
    [DELETE_SAVE_AFTER, DELETE_IN_FLIGHT, BAD_DATA, BAD_EXPIRY, ALL_LIVE],
  ],
  [
    "throws a TypeError for an Invalid Date",
    () => new stores.InvalidDateTypeErrorStore(),
    [BAD_EXPIRY],
  ],
  ["takes a number as an expiry", () => new stores.NumberExpiryStore(), [BAD_EXPIRY]],
  [
    "takes a number of ms still to come as an expiry",
    () => new stores.FutureNumberExpiryStore(),
    [BAD_EXPIRY],
  ],
  ["takes a date string as an expiry", () => new stores.DateStringExpiryStore(), [BAD_EXPIRY]],
  ["reads an expiry by the Date's getTime", () => new stores.OwnGetTimeStore(), [OWN_TIME]],
  [
    "answers a plain object to all",
    () => new stores.AllObjectStore(),
    [ALL_EMPTY, ALL_LIVE, ALL_COPY],
  ],
  ["answers a Map-like object to all", () => new stores.AllMapLikeStore(), [ALL_EMPTY]],
  ["lists live sessions with no data", () => new stores.AllTokensOnlyStore(), [ALL_LIVE]],
  ["lists expired and deleted sessions", () => new stores.AllHeldStore(), [ALL_LIVE]],
  ["answers its own arrays to all", () => new stores.SharedAllStore(), [ALL_COPY]],
];

/**
 * Asserts that a failure's `message` starts with what the check was about, whole: no part of it
 * left empty, and not node:assert's own words, which it uses when a message is empty.
 */
function expectLabelled(message: string, what: string): void {
  const label = message.split("\n")[0]?.split(": expected")[0] ?? "";
  expect(label, `${what}: ${message}`).not.to.match(/^$|^:|, $|^Expected values to be/);
}

/** How many calls of each spec are sabotaged at most, one run each: enough to reach its every check. */
const SABOTAGED_CALLS = 20;

describe("iterableStoreContract failures", () => {
  for (const name of ALL_SPECS) {
    it(`name the check that failed: ${name}`, async () => {
      let failures = 0;
      for (let call = 1; call <= SABOTAGED_CALLS; call++) {
        const store = new stores.SabotagedStore(call);
        const run = await runInProcess({ create: () => store }, [name]);
        // The spec made fewer calls than that: none was sabotaged, nor will a later one be.
        if (store.calls < call) break;
        const message = run.failed.get(name);
        if (message === undefined) continue;
        failures++;
        // A wrong answer fails a check of the suite; it never makes the spec throw on its own.
        expect(run.crashed, `call ${call}: ${message}`).to.deep.equal([]);
        expectLabelled(message, `call ${call}`);
      }
      expect(failures, "runs that failed").to.be.above(0);
    });
  }
});

describe("iterableStoreContract in this process", () => {
  for (const [broken, create, failing] of BROKEN) {
    it(`fails a store that ${broken}: ${failing.length} of its specs`, async () => {
      const run = await runInProcess({ create }, failing);
      expect([...run.failed.keys()], [...run.failed.values()].join("\n")).to.have.members(failing);
      for (const [name, message] of run.failed) expectLabelled(message, name);
    });
  }

  it("fails a store whose clock is 10 ms ahead, given clockToleranceMs 5: 2 of its specs", async () => {
    const failing = [FIND_EDGES, TOUCH_EARLIER];
    const run = await runInProcess(
      { create: () => new stores.SkewedStore(10), clockToleranceMs: 5 },
      failing,
    );
    expect([...run.failed.keys()], [...run.failed.values()].join("\n")).to.have.members(failing);
  });

  it("passes a store that keeps the contract, on time", async () => {
    const run = await runInProcess({ create: () => new MapStore() });
    expect([...run.failed]).to.deep.equal([]);
    expect(run.passed).to.deep.equal(ALL_SPECS);
  });

  it("passes a store whose every call answers 3 ms late", async () => {
    const run = await runInProcess({ create: () => new stores.SlowStore() });
    expect([...run.failed]).to.deep.equal([]);
    expect(run.passed).to.deep.equal(ALL_SPECS);
  });

  it("passes a store whose touch answers 30 ms late, after a session of 20 ms has ended", async () => {
    const run = await runInProcess({ create: () => new stores.SlowStore(30) });
    expect([...run.failed]).to.deep.equal([]);
    expect(run.passed).to.deep.equal(ALL_SPECS);
  });

  it("passes the touch specs on a store whose touch answers 30 ms late, given clockToleranceMs 40", async () => {
    // Such a touch answers after the session of 20 ms has ended, but within the tolerance.
    const touchSpecs = ALL_SPECS.filter((name) => name.startsWith("touch: "));
    const run = await runInProcess(
      { create: () => new stores.SlowStore(30), clockToleranceMs: 40 },
      touchSpecs,
    );
    expect([...run.failed]).to.deep.equal([]);
    expect(run.passed).to.deep.equal(touchSpecs);
  });

  for (const offsetMs of [5, -5]) {
    it(`passes a store whose clock is ${offsetMs} ms off, given clockToleranceMs 5`, async () => {
      const run = await runInProcess({
        create: () => new stores.SkewedStore(offsetMs),
        clockToleranceMs: 5,
      });
      expect([...run.failed]).to.deep.equal([]);
      expect(run.passed).to.deep.equal(ALL_SPECS);
    });
  }
});
