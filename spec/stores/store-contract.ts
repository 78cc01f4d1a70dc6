import { expect } from "chai";
import type { FindResult, IterableStore, Store } from "../../src";

/** One store under test, with the clock it runs on. */
export interface StoreHarness<S extends Store = Store> {
  /** An empty store. */
  readonly store: S;
  /** Moves time on by `ms`: a fake clock ticks, a real one waits. */
  advance(ms: number): Promise<void>;
  /**
   * How far, in ms, the store's clock may drift from the spec's between two checks: 0 for a fake
   * clock (edges are checked to the millisecond), more where the store keeps its own time.
   */
  readonly toleranceMs: number;
  /** Releases the store and restores the clock. */
  close(): Promise<void> | void;
}

/** Makes a fresh harness for each spec. */
export type HarnessFactory<S extends Store> = () => Promise<StoreHarness<S>> | StoreHarness<S>;

/** In a `describe`: a fresh harness for every spec, handed to `ready`, and closed after it. */
export function eachSpec<S extends Store>(
  makeHarness: HarnessFactory<S>,
  ready: (harness: StoreHarness<S>) => void,
): void {
  let harness: StoreHarness<S>;
  beforeEach(async () => {
    harness = await makeHarness();
    ready(harness);
  });
  afterEach(() => harness.close());
}

/** Bytes from numbers. */
export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Every byte value 0 to 255 once, as a plain Uint8Array (not a Buffer). */
export const ALL_BYTE_VALUES = Uint8Array.from({ length: 256 }, (_, i) => i);

/** Asserts that `result` is a live session holding exactly `expected`. */
export function expectFound(result: FindResult, expected: Uint8Array): void {
  expect(result.exists, "exists").to.equal(true);
  expect(result.data).to.be.instanceOf(Uint8Array);
  const actual = result.data as Uint8Array;
  expect(actual.byteLength, "byte length").to.equal(expected.byteLength);
  expect(Buffer.compare(actual, expected), "bytes differ").to.equal(0);
}

/** Asserts that `result` says the session does not exist. */
export function expectMissing(result: FindResult): void {
  expect(result).to.deep.equal({ exists: false, data: undefined });
}

/** Calls `call` and asserts that it throws or rejects with `type` and a message matching `pattern`. */
export async function expectFailure(
  call: () => unknown,
  type: new (...args: never[]) => Error,
  pattern: RegExp,
): Promise<void> {
  let failure: unknown;
  try {
    await call();
  } catch (error) {
    failure = error;
  }
  expect(failure, "an error").to.be.instanceOf(type);
  expect((failure as Error).message).to.match(pattern);
}

const inMs = (ms: number): Date => new Date(Date.now() + ms);
const ONE_HOUR_MS = 3_600_000;

/** Tokens that a store must treat as ordinary, independent strings. */
export const AWKWARD_TOKENS: readonly string[] = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "prototype",
  "t",
  "v",
  "#",
  "#__proto__",
  "0",
  "1234567890",
  "-1",
  "セッション🔑",
  " ",
  "a:b",
  "*",
  "x".repeat(4_096),
];

const BAD_TOKENS: readonly unknown[] = [
  "",
  "\uD800",
  "lone \uDC00 surrogate",
  undefined,
  null,
  42,
  {},
  ["token"],
  Symbol("token"),
];
const BAD_DATA: readonly unknown[] = [
  "text",
  [1, 2, 3],
  new ArrayBuffer(4),
  new Uint16Array(2),
  new DataView(new ArrayBuffer(2)),
  { length: 0 },
  null,
  undefined,
];
const NON_DATE_EXPIRIES: readonly unknown[] = [
  Date.now() + 60_000,
  "2100-01-01",
  null,
  undefined,
  {},
];

/**
 * The behaviour every {@link Store} shares. Each store's spec calls this with a factory that makes
 * a fresh harness (store plus clock) for every spec.
 */
