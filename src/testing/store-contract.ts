import assert from "node:assert/strict";
import type { IterableStore, Store } from "../store";
import { bytes, expectFound, expectMissing, expectRejected } from "./assertions";
import { inMs, waitUntil } from "./real-time";

/**
 * The two functions of a test runner that the contract suite uses: mocha's globals
 * (`{ describe, it }`) and `node:test`'s exports both fit, as do those of most runners.
 */
export interface TestRunner {
  /** Groups the specs that `body` declares under `name`; `body` runs at once. */
  describe(name: string, body: () => void): unknown;
  /** Declares one spec; the runner calls `body` and fails the spec when it rejects. */
  it(name: string, body: () => Promise<void>): unknown;
}

/** How the contract suite makes and releases the store it checks. */
export interface StoreContractOptions<S extends Store> {
  /**
   * Makes an empty store. Called once for every spec, so each starts empty: a store over a
   * database should clear what it holds (or use a key prefix of its own) here.
   */
  create(): S | Promise<S>;
  /** Releases a store made by `create`, after its spec, whether the spec passed or not. */
  close?(store: S): unknown;
  /**
   * How many milliseconds the store's clock may run behind or ahead of this process's (a database
   * on another machine, or one that keeps a session up to 1 ms late). Checks that a session is
   * gone wait this much past its expiry, and checks that it is still live are made only while it
   * is this much before its expiry.
   *
   * @defaultValue 0: the store reads this machine's clock, and every edge is checked to the
   *   millisecond.
   */
  clockToleranceMs?: number;
}

const ONE_HOUR_MS = 3_600_000;
/** How many sessions the specs of exact edges and of calls in flight together try, each. */
const ROUNDS = 20;

/** Tokens that a store must treat as ordinary, independent strings. */
const AWKWARD_TOKENS: readonly string[] = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "0",
  "-1",
  "a:b",
  "*",
  "#__proto__",
  " ",
  "セッション🔑",
  "x".repeat(4_096),
];
const BAD_TOKENS: readonly unknown[] = ["", "\uD800", undefined, null, 42, {}, ["token"]];
const BAD_DATA: readonly unknown[] = ["text", [1, 2], new ArrayBuffer(2), new Uint16Array(1), null];
/**
 * Expiries that are not Dates, made when a spec runs: a number of ms still to come (a suite that
 * waits long to run, on a busy machine, would otherwise hold one already past), a date string,
 * and others.
 */
const nonDateExpiries = (): readonly unknown[] => [Date.now() + 60_000, "2100-01-01", null, {}];

/** What a spec gets: the store under test, and the clock checks made against it. */
interface Spec<S extends Store> {
  readonly store: S;
  /** {@link StoreContractOptions.clockToleranceMs}. */
  readonly toleranceMs: number;
  /** Whether a call that answered just now certainly ran before `expiryMs` on the store's clock. */
  answeredBefore(expiryMs: number): boolean;
  /** Waits until `expiryMs` has certainly come on the store's clock. */
  waitPast(expiryMs: number): Promise<void>;
  /**
   * Saves `token` to expire at `expiryMs`, then checks it is found 1 ms before (when the find
   * answers in time to tell) and gone at `expiryMs`.
   */
  expectEdges(token: string, data: Uint8Array, expiryMs: number): Promise<void>;
}

/**
 * Declares, with the runner's `describe` and `it`, the specs of the {@link Store} contract, run
 * against stores made by `options.create`: find, save, delete (a deleted session stays deleted
 * until its own expiry, whatever is saved meanwhile), touch, and the errors for bad arguments.
 * The specs run in real time (no fake clock), each waiting at most about 100 ms at a time; the
 * whole suite takes a few seconds for an in-memory store. Their verdict does not depend on how
 * busy the machine is: a check that a session is still live is made only when its answer came
 * before the expiry, and a check that it is gone only once the expiry has passed.
 *
 * @example
 * ```ts
 * import { describe, it } from "node:test";
 * import { MemStore } from "scs-memstore";
 * import { storeContract } from "scs-memstore/testing";
 *
 * storeContract({ describe, it }, "MemStore", {
 *   create: () => new MemStore(0),
 *   close: (store) => store.close(),
 * });
 * ```
 *
 * @param runner - The test runner's `describe` and `it`.
 * @param name - The store's name, which starts the name of every group of specs.
 * @throws TypeError when `runner` lacks `describe` or `it`, `name` is not a non-empty string,
 *   `options.create` or `options.close` is not a function, or `options.clockToleranceMs` is not a
 *   number from 0 up.
 */
