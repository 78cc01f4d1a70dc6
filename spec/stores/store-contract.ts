import { setTimeout as sleep } from "node:timers/promises";
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
  /**
   * Where the store keeps its own clock (Redis): the expiry it holds for `token`, in ms since the
   * epoch (the first ms at which the session is gone), or undefined when it holds nothing there.
   * Specs on real time check edges by this, to the ms, instead of sleeping to 1 ms before them,
   * which a busy machine overshoots. Absent on a fake clock, where edges are checked by moving it.
   */
  readonly expiryOf?: (token: string) => Promise<number | undefined>;
}

/**
 * Asserts that the session `token` is live until its expiry and gone at it, the expiry being
 * `expiryMs` or, on real time, anything up to `latestMs` (for an expiry a request set, the
 * request answered somewhere in that span).
 *
 * On a fake clock: found 1 ms before it, gone at it (the clock is moved there). On real time: the
 * expiry the store holds is in that span, to the ms; then, with `waitOnRealTime`, the spec waits
 * past it and checks the session gone, which a busy machine cannot fail (waiting longer only
 * makes it surer). That wait is kept for a few specs, the coarse check that the store's backend
 * expires what it holds; the others trust it and go on at once.
 *
 * @returns whether the clock is now past the expiry: always on a fake clock, on real time only
 *   with `waitOnRealTime`.
 */
export async function expectExpiresAt(
  harness: StoreHarness,
  token: string,
  expiryMs: number,
  latestMs = expiryMs,
  { waitOnRealTime = false } = {},
): Promise<boolean> {
  const found = async () => (await harness.store.find(token)).exists;
  if (harness.expiryOf === undefined) {
    expect(latestMs, "the time of a request on a fake clock").to.equal(expiryMs);
    await harness.advance(expiryMs - 1 - Date.now());
    expect(await found(), `${token}: 1 ms before its expiry`).to.equal(true);
    await harness.advance(1);
    expect(await found(), `${token}: at its expiry`).to.equal(false);
    return true;
  }
  let heldMs = await harness.expiryOf(token);
  // On a loaded machine, a read right after the request that set the expiry has now and then
  // (three times in some ten loaded runs, on Redis with a replica) met the expiry of the request
  // before it. Reads a little later tell a write that showed late from one that never landed,
  // which still fails, and the message lists every read.
  const reads = [heldMs];
  for (const waitMs of LATE_READS_MS) {
    if (heldMs === undefined || heldMs >= expiryMs) break;
    await sleep(waitMs);
    heldMs = await harness.expiryOf(token);
    reads.push(heldMs);
  }
  // Gone when read, but only once its expiry has come: a busy machine may read it that late.
  if (heldMs === undefined && Date.now() >= expiryMs) return false;
  // Within a few ms of the span: see CLOCK_STEP_MS.
  expect(heldMs, `${token}: the expiry the store holds (read ${reads.join(", ")})`).to.be.within(
    expiryMs - CLOCK_STEP_MS,
    latestMs + CLOCK_STEP_MS,
  );
  if (!waitOnRealTime) return false;
  await harness.advance(Math.max((heldMs as number) - Date.now(), 0) + harness.toleranceMs);
  expect(await found(), `${token}: past its expiry`).to.equal(false);
  return true;
}

/**
 * Lets `ms` pass between two steps of a spec: exactly, on a fake clock. On real time, only a few
 * ms: such specs check the expiry the store holds, which any step that turns the clock moves, and
 * a long sleep would let a busy machine overshoot the edge the spec stays short of.
 */
export function pass(harness: StoreHarness, ms: number): Promise<void> {
  return harness.advance(harness.expiryOf === undefined ? ms : REAL_STEP_MS);
}

/** The waits before each read again of an expiry that read short: see {@link expectExpiresAt}. */
const LATE_READS_MS = [5, 50, 250];

/**
 * How long {@link pass} waits on real time: enough for the clock to turn, and, as a timer may fire
 * a ms or two early against `Date.now()`, still more than {@link CLOCK_STEP_MS} past it, so that
 * the expiry a request sets is always told from the one the request before it set.
 */
const REAL_STEP_MS = 12;