export function runStoreContract<S extends Store>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  describe(`${name}: Store contract`, () => {
    let harness: StoreHarness<S>;
    let store: S;
    eachSpec(makeHarness, (made) => {
      harness = made;
      store = made.store;
    });

    /** Advances to 1 ms before `ttlMs` (less the tolerance), then checks found; then past it. */
    async function expectExpiresAfter(token: string, data: Uint8Array, ttlMs: number) {
      const tolerance = harness.toleranceMs;
      const beforeMs = ttlMs - 1 - tolerance;
      if (beforeMs >= 0) {
        await harness.advance(beforeMs);
        expectFound(await store.find(token), data);
      }
      await harness.advance(ttlMs - Math.max(beforeMs, 0) + tolerance);
      expectMissing(await store.find(token));
    }

    /**
     * For sessions `ttl-<n>` that expire `n` ms from now (and hold the byte `n & 0xff`): each is
     * found 1 ms before its expiry (less the tolerance) and gone at it; none is left 500 ms later.
     */
    async function expectEachExpiresOnTime(ttlsMs: number[]) {
      let elapsedMs = 0;
      for (const ttlMs of ttlsMs) {
        const beforeMs = ttlMs - 1 - harness.toleranceMs;
        if (beforeMs >= elapsedMs) {
          await harness.advance(beforeMs - elapsedMs);
          elapsedMs = beforeMs;
          expectFound(await store.find(`ttl-${ttlMs}`), bytes(ttlMs & 0xff));
        }
        await harness.advance(ttlMs + harness.toleranceMs - elapsedMs);
        elapsedMs = ttlMs + harness.toleranceMs;
        expectMissing(await store.find(`ttl-${ttlMs}`));
      }
      await harness.advance(500);
      for (const ttlMs of ttlsMs) expectMissing(await store.find(`ttl-${ttlMs}`));
    }

    describe("find", () => {
      it("find: an unknown token in a fresh store is not found", async () => {
        expectMissing(await store.find("no-such-token"));
      });

      it("find: names of Object.prototype members are not found in a fresh store", async () => {
        for (const token of AWKWARD_TOKENS) expectMissing(await store.find(token));
      });

      it("find: a session is found until 1 ms before its expiry and gone at it", async () => {
        await store.save("edge", bytes(1), inMs(300));
        await expectExpiresAfter("edge", bytes(1), 300);
      });

      it("find: stays gone after expiry even when nothing else touches the store", async () => {
        await store.save("gone", bytes(7), inMs(50));
        await harness.advance(50 + harness.toleranceMs);
        expectMissing(await store.find("gone"));
        expectMissing(await store.find("gone"));
      });
    });

    describe("save", () => {
      it("save: round-trips a Buffer byte for byte", async () => {
        const data = Buffer.from("hello, session", "utf8");
        await store.save("buffer", data, inMs(ONE_HOUR_MS));
        expectFound(await store.find("buffer"), data);
      });

      it("save: round-trips a plain Uint8Array holding every byte value", async () => {
        await store.save("plain", ALL_BYTE_VALUES, inMs(ONE_HOUR_MS));
        expectFound(await store.find("plain"), ALL_BYTE_VALUES);
      });

      it("save: a view into a larger buffer stores only the view's bytes", async () => {
        const backing = Uint8Array.from({ length: 64 }, (_, i) => i);
        const view = backing.subarray(10, 20);
        await store.save("view", view, inMs(ONE_HOUR_MS));
        expectFound(
          await store.find("view"),
          Uint8Array.from({ length: 10 }, (_, i) => 10 + i),
        );
      });

      it("save: an empty Uint8Array is a real session of length 0", async () => {
        await store.save("empty", new Uint8Array(0), inMs(ONE_HOUR_MS));
        const found = await store.find("empty");
        expect(found.exists).to.equal(true);
        expect(found.data?.byteLength).to.equal(0);
      });

      it("save: round-trips a 1 MiB session", async () => {
        const large = Uint8Array.from({ length: 1_048_576 }, (_, i) => (i * 31 + 7) & 0xff);
        await store.save("large", large, inMs(ONE_HOUR_MS));
        expectFound(await store.find("large"), large);
      });

      it("save: an existing token gets the new data", async () => {
        await store.save("token", bytes(1, 2, 3), inMs(ONE_HOUR_MS));
        await store.save("token", bytes(9), inMs(ONE_HOUR_MS));
        expectFound(await store.find("token"), bytes(9));
      });

      it("save: an existing token's expiry moves later", async () => {
        await store.save("token", bytes(1), inMs(100));
        await store.save("token", bytes(2), inMs(400));
        await harness.advance(100 + harness.toleranceMs);
        expectFound(await store.find("token"), bytes(2));
        await expectExpiresAfter("token", bytes(2), 300 - harness.toleranceMs);
      });

      it("save: an existing token's expiry moves earlier", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await store.save("token", bytes(2), inMs(200));
        await expectExpiresAfter("token", bytes(2), 200);
      });

      it("save: an expiry in the past stores nothing", async () => {
        await store.save("past", bytes(1), inMs(-1_000));
        expectMissing(await store.find("past"));
      });

      it("save: an expiry in the past removes the session stored under that token", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await store.save("token", bytes(2), inMs(-1));
        expectMissing(await store.find("token"));
      });

      it("save: an expiry of exactly now stores nothing and removes an existing session", async () => {
        await store.save("now", bytes(1), new Date(Date.now()));
        expectMissing(await store.find("now"));
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await store.save("token", bytes(2), new Date(Date.now()));
        expectMissing(await store.find("token"));
      });

      it("save: sub-second expiries (2, 300, 999 ms) expire on time, never turning into forever", async () => {
        const ttlsMs = [2, 300, 999];
        for (const ttlMs of ttlsMs)
          await store.save(`ttl-${ttlMs}`, bytes(ttlMs & 0xff), inMs(ttlMs));
        await expectEachExpiresOnTime(ttlsMs);
      });

      it("save: far-future expiries (year 3000, the last valid Date) are kept", async () => {
        await store.save("y3000", bytes(30), new Date("3000-01-01T00:00:00Z"));
        await store.save("last", bytes(86), new Date(8.64e15));
        await harness.advance(100);
        expectFound(await store.find("y3000"), bytes(30));
        expectFound(await store.find("last"), bytes(86));
      });

      it("save: unicode, 4 KiB, numeric and Object.prototype-named tokens round-trip independently", async () => {
        const dataOf = (i: number) => bytes(i, i + 100);
        for (const [i, token] of AWKWARD_TOKENS.entries()) {
          await store.save(token, dataOf(i), inMs(ONE_HOUR_MS));
        }
        expectMissing(await store.find("unrelated"));
        for (const [i, token] of AWKWARD_TOKENS.entries()) {
          expectFound(await store.find(token), dataOf(i));
        }
        await store.delete("__proto__");
        expectMissing(await store.find("__proto__"));
        for (const [i, token] of AWKWARD_TOKENS.entries()) {
          if (token !== "__proto__") expectFound(await store.find(token), dataOf(i));
        }
      });

      it("save: mutating the array before save has answered does not change the session", async () => {
        const data = bytes(1, 2, 3);
        const saved = store.save("token", data, inMs(ONE_HOUR_MS));
        data.fill(0);
        await saved;
        expectFound(await store.find("token"), bytes(1, 2, 3));
      });

      it("save: mutating the saved array afterwards does not change the session", async () => {
        const data = bytes(1, 2, 3);
        await store.save("token", data, inMs(ONE_HOUR_MS));
        data.fill(0);
        expectFound(await store.find("token"), bytes(1, 2, 3));
      });
    });

    describe("find copies", () => {
      it("find: mutating the returned array does not change the session", async () => {
        await store.save("token", bytes(1, 2, 3), inMs(ONE_HOUR_MS));
        const first = await store.find("token");
        first.data?.fill(0xee);
        expectFound(await store.find("token"), bytes(1, 2, 3));
      });
    });

    describe("delete", () => {
      it("delete: removes the session", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await store.delete("token");
        expectMissing(await store.find("token"));
      });

      it("delete: an unknown token is not an error", async () => {
        await store.delete("never-saved");
        expectMissing(await store.find("never-saved"));
      });

      it("delete: an expired token is not an error", async () => {
        await store.save("token", bytes(1), inMs(10));
        await harness.advance(10 + harness.toleranceMs);
        await store.delete("token");
        expectMissing(await store.find("token"));
      });

      it("delete: leaves other sessions alone", async () => {
        await store.save("a", bytes(1), inMs(ONE_HOUR_MS));
        await store.save("b", bytes(2), inMs(ONE_HOUR_MS));
        await store.delete("a");
        expectFound(await store.find("b"), bytes(2));
      });

      it("delete: a save after the delete leaves the session gone, until its own expiry", async () => {
        await store.save("token", bytes(1), inMs(1_000));
        await store.delete("token");
        await store.save("token", bytes(2), inMs(ONE_HOUR_MS));
        expectMissing(await store.find("token"));
        expect(await store.touch("token", inMs(ONE_HOUR_MS))).to.equal(false);
        expectMissing(await store.find("token"));
        // Once the deleted session would have expired, the token is free again.
        await harness.advance(1_000 + harness.toleranceMs);
        await store.save("token", bytes(3), inMs(ONE_HOUR_MS));
        expectFound(await store.find("token"), bytes(3));
      });

      it("delete: a deleted session is left out of all and stays out after a save", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await store.delete("token");
        await store.save("token", bytes(2), inMs(ONE_HOUR_MS));
        const all = (store as Partial<IterableStore>).all;
        if (all !== undefined) expect([...(await all.call(store)).keys()]).to.deep.equal([]);
      });

      it("delete: a token that was unknown or expired when deleted can be saved", async () => {
        await store.delete("unknown");
        await store.save("unknown", bytes(1), inMs(ONE_HOUR_MS));
        expectFound(await store.find("unknown"), bytes(1));
        await store.save("expired", bytes(2), inMs(10));
        await harness.advance(10 + harness.toleranceMs);
        await store.delete("expired");
        await store.save("expired", bytes(3), inMs(ONE_HOUR_MS));
        expectFound(await store.find("expired"), bytes(3));
      });

      it("delete: saves in flight together with a delete never bring the session back", async () => {
        for (let round = 0; round < 20; round++) {
          const token = `race-${round}`;
          await store.save(token, bytes(round, 0), inMs(ONE_HOUR_MS));
          // A request that loaded the session before the delete saves it after, or meanwhile.
          const before = store.save(token, bytes(round, 1), inMs(ONE_HOUR_MS));
          const deleted = store.delete(token);
          const after = store.save(token, bytes(round, 2), inMs(2 * ONE_HOUR_MS));
          const touched = store.touch(token, inMs(2 * ONE_HOUR_MS));
          await Promise.all([before, deleted, after, touched]);
          expectMissing(await store.find(token));
          await store.save(token, bytes(round, 3), inMs(ONE_HOUR_MS));
          expectMissing(await store.find(token));
        }
      });
    });

    describe("touch", () => {
      it("touch: an unknown token answers false and creates no session", async () => {
        expect(await store.touch("never-saved", inMs(ONE_HOUR_MS))).to.equal(false);
        expectMissing(await store.find("never-saved"));
      });

      it("touch: moves a live session's expiry later, keeping its data; found until 1 ms before, gone at it", async () => {
        await store.save("token", bytes(1, 2), inMs(100));
        expect(await store.touch("token", inMs(400))).to.equal(true);
        await harness.advance(100 + harness.toleranceMs);
        expectFound(await store.find("token"), bytes(1, 2));
        await expectExpiresAfter("token", bytes(1, 2), 300 - harness.toleranceMs);
      });

      it("touch: moves a live session's expiry earlier", async () => {
        await store.save("token", bytes(3), inMs(ONE_HOUR_MS));
        expect(await store.touch("token", inMs(200))).to.equal(true);
        await expectExpiresAfter("token", bytes(3), 200);
      });

      it("touch: an expired session stays gone and answers false", async () => {
        await store.save("token", bytes(1), inMs(50));
        await harness.advance(50 + harness.toleranceMs);
        expect(await store.touch("token", inMs(ONE_HOUR_MS))).to.equal(false);
        expectMissing(await store.find("token"));
      });

      it("touch: a deleted session stays gone and answers false", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        await store.delete("token");
        expect(await store.touch("token", inMs(ONE_HOUR_MS))).to.equal(false);
        expectMissing(await store.find("token"));
      });

      it("touch: an expiry in the past removes the session and answers false", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        expect(await store.touch("token", inMs(-1_000))).to.equal(false);
        expectMissing(await store.find("token"));
        expect(await store.touch("token", inMs(ONE_HOUR_MS))).to.equal(false);
        expectMissing(await store.find("token"));
      });

      it("touch: an expiry of exactly now removes the session and answers false", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        expect(await store.touch("token", new Date(Date.now()))).to.equal(false);
        expectMissing(await store.find("token"));
      });

      it("touch: sub-second expiries (2, 300, 999 ms) expire on time, never turning into forever", async () => {
        const ttlsMs = [2, 300, 999];
        for (const ttlMs of ttlsMs) {
          await store.save(`ttl-${ttlMs}`, bytes(ttlMs & 0xff), inMs(ONE_HOUR_MS));
          expect(await store.touch(`ttl-${ttlMs}`, inMs(ttlMs))).to.equal(true);
        }
        await expectEachExpiresOnTime(ttlsMs);
      });

      it("touch: far-future expiries (year 3000, the last valid Date) are kept", async () => {
        await store.save("y3000", bytes(30), inMs(100));
        await store.save("last", bytes(86), inMs(100));
        expect(await store.touch("y3000", new Date("3000-01-01T00:00:00Z"))).to.equal(true);
        expect(await store.touch("last", new Date(8.64e15))).to.equal(true);
        await harness.advance(100 + harness.toleranceMs);
        expectFound(await store.find("y3000"), bytes(30));
        expectFound(await store.find("last"), bytes(86));
      });

      it("touch: Object.prototype-named and unicode tokens are touched independently", async () => {
        for (const token of AWKWARD_TOKENS) await store.save(token, bytes(1), inMs(100));
        for (const token of AWKWARD_TOKENS) {
          if (token !== "constructor") {
            expect(await store.touch(token, inMs(ONE_HOUR_MS)), token).to.equal(true);
          }
        }
        await harness.advance(100 + harness.toleranceMs);
        for (const token of AWKWARD_TOKENS) {
          const found = await store.find(token);
          expect(found.exists, token).to.equal(token !== "constructor");
        }
      });

      it("touch: a save in flight together with a touch of the same token is never undone", async () => {
        for (let round = 0; round < 20; round++) {
          await store.save("race", bytes(round, 0), inMs(ONE_HOUR_MS));
          const touched = store.touch("race", inMs(2 * ONE_HOUR_MS));
          const saved = store.save("race", bytes(round, 1), inMs(ONE_HOUR_MS));
          await Promise.all([touched, saved]);
          expectFound(await store.find("race"), bytes(round, 1));
        }
      });
    });

    describe("bad arguments", () => {
      beforeEach(async () => {
        await store.save("kept", bytes(4, 2), inMs(ONE_HOUR_MS));
      });
      afterEach(async () => {
        expectFound(await store.find("kept"), bytes(4, 2));
      });

      it("find: a token that is not a non-empty string is a TypeError naming `token`", async () => {
        for (const token of BAD_TOKENS) {
          await expectFailure(() => store.find(token as string), TypeError, /`token`.*got/);
        }
      });

      it("save: a token that is not a non-empty string is a TypeError naming `token`", async () => {
        for (const token of BAD_TOKENS) {
          await expectFailure(
            () => store.save(token as string, bytes(1), inMs(ONE_HOUR_MS)),
            TypeError,
            /`token`.*got/,
          );
        }
      });

      it("save: data that is not a Uint8Array is a TypeError naming `data`, the session unchanged", async () => {
        for (const data of BAD_DATA) {
          await expectFailure(
            () => store.save("kept", data as Uint8Array, inMs(ONE_HOUR_MS)),
            TypeError,
            /`data`.*Uint8Array.*got/,
          );
        }
      });

      it("save: an expiry that is not a Date is a TypeError naming `expiry`, the session unchanged", async () => {
        for (const expiry of NON_DATE_EXPIRIES) {
          await expectFailure(
            () => store.save("kept", bytes(9), expiry as Date),
            TypeError,
            /`expiry`.*Date.*got/,
          );
        }
      });

      it("save: an invalid Date is a RangeError naming `expiry`, the session unchanged", async () => {
        await expectFailure(
          () => store.save("kept", bytes(9), new Date(Number.NaN)),
          RangeError,
          /`expiry`.*valid Date.*Invalid Date/,
        );
        await expectFailure(
          () => store.save("new", bytes(9), new Date("not a date")),
          RangeError,
          /`expiry`/,
        );
        expectMissing(await store.find("new"));
      });

      it("save and touch: a Date's own time counts, not a getTime put on it", async () => {
        // A Date whose getTime answers what no expiry is: its real time is 100 ms away.
        const overridden = () =>
          Object.assign(inMs(100), { getTime: () => "forever" as unknown as number });
        await store.save("saved", bytes(1), overridden());
        await store.save("touched", bytes(2), inMs(ONE_HOUR_MS));
        expect(await store.touch("touched", overridden())).to.equal(true);
        expectFound(await store.find("saved"), bytes(1));
        await harness.advance(100 + harness.toleranceMs);
        expectMissing(await store.find("saved"));
        expectMissing(await store.find("touched"));
      });

      it("save: the error message shows the value received and its type", async () => {
        await expectFailure(
          () => store.find(42 as unknown as string),
          TypeError,
          /got `42` \(number\)/,
        );
        await expectFailure(
          () => store.save("kept", "text" as unknown as Uint8Array, inMs(1_000)),
          TypeError,
          /got `'text'` \(string\)/,
        );
      });

      it("touch: a token that is not a non-empty string is a TypeError naming `token`", async () => {
        for (const token of BAD_TOKENS) {
          await expectFailure(
            () => store.touch(token as string, inMs(ONE_HOUR_MS)),
            TypeError,
            /`token`.*got/,
          );
        }
      });

      it("touch: a bad expiry is a TypeError or RangeError naming `expiry`, the session unchanged", async () => {
        for (const expiry of NON_DATE_EXPIRIES) {
          await expectFailure(
            () => store.touch("kept", expiry as Date),
            TypeError,
            /`expiry`.*Date.*got/,
          );
        }
        await expectFailure(
          () => store.touch("kept", new Date(Number.NaN)),
          RangeError,
          /`expiry`.*valid Date/,
        );
        // The session keeps its expiry (an hour away), not one of the rejected ones.
        await harness.advance(100 + harness.toleranceMs);
      });

      it("delete: a token that is not a non-empty string is a TypeError naming `token`", async () => {
        for (const token of BAD_TOKENS) {
          await expectFailure(() => store.delete(token as string), TypeError, /`token`.*got/);
        }
      });
    });
  });
}

