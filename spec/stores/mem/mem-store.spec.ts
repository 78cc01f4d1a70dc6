import { constants } from "node:buffer";
import type { Clock } from "@sinonjs/fake-timers";
import { expect } from "chai";
import type NodeCache from "node-cache";
import { MemStore } from "../../../src";
import { DELETED } from "../../../src/stores/mem/session-entry";
import type { ShardedCache } from "../../../src/stores/mem/sharded-cache";
import { installClock, memStoreHarness, START_MS } from "../../support/fake-clock";
import { runDeleteFoundSpecs } from "../delete-found";
import {
  bytes,
  expectFailure,
  expectFound,
  expectMissing,
  runIterableStoreContract,
} from "../store-contract";

runIterableStoreContract("MemStore", () => memStoreHarness());
runDeleteFoundSpecs("MemStore", () => memStoreHarness());

/**
 * Sessions the store still holds in memory, expired ones included. Read from the composed
 * node-cache, since memory that cleanup releases is invisible through the Store API.
 */
function heldSessions(store: MemStore): number {
  return heldValues(store).filter((value) => value !== DELETED).length;
}

function cacheOf(store: MemStore): ShardedCache {
  return (store as unknown as { cache: ShardedCache }).cache;
}

/** The node-cache instances a store's sessions and markers are spread over, as made so far. */
function shardsOf(store: MemStore): NodeCache[] {
  const { shards } = cacheOf(store) as unknown as { shards: (NodeCache | undefined)[] };
  return shards.filter((shard) => shard !== undefined);
}

/** Every value a store holds in node-cache, expired ones included: sessions and markers. */
function heldValues(store: MemStore): unknown[] {
  return shardsOf(store).flatMap((shard) => Object.values(shard.data).map(({ v }) => v));
}

/**
 * The markers a store holds over all its shards, expired ones included, and the size node-cache
 * counts for everything the store holds.
 */
function markerStats(store: MemStore): { keys: number; vsize: number } {
  return {
    keys: heldValues(store).filter((value) => value === DELETED).length,
    vsize: shardsOf(store).reduce((sum, shard) => sum + shard.getStats().vsize, 0),
  };
}

/** How many sessions a store's `maxSessions` bookkeeping holds. */
function trackedBy(store: MemStore): number {
  return (store as unknown as { limit: { size: number } }).limit.size;
}