export function storeContract<S extends Store>(
  runner: TestRunner,
  name: string,
  options: StoreContractOptions<S>,
): void {
  const spec = specMaker(runner, name, options);
  const { describe } = runner;

  describe(`${name}: Store contract`, () => {
    describe("find", () => {
      spec(
        "find: an unknown token, or one named like an Object.prototype member, is not found",
        async ({ store }) => {
          expectMissing(await store.find("no-such-token"), "find of an unknown token");
          for (const token of AWKWARD_TOKENS) {
            expectMissing(await store.find(token), `find of ${JSON.stringify(token)}`);
          }
        },
      );

      spec("find: a session is found until 1 ms before its expiry and is gone at it", async (s) => {
        for (let round = 0; round < ROUNDS; round++) {
          await s.expectEdges(`edge-${round}`, bytes(round), Date.now() + 10 + (round % 3));
        }
      });

      spec(
        "find: a session stays gone after its expiry, however often it is asked for",
        async (s) => {
          const expiry = inMs(20);
          await s.store.save("gone", bytes(7), expiry);
          await s.waitPast(expiry.getTime());
          for (let i = 0; i < 3; i++)
            expectMissing(await s.store.find("gone"), "find after expiry");
        },
      );
    });

    describe("save", () => {
      spec(
        "save: round-trips a Buffer, every byte value, a view, an empty array and 1 MiB",
        async ({ store }) => {
          const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
          const samples: [string, Uint8Array][] = [
            ["buffer", Buffer.from("hello, session")],
            ["every-byte", Uint8Array.from({ length: 256 }, (_, i) => i)],
            ["view", backing.subarray(10, 20)],
            ["empty", new Uint8Array(0)],
            ["large", Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31 + 7) & 0xff)],
          ];
          for (const [token, data] of samples) await store.save(token, data, inMs(ONE_HOUR_MS));
          for (const [token, data] of samples) expectFound(await store.find(token), data, token);
        },
      );

      spec("save: an existing token gets the new data", async ({ store }) => {
        await store.save("token", bytes(1, 2, 3), inMs(ONE_HOUR_MS));
        await store.save("token", bytes(9), inMs(ONE_HOUR_MS));
        expectFound(await store.find("token"), bytes(9), "after the second save");
      });

      spec("save: an existing token's expiry moves later", async (s) => {
        const first = inMs(20);
        await s.store.save("token", bytes(1), first);
        await s.store.save("token", bytes(2), inMs(ONE_HOUR_MS));
        await s.waitPast(first.getTime());
        expectFound(await s.store.find("token"), bytes(2), "after the first expiry");
      });

      spec("save: an existing token's expiry moves earlier", async (s) => {
        await s.store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await s.expectEdges("token", bytes(2), Date.now() + 20);
      });

      spec(
        "save: an expiry in the past, or exactly now, stores nothing and removes the session",
        async ({ store, toleranceMs }) => {
          // Now, as far as a store whose clock may be `toleranceMs` behind can tell.
          const now = () => inMs(-toleranceMs);
          await store.save("past", bytes(1), inMs(-1_000));
          expectMissing(await store.find("past"), "saved with a past expiry");
          await store.save("now", bytes(1), now());
          expectMissing(await store.find("now"), "saved with an expiry of now");
          for (const expiry of [() => inMs(-1 - toleranceMs), now]) {
            await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
            await store.save("token", bytes(2), expiry());
            expectMissing(await store.find("token"), "saved again with an expired expiry");
          }
        },
      );

      spec(
        "save: sub-second expiries (2, 50 and 100 ms) end on time, never turning into forever",
        async (s) => {
          const expiries = [2, 50, 100].map((ms) => [`ttl-${ms}`, inMs(ms)] as const);
          for (const [token, expiry] of expiries) await s.store.save(token, bytes(1), expiry);
          for (const [token, expiry] of expiries) {
            await s.waitPast(expiry.getTime());
            expectMissing(await s.store.find(token), `${token} after its expiry`);
          }
        },
      );

      spec(
        "save: far-future expiries (year 3000, the last valid Date) are kept",
        async ({ store }) => {
          await store.save("y3000", bytes(30), new Date("3000-01-01T00:00:00Z"));
          await store.save("last", bytes(86), new Date(8.64e15));
          expectFound(await store.find("y3000"), bytes(30), "year 3000");
          expectFound(await store.find("last"), bytes(86), "the last valid Date");
        },
      );

      spec(
        "save: unicode, 4 KiB, numeric and Object.prototype-named tokens are independent sessions",
        async ({ store }) => {
          const dataOf = (i: number) => bytes(i, i + 100);
          for (const [i, token] of AWKWARD_TOKENS.entries()) {
            await store.save(token, dataOf(i), inMs(ONE_HOUR_MS));
          }
          expectMissing(await store.find("unrelated"), "an unrelated token");
          await store.delete("__proto__");
          expectMissing(await store.find("__proto__"), "__proto__ after its delete");
          for (const [i, token] of AWKWARD_TOKENS.entries()) {
            if (token !== "__proto__") expectFound(await store.find(token), dataOf(i), token);
          }
        },
      );

      spec(
        "save: changing the array passed, before or after save answers, changes no session",
        async ({ store }) => {
          const early = bytes(1, 2, 3);
          const saved = store.save("early", early, inMs(ONE_HOUR_MS));
          early.fill(0);
          await saved;
          // A Buffer's slice() is a view of its memory, not a copy.
          const late = Buffer.from([4, 5, 6]);
          await store.save("late", late, inMs(ONE_HOUR_MS));
          late.fill(0);
          expectFound(await store.find("early"), bytes(1, 2, 3), "changed before save answered");
          expectFound(await store.find("late"), bytes(4, 5, 6), "changed after save answered");
        },
      );

      spec("find: changing the array returned changes no session", async ({ store }) => {
        await store.save("token", bytes(1, 2, 3), inMs(ONE_HOUR_MS));
        (await store.find("token")).data?.fill(0xee);
        expectFound(await store.find("token"), bytes(1, 2, 3), "after changing a find's array");
      });
    });

    describe("delete", () => {
      spec("delete: removes the session, and leaves the others alone", async ({ store }) => {
        await store.save("a", bytes(1), inMs(ONE_HOUR_MS));
        await store.save("b", bytes(2), inMs(ONE_HOUR_MS));
        await store.delete("a");
        expectMissing(await store.find("a"), "the deleted session");
        expectFound(await store.find("b"), bytes(2), "another session");
      });

      spec(
        "delete: an unknown or expired token is not an error, and can then be saved",
        async (s) => {
          await s.store.delete("unknown");
          await s.store.save("unknown", bytes(1), inMs(ONE_HOUR_MS));
          expectFound(await s.store.find("unknown"), bytes(1), "saved after deleting it unknown");
          const expiry = inMs(20);
          await s.store.save("expired", bytes(2), expiry);
          await s.waitPast(expiry.getTime());
          await s.store.delete("expired");
          await s.store.save("expired", bytes(3), inMs(ONE_HOUR_MS));
          expectFound(await s.store.find("expired"), bytes(3), "saved after deleting it expired");
        },
      );

      spec(
        "delete: a save after the delete leaves the session gone, and touch answers false",
        async ({ store }) => {
          await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
          await store.delete("token");
          await store.save("token", bytes(2), inMs(2 * ONE_HOUR_MS));
          expectMissing(await store.find("token"), "saved after its delete");
          assert.equal(await store.touch("token", inMs(ONE_HOUR_MS)), false, "touch after delete");
          expectMissing(await store.find("token"), "touched after its delete");
        },
      );

      spec(
        "delete: once the deleted session's own expiry has come, the token can be saved again",
        async (s) => {
          const expiry = inMs(100);
          await s.store.save("token", bytes(1), expiry);
          await s.store.delete("token");
          await s.store.save("token", bytes(2), inMs(ONE_HOUR_MS));
          const found = await s.store.find("token");
          if (s.answeredBefore(expiry.getTime())) expectMissing(found, "saved after its delete");
          await s.waitPast(expiry.getTime());
          await s.store.save("token", bytes(3), inMs(ONE_HOUR_MS));
          expectFound(
            await s.store.find("token"),
            bytes(3),
            "saved after the deleted one's expiry",
          );
        },
      );

      spec(
        "delete: saves and touches in flight together with a delete never bring the session back",
        async ({ store }) => {
          for (let round = 0; round < ROUNDS; round++) {
            const token = `race-${round}`;
            await store.save(token, bytes(round, 0), inMs(ONE_HOUR_MS));
            // A request that loaded the session before the delete saves it after, or meanwhile.
            await Promise.all([
              store.save(token, bytes(round, 1), inMs(ONE_HOUR_MS)),
              store.delete(token),
              store.save(token, bytes(round, 2), inMs(2 * ONE_HOUR_MS)),
              store.touch(token, inMs(2 * ONE_HOUR_MS)),
            ]);
            expectMissing(await store.find(token), `${token} after the calls in flight`);
            await store.save(token, bytes(round, 3), inMs(ONE_HOUR_MS));
            expectMissing(await store.find(token), `${token} saved after them`);
          }
        },
      );
    });

    describe("touch", () => {
      spec("touch: an unknown token answers false and creates no session", async ({ store }) => {
        assert.equal(await store.touch("never-saved", inMs(ONE_HOUR_MS)), false, "touch");
        expectMissing(await store.find("never-saved"), "after touch");
      });

      spec("touch: moves a live session's expiry later, keeping its data", async (s) => {
        const first = inMs(20);
        await s.store.save("token", bytes(1, 2), first);
        const touched = await s.store.touch("token", inMs(ONE_HOUR_MS));
        if (s.answeredBefore(first.getTime()))
          assert.equal(touched, true, "touch of a live session");
        await s.waitPast(first.getTime());
        if (touched)
          expectFound(await s.store.find("token"), bytes(1, 2), "after the first expiry");
      });

      spec(
        "touch: moves a live session's expiry earlier: found until 1 ms before it, gone at it",
        async (s) => {
          for (let round = 0; round < ROUNDS / 2; round++) {
            const token = `touched-${round}`;
            await s.store.save(token, bytes(round), inMs(ONE_HOUR_MS));
            const expiryMs = Date.now() + 10 + (round % 3);
            const touched = await s.store.touch(token, new Date(expiryMs));
            // A store answering after the new expiry has rightly removed the session.
            if (s.answeredBefore(expiryMs)) assert.equal(touched, true, "touch");
            await expectEdgesOf(s, token, bytes(round), expiryMs);
          }
        },
      );

      spec("touch: an expired or deleted session stays gone and answers false", async (s) => {
        const expiry = inMs(20);
        await s.store.save("expired", bytes(1), expiry);
        await s.store.save("deleted", bytes(2), inMs(ONE_HOUR_MS));
        await s.store.delete("deleted");
        await s.waitPast(expiry.getTime());
        for (const token of ["expired", "deleted"]) {
          assert.equal(await s.store.touch(token, inMs(ONE_HOUR_MS)), false, `touch of ${token}`);
          expectMissing(await s.store.find(token), `${token} after touch`);
        }
      });

      spec(
        "touch: an expiry in the past, or exactly now, removes the session and answers false",
        async ({ store, toleranceMs }) => {
          // Now, as far as a store whose clock may be `toleranceMs` behind can tell.
          for (const expiry of [() => inMs(-1_000), () => inMs(-toleranceMs)]) {
            await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
            assert.equal(await store.touch("token", expiry()), false, "touch to an expired time");
            expectMissing(await store.find("token"), "after touch");
            assert.equal(await store.touch("token", inMs(ONE_HOUR_MS)), false, "touch again");
          }
        },
      );

      spec(
        "touch: sub-second expiries (2, 50 and 100 ms) end on time, never turning into forever",
        async (s) => {
          const expiries = [2, 50, 100].map((ms) => [`ttl-${ms}`, ms] as const);
          const touched: [string, Date][] = [];
          for (const [token, ms] of expiries) {
            await s.store.save(token, bytes(1), inMs(ONE_HOUR_MS));
            const expiry = inMs(ms);
            await s.store.touch(token, expiry);
            touched.push([token, expiry]);
          }
          for (const [token, expiry] of touched) {
            await s.waitPast(expiry.getTime());
            expectMissing(await s.store.find(token), `${token} after its expiry`);
          }
        },
      );

      spec(
        "touch: far-future expiries (year 3000, the last valid Date) are kept",
        async ({ store }) => {
          await store.save("y3000", bytes(30), inMs(ONE_HOUR_MS));
          await store.save("last", bytes(86), inMs(ONE_HOUR_MS));
          assert.equal(await store.touch("y3000", new Date("3000-01-01T00:00:00Z")), true, "touch");
          assert.equal(await store.touch("last", new Date(8.64e15)), true, "touch");
          expectFound(await store.find("y3000"), bytes(30), "year 3000");
          expectFound(await store.find("last"), bytes(86), "the last valid Date");
        },
      );

      spec(
        "touch: a save in flight together with a touch of the same token is never undone",
        async ({ store }) => {
          for (let round = 0; round < ROUNDS; round++) {
            await store.save("race", bytes(round, 0), inMs(ONE_HOUR_MS));
            await Promise.all([
              store.touch("race", inMs(2 * ONE_HOUR_MS)),
              store.save("race", bytes(round, 1), inMs(ONE_HOUR_MS)),
            ]);
            expectFound(await store.find("race"), bytes(round, 1), `round ${round}`);
          }
        },
      );
    });

    describe("bad arguments", () => {
      /** Checks that the session `kept` is as it was saved, after the bad calls of a spec. */
      const keeping = (body: (store: S) => Promise<void>) => async (s: Spec<S>) => {
        await s.store.save("kept", bytes(4, 2), inMs(ONE_HOUR_MS));
        await body(s.store);
        expectFound(await s.store.find("kept"), bytes(4, 2), "the session after the bad calls");
      };

      spec(
        "find, save, touch, delete: a token that is not a non-empty string of well-formed Unicode is a TypeError naming `token`",
        keeping(async (store) => {
          for (const token of BAD_TOKENS) {
            const bad = token as string;
            const what = `token ${String(token)}`;
            await expectRejected(() => store.find(bad), TypeError, "token", `find, ${what}`);
            await expectRejected(
              () => store.save(bad, bytes(1), inMs(ONE_HOUR_MS)),
              TypeError,
              "token",
              `save, ${what}`,
            );
            await expectRejected(
              () => store.touch(bad, inMs(ONE_HOUR_MS)),
              TypeError,
              "token",
              `touch, ${what}`,
            );
            await expectRejected(() => store.delete(bad), TypeError, "token", `delete, ${what}`);
          }
        }),
      );

      spec(
        "save: data that is not a Uint8Array is a TypeError naming `data`, the session unchanged",
        keeping(async (store) => {
          for (const data of BAD_DATA) {
            const call = () => store.save("kept", data as Uint8Array, inMs(ONE_HOUR_MS));
            await expectRejected(call, TypeError, "data", `save, data ${String(data)}`);
          }
        }),
      );

      spec(
        "save, touch: an expiry that is not a Date is a TypeError, an invalid Date a RangeError, naming `expiry`, the session unchanged",
        keeping(async (store) => {
          for (const expiry of nonDateExpiries()) {
            const bad = expiry as Date;
            const what = `expiry ${String(expiry)}`;
            await expectRejected(
              () => store.save("kept", bytes(9), bad),
              TypeError,
              "expiry",
              `save, ${what}`,
            );
            await expectRejected(
              () => store.touch("kept", bad),
              TypeError,
              "expiry",
              `touch, ${what}`,
            );
          }
          const invalid = new Date(Number.NaN);
          await expectRejected(
            () => store.save("kept", bytes(9), invalid),
            RangeError,
            "expiry",
            "save, Invalid Date",
          );
          await expectRejected(
            () => store.touch("kept", invalid),
            RangeError,
            "expiry",
            "touch, Invalid Date",
          );
          await expectRejected(
            () => store.save("new", bytes(9), invalid),
            RangeError,
            "expiry",
            "save, Invalid Date",
          );
          expectMissing(await store.find("new"), "a session saved with an Invalid Date");
        }),
      );

      spec("save, touch: a Date's own time counts, not a getTime put on it", async (s) => {
        const expiryMs = Date.now() + 100;
        const overridden = () =>
          Object.assign(new Date(expiryMs), { getTime: () => "forever" as unknown as number });
        await s.store.save("saved", bytes(1), overridden());
        await s.store.save("touched", bytes(2), inMs(ONE_HOUR_MS));
        await s.store.touch("touched", overridden());
        await s.waitPast(expiryMs);
        expectMissing(await s.store.find("saved"), "saved with it, after its time");
        expectMissing(await s.store.find("touched"), "touched with it, after its time");
      });
    });
  });
}

