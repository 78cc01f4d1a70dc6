import { constants } from "node:buffer";
import type { Clock } from "@sinonjs/fake-timers";
import { expect } from "chai";
import type NodeCache from "node-cache";
import { MemStore, StoreFullError } from "../../src";
import { installClock, memStoreHarness, START_MS } from "../support/fake-clock";
import {
  bytes,
  expectFailure,
  expectFound,
  expectMissing,
  runIterableStoreContract,
} from "./store-contract";

runIterableStoreContract("MemStore", () => memStoreHarness());

/**
 * Sessions the store still holds in memory, expired ones included. Read from the composed
 * node-cache, since memory that cleanup releases is invisible through the Store API.
 */
function heldSessions(store: MemStore): number {
  return (store as unknown as { cache: NodeCache }).cache.getStats().keys;
}

const inMs = (ms: number): Date => new Date(Date.now() + ms);

describe("MemStore", () => {
  let clock: Clock;
  const stores: MemStore[] = [];
  const create = (...args: ConstructorParameters<typeof MemStore>): MemStore => {
    const store = new MemStore(...args);
    stores.push(store);
    return store;
  };

  beforeEach(() => {
    clock = installClock();
  });
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
    clock.uninstall();
  });

  describe("constructor", () => {
    it("constructor: with no arguments, removes expired sessions every 300,000 ms", () => {
      const store = create();
      store.save("token", bytes(1), inMs(1_000));
      clock.tick(299_999);
      expect(heldSessions(store)).to.equal(1);
      clock.tick(1);
      expect(heldSessions(store)).to.equal(0);
    });

    it("constructor: an undefined interval means the default", () => {
      const store = create(undefined);
      store.save("token", bytes(1), inMs(1));
      clock.tick(300_000);
      expect(heldSessions(store)).to.equal(0);
    });

    it("constructor: an interval starts exactly one timer", () => {
      create(1_000);
      expect(clock.countTimers()).to.equal(1);
    });

    it("constructor: 0 starts no timer", () => {
      create(0);
      expect(clock.countTimers()).to.equal(0);
    });

    it("constructor: accepts Node's largest timer delay, 2,147,483,647 ms", () => {
      const store = create(2_147_483_647);
      store.save("token", bytes(1), inMs(1));
      clock.tick(2_147_483_647);
      expect(heldSessions(store)).to.equal(0);
    });

    it("constructor: a cleanup interval that is not a number is a TypeError naming it", async () => {
      for (const interval of ["300", null, {}, 10n]) {
        await expectFailure(
          () => create(interval as number),
          TypeError,
          /`cleanupIntervalMs` to be a number, got/,
        );
      }
    });

    it("constructor: a cleanup interval outside 0 to 2,147,483,647 is a RangeError naming it", async () => {
      for (const interval of [-1, -0.5, Number.NaN, Number.POSITIVE_INFINITY, 2_147_483_648]) {
        await expectFailure(
          () => create(interval),
          RangeError,
          /`cleanupIntervalMs` to be a number from 0 to 2147483647, got/,
        );
      }
      expect(clock.countTimers()).to.equal(0);
    });

    it("constructor: a maxSessions that is not a number is a TypeError naming it", async () => {
      for (const maxSessions of ["10", null, true] as unknown[]) {
        await expectFailure(
          () => create(0, { maxSessions: maxSessions as number }),
          TypeError,
          /`maxSessions` to be a number, got/,
        );
      }
    });

    it("constructor: a maxSessions that is not an integer of 1 or more is a RangeError naming it", async () => {
      for (const maxSessions of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expectFailure(
          () => create(0, { maxSessions }),
          RangeError,
          /`maxSessions` to be an integer from 1 and up, got/,
        );
      }
    });
  });

  describe("cleanup", () => {
    it("cleanup: expired sessions leave memory at the next check without being touched", () => {
      const store = create(1_000);
      store.save("short", bytes(1), inMs(500));
      store.save("medium", bytes(2), inMs(1_500));
      store.save("long", bytes(3), inMs(3_600_000));
      clock.tick(1_000);
      expect(heldSessions(store)).to.equal(2);
      clock.tick(1_000);
      expect(heldSessions(store)).to.equal(1);
      expectFound(store.find("long"), bytes(3));
    });

    it("cleanup: with 0, expired sessions stay in memory but are never returned", () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(10));
      clock.tick(3_600_000);
      expect(heldSessions(store)).to.equal(1);
      expect(store.all().size).to.equal(0);
    });

    it("find: an expired session met by find leaves memory at once", () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(10));
      clock.tick(10);
      expectMissing(store.find("token"));
      expect(heldSessions(store)).to.equal(0);
    });

    it("save: an expiry of exactly now or in the past holds nothing in memory, even with no cleanup", () => {
      const store = create(0);
      store.save("now", bytes(1), new Date(Date.now()));
      store.save("past", bytes(1), inMs(-1));
      store.save("replaced", bytes(1), inMs(1_000));
      store.save("replaced", bytes(2), new Date(Date.now()));
      expect(heldSessions(store)).to.equal(0);
    });

    it("cleanup: the timer does not keep the process alive", () => {
      clock.uninstall();
      const timersBefore = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      const store = new MemStore(1_000);
      const timersAfter = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
      store.close();
      clock = installClock();
      expect(timersAfter).to.equal(timersBefore);
    });
  });

  describe("save edges", () => {
    it("save: a millisecond that turns while node-cache reads the clock does not stretch the expiry", () => {
      const store = create(0);
      const fakeNow = Date.now;
      let reads = 0;
      // The clock turns right after save's first read, so node-cache sees the next millisecond.
      Date.now = () => {
        const nowMs = fakeNow();
        if (++reads === 1) clock.tick(1);
        return nowMs;
      };
      try {
        store.save("token", bytes(1), new Date(START_MS + 100));
      } finally {
        Date.now = fakeNow;
      }
      clock.tick(98);
      expectFound(store.find("token"), bytes(1));
      clock.tick(1);
      expectMissing(store.find("token"));
    });

    it("save: data over buffer.constants.MAX_STRING_LENGTH bytes is a RangeError naming `data`, changing nothing", async () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(1_000));
      const tooLarge = new Uint8Array(constants.MAX_STRING_LENGTH + 1); // pages are never touched
      await expectFailure(
        () => store.save("token", tooLarge, inMs(1_000)),
        RangeError,
        /`data`.*at most/,
      );
      await expectFailure(() => store.save("token", tooLarge, inMs(-1)), RangeError, /`data`/);
      expectFound(store.find("token"), bytes(1));
    });
  });

  describe("close", () => {
    it("close: stops the cleanup timer", () => {
      const store = create(1_000);
      store.close();
      expect(clock.countTimers()).to.equal(0);
    });

    it("close: can be called twice, and the store stays usable with exact expiry", () => {
      const store = create(1_000);
      store.close();
      store.close();
      store.save("token", bytes(5), inMs(100));
      clock.tick(99);
      expectFound(store.find("token"), bytes(5));
      clock.tick(1);
      expectMissing(store.find("token"));
    });

    it("[Symbol.dispose]: `using` closes the store at the end of the block", () => {
      {
        using store = new MemStore(1_000);
        store.save("token", bytes(1), inMs(1_000));
        expect(clock.countTimers()).to.equal(1);
      }
      expect(clock.countTimers()).to.equal(0);
    });
  });

  describe("synchronous answers", () => {
    it("find, save, delete and all answer synchronously, never with a Promise", () => {
      const store = create(0);
      expect(store.save("token", bytes(1), inMs(1_000))).to.equal(undefined);
      const found = store.find("token");
      expect(found).not.to.be.instanceOf(Promise);
      expectFound(found, bytes(1));
      expect(store.all()).to.be.instanceOf(Map);
      expect(store.delete("token")).to.equal(undefined);
    });

    it("find: returns a Buffer copy, not the stored array", () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(1_000));
      const first = store.find("token").data;
      expect(Buffer.isBuffer(first)).to.equal(true);
      expect(store.find("token").data).not.to.equal(first);
    });
  });

  describe("maxSessions", () => {
    const full = (maxSessions: number): MemStore => {
      const store = create(0, { maxSessions });
      for (let i = 0; i < maxSessions; i++) store.save(`s${i}`, bytes(i), inMs(3_600_000));
      return store;
    };

    it("maxSessions: a new token in a full store throws StoreFullError with a code, changing nothing", async () => {
      const store = full(2);
      let failure: unknown;
      try {
        store.save("new", bytes(9), inMs(1_000));
      } catch (error) {
        failure = error;
      }
      expect(failure).to.be.instanceOf(StoreFullError).and.instanceOf(Error);
      expect(failure).to.include({
        code: "ERR_STORE_FULL",
        maxSessions: 2,
        name: "StoreFullError",
      });
      expect((failure as Error).message).to.match(/full.*2.*maxSessions/);
      expectMissing(store.find("new"));
      expect([...store.all().keys()].sort()).to.deep.equal(["s0", "s1"]);
    });

    it("maxSessions: updating a stored token succeeds when the store is full", () => {
      const store = full(2);
      store.save("s1", bytes(42), inMs(5_000));
      expectFound(store.find("s1"), bytes(42));
    });

    it("maxSessions: a delete frees a place at once", () => {
      const store = full(3);
      store.delete("s0");
      store.save("new", bytes(9), inMs(1_000));
      expectFound(store.find("new"), bytes(9));
      expect(() => store.save("another", bytes(1), inMs(1_000))).to.throw(StoreFullError);
    });

    it("maxSessions: an expiry in the past on a new token in a full store is a no-op, not an error", () => {
      const store = full(1);
      store.save("new", bytes(9), inMs(-1));
      expectMissing(store.find("new"));
    });

    it("maxSessions: expired sessions do not hold places", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("short", bytes(1), inMs(100));
      store.save("long", bytes(2), inMs(3_600_000));
      clock.tick(100);
      store.save("new", bytes(3), inMs(1_000));
      expectFound(store.find("new"), bytes(3));
      expect(heldSessions(store)).to.equal(2);
    });

    it("maxSessions: a full store sweeps out expired sessions at most once a second", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("long", bytes(1), inMs(3_600_000));
      store.save("short", bytes(2), inMs(500));
      expect(() => store.save("new", bytes(3), inMs(1_000))).to.throw(StoreFullError);
      clock.tick(500);
      expect(() => store.save("new", bytes(3), inMs(1_000))).to.throw(StoreFullError);
      clock.tick(500);
      store.save("new", bytes(3), inMs(1_000));
      expectFound(store.find("new"), bytes(3));
    });
  });
});