/**
 * How far, in ms, an expiry read on real time may lie outside the span of the request that set
 * it. The span is read with `Date.now()` in the spec, the expiry with `Date.now()` in the server;
 * twice in whole runs of the specs (a Redis with a replica, once on Sentinel and ioredis, once on a
 * cluster and node-redis) an expiry was held 2 ms before the request's start, and stayed so on
 * every read again: neither the request's own save (after its start) nor the one before it (a
 * {@link pass} earlier). A wall clock stepped back a few ms meanwhile, as a virtual machine's
 * is when it is brought back to its host's, gives just that. A lost write still fails: the
 * expiry then held is the request before's, some REAL_STEP_MS short.
 */
const CLOCK_STEP_MS = 5;

/** Runs `request` and answers it with the span of time it took: `[fromMs, toMs]`. */
export async function timed<T>(request: () => T | Promise<T>): Promise<[T, number, number]> {
  const fromMs = Date.now();
  const reply = await request();
  return [reply, fromMs, Date.now()];
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

    /**
     * Checks that `token` holds `data` (when the find answers before its expiry: on real time a
     * busy machine may answer later, and the session is then rightly gone) and expires at
     * `expiry`, to the ms (see {@link expectExpiresAt}).
     */
    async function expectExpiresAfter(
      token: string,
      data: Uint8Array,
      expiry: Date,
      waitOnRealTime = false,
    ) {
      const [result, , answeredMs] = await timed(() => store.find(token));
      if (answeredMs < expiry.getTime()) expectFound(result, data);
      await expectExpiresAt(harness, token, +expiry, +expiry, { waitOnRealTime });
    }

    /** Waits until `expiry` is past (by the tolerance), then checks `token` gone. */
    async function expectGoneAfter(token: string, expiry: Date) {
      await harness.advance(Math.max(expiry.getTime() - Date.now(), 0) + harness.toleranceMs);
      expectMissing(await store.find(token));
    }

    /**
     * For sessions `ttl-<n>` saved (or touched) to expire at `expiries[i]`, `n` ms after they were
     * (and holding the byte `n & 0xff`), in order: each expires at its expiry, to the ms, and none
     * is left 500 ms later. On real time, an expiry within the tolerance may have come before it
     * can be read: that session is only checked gone after it.
     */
    async function expectEachExpiresOnTime(ttlsMs: number[], expiries: Date[]) {
      // Those that can be read first, while they are live; those within the tolerance after.
      const longFirst = [...ttlsMs.entries()].sort(
        ([, a], [, b]) => Number(a <= harness.toleranceMs) - Number(b <= harness.toleranceMs),
      );
      for (const [i, ttlMs] of longFirst) {
        const token = `ttl-${ttlMs}`;
        const expiry = expiries[i] as Date;
        if (ttlMs > harness.toleranceMs) {
          await expectExpiresAfter(token, bytes(ttlMs & 0xff), expiry, true);
        } else {
          await expectGoneAfter(token, expiry);
        }
      }
      await pass(harness, 500);
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
        const expiry = inMs(300);
        await store.save("edge", bytes(1), expiry);
        await expectExpiresAfter("edge", bytes(1), expiry, true);
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
        const expiry = inMs(400);
        await store.save("token", bytes(2), expiry);
        await pass(harness, 100);
        await expectExpiresAfter("token", bytes(2), expiry);
      });

      it("save: an existing token's expiry moves earlier", async () => {
        await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
        const expiry = inMs(200);
        await store.save("token", bytes(2), expiry);
        await expectExpiresAfter("token", bytes(2), expiry);
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
        const expiries = ttlsMs.map(inMs);
        for (const [i, ttlMs] of ttlsMs.entries())
          await store.save(`ttl-${ttlMs}`, bytes(ttlMs & 0xff), expiries[i] as Date);
        await expectEachExpiresOnTime(ttlsMs, expiries);
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
        const expiry = inMs(ONE_HOUR_MS);
        await store.save("token", bytes(1), expiry);
        await store.delete("token");
        await store.save("token", bytes(2), inMs(2 * ONE_HOUR_MS));
        expectMissing(await store.find("token"));
        expect(await store.touch("token", inMs(2 * ONE_HOUR_MS))).to.equal(false);
        expectMissing(await store.find("token"));
        if (harness.expiryOf) {
          // What keeps it gone lasts until the deleted session's expiry, not the later ones.
          expect(await harness.expiryOf("token")).to.equal(+expiry);
          return;
        }
        // Once the deleted session would have expired, the token is free again.
        await harness.advance(ONE_HOUR_MS);
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
        await store.save("token", bytes(1, 2), inMs(ONE_HOUR_MS));
        const expiry = inMs(ONE_HOUR_MS + 300);
        expect(await store.touch("token", expiry)).to.equal(true);
        await pass(harness, ONE_HOUR_MS);
        await expectExpiresAfter("token", bytes(1, 2), expiry);
      });

      it("touch: moves a live session's expiry earlier", async () => {
        await store.save("token", bytes(3), inMs(ONE_HOUR_MS));
        const expiry = inMs(200);
        expect(await store.touch("token", expiry)).to.equal(true);
        await expectExpiresAfter("token", bytes(3), expiry);
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
        const expiries: Date[] = [];
        for (const ttlMs of ttlsMs) {
          await store.save(`ttl-${ttlMs}`, bytes(ttlMs & 0xff), inMs(ONE_HOUR_MS));
          const expiry = inMs(ttlMs);
          expiries.push(expiry);
          const touched = await store.touch(`ttl-${ttlMs}`, expiry);
          // On real time, an expiry 2 ms away may have come by the time the store reads its clock.
          if (ttlMs > harness.toleranceMs) expect(touched, `touch ttl-${ttlMs}`).to.equal(true);
        }
        await expectEachExpiresOnTime(ttlsMs, expiries);
      });

      it("touch: far-future expiries (year 3000, the last valid Date) are kept", async () => {
        await store.save("y3000", bytes(30), inMs(1_000));
        await store.save("last", bytes(86), inMs(1_000));
        const y3000 = new Date("3000-01-01T00:00:00Z");
        expect(await store.touch("y3000", y3000)).to.equal(true);
        expect(await store.touch("last", new Date(8.64e15))).to.equal(true);
        await pass(harness, 1_000);
        expectFound(await store.find("y3000"), bytes(30));
        expectFound(await store.find("last"), bytes(86));
        if (harness.expiryOf) {
          expect(await harness.expiryOf("y3000"), "y3000").to.equal(y3000.getTime());
          expect(await harness.expiryOf("last"), "last").to.equal(8.64e15);
        }
      });

      it("touch: Object.prototype-named and unicode tokens are touched independently", async () => {
        const saved = inMs(ONE_HOUR_MS);
        const touched = inMs(2 * ONE_HOUR_MS);
        for (const token of AWKWARD_TOKENS) await store.save(token, bytes(1), saved);
        for (const token of AWKWARD_TOKENS) {
          if (token !== "constructor") {
            expect(await store.touch(token, touched), token).to.equal(true);
          }
        }
        for (const token of AWKWARD_TOKENS) {
          const expected = token === "constructor" ? saved : touched;
          if (harness.expiryOf) expect(await harness.expiryOf(token), token).to.equal(+expected);
        }
        await pass(harness, ONE_HOUR_MS);
        for (const token of AWKWARD_TOKENS) {
          const found = await store.find(token);
          const live = token !== "constructor" || harness.expiryOf !== undefined;
          expect(found.exists, token).to.equal(live);
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
        // A Date whose getTime answers what no expiry is: its real time is a minute away, so that
        // a busy machine cannot let it pass before Redis is asked what it holds.
        const expiry = inMs(60_000);
        const overridden = () =>
          Object.assign(new Date(+expiry), { getTime: () => "forever" as unknown as number });
        await store.save("saved", bytes(1), overridden());
        await store.save("touched", bytes(2), inMs(ONE_HOUR_MS));
        expect(await store.touch("touched", overridden())).to.equal(true);
        const [saved, , answeredMs] = await timed(() => store.find("saved"));
        if (answeredMs < +expiry) expectFound(saved, bytes(1));
        if (harness.expiryOf) {
          expect(await harness.expiryOf("saved"), "saved").to.equal(+expiry);
          expect(await harness.expiryOf("touched"), "touched").to.equal(+expiry);
        } else {
          await harness.advance(60_000);
          expectMissing(await store.find("saved"));
          expectMissing(await store.find("touched"));
        }
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