/**
 * {@link storeContract}, plus the specs of `all` that every {@link IterableStore} shares: it lists
 * live sessions only (not expired or deleted ones), as copies.
 *
 * @throws TypeError for the same bad arguments as {@link storeContract}.
 */
export function iterableStoreContract<S extends IterableStore>(
  runner: TestRunner,
  name: string,
  options: StoreContractOptions<S>,
): void {
  storeContract(runner, name, options);
  const spec = specMaker(runner, name, options);

  runner.describe(`${name}: IterableStore contract`, () => {
    spec("all: an empty store gives an empty Map", async ({ store }) => {
      const sessions = await store.all();
      assert.ok(sessions instanceof Map, "all() answers a Map");
      assert.equal(sessions.size, 0, "sessions in an empty store");
    });

    spec("all: lists live sessions by token, leaving out expired and deleted ones", async (s) => {
      const expiry = inMs(20);
      await s.store.save("live", bytes(1), inMs(ONE_HOUR_MS));
      await s.store.save("__proto__", bytes(3), inMs(ONE_HOUR_MS));
      await s.store.save("empty", new Uint8Array(0), inMs(ONE_HOUR_MS));
      await s.store.save("short", bytes(4), expiry);
      await s.store.save("deleted", bytes(5), inMs(ONE_HOUR_MS));
      await s.store.delete("deleted");
      await s.store.save("deleted", bytes(6), inMs(ONE_HOUR_MS));
      await s.waitPast(expiry.getTime());
      const sessions = await s.store.all();
      assert.deepEqual(
        [...sessions.keys()].sort(),
        ["__proto__", "empty", "live"],
        "tokens listed",
      );
      for (const [token, data] of [
        ["live", bytes(1)],
        ["__proto__", bytes(3)],
        ["empty", bytes()],
      ] as const) {
        expectFound({ exists: true, data: sessions.get(token) as Uint8Array }, data, token);
      }
    });

    spec("all: changing the arrays returned changes no session", async ({ store }) => {
      await store.save("token", bytes(1, 2), inMs(ONE_HOUR_MS));
      (await store.all()).get("token")?.fill(0);
      expectFound(await store.find("token"), bytes(1, 2), "after changing all()'s array");
    });
  });
}