/** How many expiries a store's `maxSessions` bookkeeping lists, stale ones included. */
function listingsOf(store: MemStore): number {
  return (store as unknown as { limit: { listings: number } }).limit.listings;
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
    it("constructor: a harness whose store cannot be made leaves no fake clock behind", async () => {
      clock.uninstall();
      await expectFailure(() => memStoreHarness(-1), RangeError, /`cleanupIntervalMs`/);
      clock = installClock(); // throws "Can't install fake timers twice" if one was left
    });

    it("constructor: with no arguments, removes expired sessions within 300,000 ms of their expiry", () => {
      const store = create();
      store.save("token", bytes(1), inMs(1_000));
      clock.tick(1_000);
      expect(heldSessions(store)).to.equal(1);
      clock.tick(299_999);
      expect(heldSessions(store)).to.equal(0);
    });

    it("cleanup: a long interval spreads its passes over it, each walking a fraction of the sessions", () => {
      const store = create(8_000); // 32 shards: one pass every 250 ms
      for (let i = 0; i < 3_200; i++) store.save(`s${i}`, bytes(1), inMs(1));
      clock.tick(1);
      const held: number[] = [];
      for (let pass = 0; pass < 32; pass++) {
        clock.tick(250);
        held.push(heldSessions(store));
      }
      expect(held[31]).to.equal(0);
      // Every pass removes some of the sessions, and none more than a quarter of them.
      for (let pass = 1; pass < 32; pass++) {
        const removed = (held[pass - 1] as number) - (held[pass] as number);
        expect(removed, `pass ${pass}`).to.be.within(1, 800);
      }
      // 32 shards, each with its timer.
      expect(clock.countTimers()).to.equal(32);
    });

    it("cleanup: markers are spread over shards as sessions are, each pass walking a fraction", () => {
      const store = create(8_000);
      for (let i = 0; i < 3_200; i++) {
        store.save(`s${i}`, bytes(1), inMs(2));
        store.delete(`s${i}`);
      }
      clock.tick(2);
      expect(markerStats(store).keys).to.equal(3_200);
      const held: number[] = [];
      for (let pass = 0; pass < 32; pass++) {
        clock.tick(250);
        held.push(markerStats(store).keys);
      }
      expect(held[31]).to.equal(0);
      for (let pass = 1; pass < 32; pass++) {
        const removed = (held[pass - 1] as number) - (held[pass] as number);
        expect(removed, `pass ${pass}`).to.be.within(1, 800);
      }
    });

    it("constructor: an undefined interval means the default", () => {
      const store = create(undefined);
      store.save("token", bytes(1), inMs(1));
      clock.tick(300_000);
      expect(heldSessions(store)).to.equal(0);
    });

    it("constructor: an interval of 499 ms or less starts one timer, checking sessions and markers", () => {
      create(499);
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

  describe("sticky delete", () => {
    it("delete: the marker holds the token and an expiry, not the session's bytes", () => {
      const store = create(0);
      store.save("token", new Uint8Array(1_048_576), inMs(1_000));
      store.delete("token");
      expect(heldSessions(store)).to.equal(0);
      expect(markerStats(store).keys).to.equal(1);
      expect(markerStats(store).vsize).to.be.below(16);
    });

    it("delete: an unknown, expired or already deleted token leaves no marker", () => {
      const store = create(0);
      store.delete("unknown");
      store.save("expired", bytes(1), inMs(10));
      clock.tick(10);
      store.delete("expired");
      store.save("twice", bytes(1), inMs(1_000));
      store.delete("twice");
      store.delete("twice");
      expect(markerStats(store).keys).to.equal(1);
    });

    it("delete: the marker lasts until the session's expiry as last touched, to the millisecond", () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(3_600_000));
      store.touch("token", inMs(200));
      store.delete("token");
      clock.tick(199);
      store.save("token", bytes(2), inMs(1_000));
      expectMissing(store.find("token"));
      clock.tick(1);
      store.save("token", bytes(3), inMs(1_000));
      expectFound(store.find("token"), bytes(3));
    });

    it("delete: markers leave memory at the first cleanup check after their expiry", () => {
      const store = create(1_000);
      store.save("token", bytes(1), inMs(1_500));
      store.delete("token");
      clock.tick(1_000);
      expect(markerStats(store).keys).to.equal(1);
      clock.tick(1_000);
      expect(markerStats(store).keys).to.equal(0);
    });

    it("delete: with no cleanup, an expired marker leaves memory when its token is saved again", () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(100));
      store.delete("token");
      clock.tick(3_600_000);
      expect(markerStats(store).keys).to.equal(1);
      store.save("token", bytes(2), inMs(1_000));
      expect(markerStats(store).keys).to.equal(0);
      expectFound(store.find("token"), bytes(2));
    });

    it("maxSessions: markers take no place: 100 sessions saved and deleted evict no live one", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("keep", bytes(1), inMs(3_600_000));
      for (let i = 0; i < 100; i++) {
        store.save(`gone-${i}`, bytes(2), inMs(3_600_000 + i));
        store.delete(`gone-${i}`);
      }
      store.save("new", bytes(3), inMs(3_600_000));
      expect([...store.all().keys()].sort()).to.deep.equal(["keep", "new"]);
      expect(trackedBy(store)).to.equal(2);
      store.save("gone-99", bytes(4), inMs(3_600_000));
      expectMissing(store.find("gone-99"));
      expectFound(store.find("keep"), bytes(1));
    });

    it("maxSessions: at most as many markers as sessions; past that, the marker that expires first goes, expired ones before any live one", () => {
      const store = create(0, { maxSessions: 3 });
      const saveAndDelete = (token: string, lifeMs: number) => {
        store.save(token, bytes(1), inMs(lifeMs));
        store.delete(token);
      };
      saveAndDelete("expired", 10);
      clock.tick(20); // with no cleanup, its marker stays in memory
      saveAndDelete("a", 3_000);
      saveAndDelete("b", 1_000);
      expect(markerStats(store).keys).to.equal(3);
      saveAndDelete("c", 2_000);
      expect(markerStats(store).keys, "the expired marker went").to.equal(3);
      saveAndDelete("d", 5_000);
      expect(markerStats(store).keys, "b's marker went: it expired first").to.equal(3);
      for (const token of ["a", "b", "c", "d", "expired"]) store.save(token, bytes(2), inMs(9_000));
      expect(
        [...store.all().keys()].sort(),
        "saves of tokens still marked store nothing",
      ).to.deep.equal(["b", "expired"]);
    });

    it("maxSessions: with no cleanup, 10,000 logins and logouts leave at most maxSessions markers, and a heap of bounded size", () => {
      const store = create(0, { maxSessions: 100 });
      for (let i = 0; i < 10_000; i++) {
        store.save(`session-${i}`, bytes(1), inMs(60_000));
        store.delete(`session-${i}`);
        clock.tick(1);
      }
      expect(markerStats(store).keys).to.equal(100);
      const markers = (store as unknown as { markerLimit: { size: number; listings: number } })
        .markerLimit;
      expect(markers.size).to.equal(100);
      expect(markers.listings).to.be.at.most(2 * 100 + 1_024);
      expect(heldSessions(store)).to.equal(0);
      store.save("session-9999", bytes(2), inMs(60_000));
      expectMissing(store.find("session-9999"));
    });
  });

  describe("close", () => {
    it("close: stops the cleanup timers", () => {
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
        store.delete("token");
        // The shard of the token, made when it was set, which holds its marker too.
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
    const live = (store: MemStore) => [...store.all().keys()].sort();
    const full = (maxSessions: number): MemStore => {
      const store = create(0, { maxSessions });
      for (let i = 0; i < maxSessions; i++) {
        store.save(`s${i}`, bytes(i), inMs(3_600_000));
        clock.tick(1);
      }
      return store;
    };

    it("maxSessions: a new token in a full store evicts the least recently saved session, and is stored", () => {
      const store = full(3);
      store.save("new", bytes(9), inMs(1_000));
      expectFound(store.find("new"), bytes(9));
      expect(live(store)).to.deep.equal(["new", "s1", "s2"]);
      expect(heldSessions(store)).to.equal(3);
    });

    it("maxSessions: a find or a touch makes a session recently used; all() does not", () => {
      const store = full(3);
      store.find("s0");
      store.touch("s1", inMs(3_600_000));
      store.all();
      store.save("new", bytes(9), inMs(1_000));
      expect(live(store)).to.deep.equal(["new", "s0", "s1"]);
      store.save("newer", bytes(9), inMs(1_000));
      expect(live(store)).to.deep.equal(["new", "newer", "s1"]);
    });

    it("maxSessions: a find that misses and a touch of a gone token change no one's place", () => {
      const store = full(2);
      store.find("unknown");
      expect(store.touch("unknown", inMs(1_000))).to.equal(false);
      store.save("new", bytes(9), inMs(1_000));
      expect(live(store)).to.deep.equal(["new", "s1"]);
    });

    it("maxSessions: updating a stored token in a full store never evicts", () => {
      const store = full(2);
      store.save("s0", bytes(42), inMs(5_000));
      expect(live(store)).to.deep.equal(["s0", "s1"]);
      expectFound(store.find("s0"), bytes(42));
    });

    it("maxSessions: a delete frees a place at once, with no eviction", () => {
      const store = full(3);
      store.delete("s1");
      store.save("new", bytes(9), inMs(1_000));
      expect(live(store)).to.deep.equal(["new", "s0", "s2"]);
    });

    it("maxSessions: a new token with an expiry in the past evicts nothing", () => {
      const store = full(2);
      store.save("new", bytes(9), inMs(-1));
      store.save("now", bytes(9), new Date(Date.now()));
      expect(live(store)).to.deep.equal(["s0", "s1"]);
    });

    it("maxSessions: expired sessions make room before any live one, even the most recently used", () => {
      const store = create(0, { maxSessions: 3 });
      store.save("old", bytes(1), inMs(3_600_000));
      store.save("short-a", bytes(2), inMs(100));
      store.save("short-b", bytes(3), inMs(100));
      clock.tick(100);
      store.save("new", bytes(4), inMs(1_000));
      store.save("newer", bytes(5), inMs(1_000));
      expect(live(store)).to.deep.equal(["new", "newer", "old"]);
      expect(heldSessions(store)).to.equal(3);
    });

    it("maxSessions: a session that expires just after a full store's eviction still makes room before a live one", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("a", bytes(1), inMs(60_000));
      store.save("b", bytes(2), inMs(60_000));
      store.save("c", bytes(3), inMs(100)); // evicts a: nothing had expired
      clock.tick(200);
      store.save("d", bytes(4), inMs(60_000));
      expect(live(store)).to.deep.equal(["b", "d"]);
      expect(heldSessions(store)).to.equal(2);
    });

    it("maxSessions: a session that expires moments after the last eviction still goes before a live one", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("a", bytes(1), inMs(50));
      store.save("b", bytes(2), inMs(3_600_000));
      clock.tick(80);
      store.save("c", bytes(3), inMs(3_600_000)); // a, expired, makes room
      store.save("d", bytes(4), inMs(50)); // nothing expired: b, the least recently used, goes
      clock.tick(80);
      store.save("e", bytes(5), inMs(3_600_000)); // d expired 30 ms ago: it goes, not c
      expect(live(store)).to.deep.equal(["c", "e"]);
      expect(heldSessions(store)).to.equal(2);
    });

    it("maxSessions: a session whose expiry a touch or a save moved earlier makes room from its new expiry", () => {
      const store = create(0, { maxSessions: 3 });
      store.save("touched", bytes(1), inMs(3_600_000));
      store.save("saved", bytes(2), inMs(3_600_000));
      store.save("live", bytes(3), inMs(3_600_000));
      expect(store.touch("touched", inMs(100))).to.equal(true);
      store.save("saved", bytes(4), inMs(100));
      store.find("touched");
      store.find("saved"); // both the most recently used; "live" the least
      clock.tick(100);
      store.save("new", bytes(5), inMs(3_600_000));
      expect(live(store)).to.deep.equal(["live", "new"]);
      expect(heldSessions(store)).to.equal(2);
    });

    it("maxSessions: a session whose expiry moved later since it was saved is not taken for expired", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("extended", bytes(1), inMs(100));
      store.save("other", bytes(2), inMs(3_600_000));
      expect(store.touch("extended", inMs(3_600_000))).to.equal(true);
      store.find("extended"); // "other" is the least recently used
      clock.tick(100);
      store.save("new", bytes(3), inMs(3_600_000));
      expect(live(store)).to.deep.equal(["extended", "new"]);
      clock.tick(1_000);
      store.find("new"); // "extended" is the least recently used again, and still live
      store.save("newer", bytes(4), inMs(3_600_000));
      expect(live(store)).to.deep.equal(["new", "newer"]);
    });

    it("maxSessions: a session that was live at an earlier eviction still makes room before a live one once it expires", () => {
      const store = create(0, { maxSessions: 3 });
      store.save("gone", bytes(1), inMs(1_000));
      store.save("short", bytes(2), inMs(10_000));
      store.save("long", bytes(3), inMs(100_000));
      clock.tick(1_000);
      store.save("new", bytes(4), inMs(100_000)); // "gone" makes room, "short" still live
      clock.tick(4_000);
      store.find("short"); // the most recently used; "long" the least
      clock.tick(5_000);
      store.save("newer", bytes(5), inMs(100_000));
      expect(live(store)).to.deep.equal(["long", "new", "newer"]);
    });

    it("maxSessions: an expired session under the token being saved frees its own place", () => {
      const store = create(0, { maxSessions: 2 });
      store.save("a", bytes(1), inMs(100));
      store.save("b", bytes(2), inMs(3_600_000));
      clock.tick(100);
      store.save("a", bytes(3), inMs(1_000));
      expect(live(store)).to.deep.equal(["a", "b"]);
    });

    it("maxSessions: 300,000 distinct tokens through a store of 1,000 leave 1,000 sessions and no other bookkeeping", function () {
      // Synchronous work: bounded by the CPU time it uses (measured: 1.3 s, about 4 µs a save),
      // not by the wall clock, which a busy machine stretches.
      this.timeout(0);
      const store = create(0, { maxSessions: 1_000 });
      const start = process.cpuUsage();
      for (let i = 0; i < 300_000; i++) store.save(`token-${i}`, bytes(i & 0xff), inMs(3_600_000));
      const { user, system } = process.cpuUsage(start);
      expect((user + system) / 1_000, "CPU ms for 300,000 saves").to.be.below(300_000 * 0.02);
      expect(heldSessions(store)).to.equal(1_000);
      expect(trackedBy(store)).to.equal(1_000);
      expect(listingsOf(store), "expiries listed").to.be.at.most(2 * 1_000 + 1_024);
      expect(cacheOf(store).keys()).to.have.length(1_000);
      expect(store.find("token-298999").exists).to.equal(false);
      expect(store.find("token-299000").exists).to.equal(true);
    });

    it("maxSessions: sessions the periodic cleanup removes leave the bookkeeping too", () => {
      const store = create(1_000, { maxSessions: 10 });
      for (let i = 0; i < 10; i++) store.save(`s${i}`, bytes(i), inMs(500));
      clock.tick(1_500); // within one interval of their expiry, whatever their shard's turn
      expect(heldSessions(store)).to.equal(0);
      expect(trackedBy(store)).to.equal(0);
    });

    it("maxSessions: without it, the store keeps no bookkeeping and listens to nothing", () => {
      const store = create(0);
      store.save("token", bytes(1), inMs(1_000));
      expect(cacheOf(store).deleteListeners).to.equal(0);
      expect((store as unknown as { limit: unknown }).limit).to.equal(undefined);
    });
  });
});