/** {@link runStoreContract}, plus the behaviour of `all` shared by every {@link IterableStore}. */
export function runIterableStoreContract<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  runStoreContract(name, makeHarness);

  describe(`${name}: IterableStore contract`, () => {
    let harness: StoreHarness<S>;
    let store: S;
    eachSpec(makeHarness, (made) => {
      harness = made;
      store = made.store;
    });

    it("all: an empty store gives an empty Map", async () => {
      const sessions = await store.all();
      expect(sessions).to.be.instanceOf(Map);
      expect(sessions.size).to.equal(0);
    });

    it("all: lists live sessions by token, leaving out expired and deleted ones", async () => {
      await store.save("live", bytes(1), inMs(ONE_HOUR_MS));
      await store.save("awkward:__proto__", bytes(2), inMs(ONE_HOUR_MS));
      await store.save("__proto__", bytes(3), inMs(ONE_HOUR_MS));
      await store.save("short", bytes(4), inMs(100));
      await store.save("deleted", bytes(5), inMs(ONE_HOUR_MS));
      await store.delete("deleted");
      await harness.advance(100 + harness.toleranceMs);
      const sessions = await store.all();
      expect([...sessions.keys()].sort()).to.deep.equal(["__proto__", "awkward:__proto__", "live"]);
      expectFound({ exists: true, data: sessions.get("live") as Uint8Array }, bytes(1));
      expectFound({ exists: true, data: sessions.get("__proto__") as Uint8Array }, bytes(3));
    });

    it("all: mutating the returned arrays does not change the sessions", async () => {
      await store.save("token", bytes(1, 2), inMs(ONE_HOUR_MS));
      (await store.all()).get("token")?.fill(0);
      expectFound(await store.find("token"), bytes(1, 2));
    });

    it("all: a session saved with an empty Uint8Array is listed with length 0", async () => {
      await store.save("empty", new Uint8Array(0), inMs(ONE_HOUR_MS));
      expect((await store.all()).get("empty")?.byteLength).to.equal(0);
    });
  });
}