/**
 * Checks the arguments of {@link storeContract}, and returns the function that declares one spec:
 * a fresh store for it, closed after it.
 */
function specMaker<S extends Store>(
  runner: TestRunner,
  name: string,
  options: StoreContractOptions<S>,
): (title: string, body: (spec: Spec<S>) => Promise<void>) => void {
  if (typeof runner?.describe !== "function" || typeof runner.it !== "function") {
    throw new TypeError(
      `Expected \`runner\` to have describe and it functions, got ${typeof runner}`,
    );
  }
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`Expected \`name\` to be a non-empty string, got ${String(name)}`);
  }
  if (typeof options?.create !== "function") {
    throw new TypeError("Expected `options.create` to be a function that makes a store");
  }
  if (options.close !== undefined && typeof options.close !== "function") {
    throw new TypeError(`Expected \`options.close\` to be a function, got ${typeof options.close}`);
  }
  const toleranceMs = options.clockToleranceMs ?? 0;
  if (typeof toleranceMs !== "number" || !(toleranceMs >= 0)) {
    throw new TypeError(
      `Expected \`options.clockToleranceMs\` to be a number from 0 up, got ${String(toleranceMs)}`,
    );
  }

  return (title, body) => {
    runner.it(title, async () => {
      const store = await options.create();
      const spec: Spec<S> = {
        store,
        toleranceMs,
        answeredBefore: (expiryMs) => Date.now() < expiryMs - toleranceMs,
        waitPast: (expiryMs) => waitUntil(expiryMs + toleranceMs),
        async expectEdges(token, data, expiryMs) {
          await store.save(token, data, new Date(expiryMs));
          await expectEdgesOf(spec, token, data, expiryMs);
        },
      };
      try {
        await body(spec);
      } finally {
        await options.close?.(store);
      }
    });
  };
}

/**
 * Checks that the session `token`, expiring at `expiryMs`, is found 1 ms before it (when the
 * machine lets the find answer in time to tell), and is gone at it.
 */
async function expectEdgesOf<S extends Store>(
  spec: Spec<S>,
  token: string,
  data: Uint8Array,
  expiryMs: number,
): Promise<void> {
  await waitUntil(expiryMs - 1 - spec.toleranceMs);
  const before = await spec.store.find(token);
  if (spec.answeredBefore(expiryMs)) expectFound(before, data, `${token} 1 ms before its expiry`);
  await spec.waitPast(expiryMs);
  expectMissing(await spec.store.find(token), `${token} at its expiry`);
}
