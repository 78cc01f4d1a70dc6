import type { Clock } from "@sinonjs/fake-timers";
import { expect } from "chai";
import { MemStore, type OwnedSession } from "../../../src";
import type { ShardedCache } from "../../../src/stores/mem/sharded-cache";
import { installClock } from "../../support/fake-clock";
import { bytes, expectFailure, expectFound, expectMissing } from "../store-contract";

const inMs = (ms: number): Date => new Date(Date.now() + ms);
const ONE_HOUR_MS = 3_600_000;

/** An owner's sessions as `token@expiry`, sorted. */
function listed(sessions: OwnedSession[]): string[] {
  return sessions.map((session) => `${session.token}@${session.expiry.getTime()}`).sort();
}

/** How many sessions the store's owner index holds. */
function indexed(store: MemStore): number {
  return (store as unknown as { index?: { size: number } }).index?.size ?? 0;
}

function cacheOf(store: MemStore): ShardedCache {
  return (store as unknown as { cache: ShardedCache }).cache;
}

const BAD_OWNERS: readonly unknown[] = ["", "\uD800", null, 42, {}, ["ann"]];

describe("MemStore: sessions by owner", () => {
  let clock: Clock;
  let store: MemStore;
  beforeEach(() => {
    clock = installClock();
    store = new MemStore(0);
  });
  afterEach(() => {
    store.close();
    clock.uninstall();
  });

  describe("sessionsOf", () => {
    it("sessionsOf: an owner with no session, in a fresh store, has an empty list", () => {
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(store.sessionsOf("__proto__")).to.deep.equal([]);
    });

    it("sessionsOf: lists each live session of the owner with its token and expiry, and no other owner's", () => {
      const annExpiries = { a1: inMs(1_000), __proto__: inMs(2_000), "#x": inMs(ONE_HOUR_MS) };
      for (const [token, expiry] of Object.entries(annExpiries)) {
        store.save(token, bytes(1), expiry, "ann");
      }
      store.save("b1", bytes(2), inMs(1_000), "bob");
      store.save("none", bytes(3), inMs(1_000));
      expect(listed(store.sessionsOf("ann"))).to.deep.equal(
        Object.entries(annExpiries)
          .map(([token, expiry]) => `${token}@${expiry.getTime()}`)
          .sort(),
      );
      expect(listed(store.sessionsOf("bob"))).to.deep.equal([`b1@${Date.now() + 1_000}`]);
      const [first] = store.sessionsOf("bob");
      expect(first?.expiry).to.be.instanceOf(Date);
    });

    it("sessionsOf: an expiry moved by touch is listed as moved", () => {
      store.save("t", bytes(1), inMs(1_000), "ann");
      store.touch("t", inMs(5_000));
      expect(listed(store.sessionsOf("ann"))).to.deep.equal([`t@${Date.now() + 5_000}`]);
    });

    it("sessionsOf: a session is listed until 1 ms before its expiry, and not at it", () => {
      store.save("t", bytes(1), inMs(300), "ann");
      clock.tick(299);
      expect(store.sessionsOf("ann")).to.have.length(1);
      clock.tick(1);
      expect(store.sessionsOf("ann")).to.deep.equal([]);
    });

    it("sessionsOf: a deleted session is not listed, and a save after the delete does not list it again", () => {
      store.save("t", bytes(1), inMs(ONE_HOUR_MS), "ann");
      store.delete("t");
      store.save("t", bytes(2), inMs(ONE_HOUR_MS), "ann");
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expectMissing(store.find("t"));
    });

    it("save: naming another owner moves the session; naming none takes it off every list", () => {
      store.save("t", bytes(1), inMs(ONE_HOUR_MS), "ann");
      store.save("t", bytes(2), inMs(ONE_HOUR_MS), "bob");
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(store.sessionsOf("bob").map((session) => session.token)).to.deep.equal(["t"]);
      store.save("t", bytes(3), inMs(ONE_HOUR_MS));
      expect(store.sessionsOf("bob")).to.deep.equal([]);
      expectFound(store.find("t"), bytes(3));
      expect(indexed(store)).to.equal(0);
    });

    it("save: an expiry of now or in the past takes the session off its owner's list", () => {
      store.save("t", bytes(1), inMs(ONE_HOUR_MS), "ann");
      store.save("t", bytes(2), new Date(Date.now()), "ann");
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(indexed(store)).to.equal(0);
    });

    it("save: another owner with an expiry in the past lists the session under neither", () => {
      store.save("t", bytes(1), inMs(ONE_HOUR_MS), "ann");
      store.save("u", bytes(1), inMs(ONE_HOUR_MS), "ann");
      store.save("t", bytes(2), inMs(-1), "bob");
      store.save("u", bytes(2), new Date(Date.now()));
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(store.sessionsOf("bob")).to.deep.equal([]);
      expect(indexed(store)).to.equal(0);
      expectMissing(store.find("t"));
    });

    it("save: an expired session not yet cleaned up, saved under another owner, is listed under that owner only", () => {
      store.save("t", bytes(1), inMs(1_000), "ann");
      clock.tick(2_000);
      store.save("t", bytes(2), inMs(1_000), "bob");
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(listed(store.sessionsOf("bob"))).to.deep.equal([`t@${Date.now() + 1_000}`]);
      expect(indexed(store)).to.equal(1);
      store.save("t", bytes(3), inMs(1_000));
      clock.tick(2_000);
      store.save("t", bytes(4), inMs(1_000), "ann");
      expect(listed(store.sessionsOf("ann"))).to.deep.equal([`t@${Date.now() + 1_000}`]);
      expect(store.sessionsOf("bob")).to.deep.equal([]);
      expect(indexed(store)).to.equal(1);
      expectFound(store.find("t"), bytes(4));
    });

    it("save: with maxSessions, moving a session between owners and to none keeps it in the store, counted once", () => {
      const bounded = new MemStore(0, { maxSessions: 2 });
      try {
        bounded.save("a", bytes(1), inMs(ONE_HOUR_MS), "ann");
        bounded.save("a", bytes(2), inMs(ONE_HOUR_MS), "bob");
        bounded.save("a", bytes(3), inMs(ONE_HOUR_MS));
        bounded.save("a", bytes(4), inMs(ONE_HOUR_MS), "ann");
        bounded.save("b", bytes(5), inMs(ONE_HOUR_MS));
        expectFound(bounded.find("a"), bytes(4));
        expectFound(bounded.find("b"), bytes(5));
        expect(bounded.sessionsOf("ann").map((session) => session.token)).to.deep.equal(["a"]);
        expect(bounded.sessionsOf("bob")).to.deep.equal([]);
        expect(indexed(bounded)).to.equal(1);
        bounded.save("c", bytes(6), inMs(ONE_HOUR_MS), "bob");
        expect(bounded.sessionsOf("ann"), "a, least recently used, evicted").to.deep.equal([]);
        expect(indexed(bounded)).to.equal(1);
      } finally {
        bounded.close();
      }
    });

    it("sessionsOf: costs a lookup for each of the owner's sessions, never a walk of the store", () => {
      for (let i = 0; i < 10_000; i++) store.save(`other-${i}`, bytes(1), inMs(ONE_HOUR_MS), "bob");
      for (let i = 0; i < 10; i++) store.save(`ann-${i}`, bytes(1), inMs(ONE_HOUR_MS), "ann");
      const cache = cacheOf(store) as unknown as {
        getTtl(key: string): number | undefined;
        keys(): string[];
      };
      const lookups = { count: 0 };
      const getTtl = cache.getTtl;
      cache.getTtl = (key: string) => {
        lookups.count++;
        return getTtl.call(cache, key);
      };
      const keys = cache.keys;
      cache.keys = () => expect.fail("sessionsOf walked every key");
      try {
        expect(store.sessionsOf("ann")).to.have.length(10);
        expect(store.deleteSessionsOf("ann")).to.equal(10);
      } finally {
        cache.getTtl = getTtl.bind(cache);
        cache.keys = keys;
      }
      expect(lookups.count).to.equal(20);
    });
  });

  describe("deleteSessionsOf", () => {
    beforeEach(() => {
      store.save("a1", bytes(1), inMs(ONE_HOUR_MS), "ann");
      store.save("a2", bytes(2), inMs(1_000), "ann");
      store.save("a3", bytes(3), inMs(ONE_HOUR_MS), "ann");
      store.save("b1", bytes(4), inMs(ONE_HOUR_MS), "bob");
      store.save("moved", bytes(5), inMs(ONE_HOUR_MS), "ann");
      store.save("moved", bytes(6), inMs(ONE_HOUR_MS), "bob");
    });

    it("deleteSessionsOf: deletes every live session of the owner, answers how many, and leaves other owners' alone", () => {
      expect(store.deleteSessionsOf("ann")).to.equal(3);
      for (const token of ["a1", "a2", "a3"]) expectMissing(store.find(token));
      expectFound(store.find("b1"), bytes(4));
      expectFound(store.find("moved"), bytes(6));
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(store.sessionsOf("bob")).to.have.length(2);
    });

    it("deleteSessionsOf: keeps the session named by exceptToken", () => {
      expect(store.deleteSessionsOf("ann", "a3")).to.equal(2);
      expectFound(store.find("a3"), bytes(3));
      expect(store.sessionsOf("ann").map((session) => session.token)).to.deep.equal(["a3"]);
    });

    it("deleteSessionsOf: an exceptToken of another owner, or unknown, keeps nothing of the owner's", () => {
      expect(store.deleteSessionsOf("ann", "b1")).to.equal(3);
      expectFound(store.find("b1"), bytes(4));
      expect(store.deleteSessionsOf("bob", "unknown")).to.equal(2);
    });

    it("deleteSessionsOf: deletes for good: saves after it, with or without an owner, leave the sessions gone until their own expiry", () => {
      store.deleteSessionsOf("ann");
      store.save("a1", bytes(9), inMs(ONE_HOUR_MS), "ann");
      store.save("a2", bytes(9), inMs(ONE_HOUR_MS));
      expect(store.touch("a3", inMs(ONE_HOUR_MS))).to.equal(false);
      expectMissing(store.find("a1"));
      expectMissing(store.find("a2"));
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect([...store.all().keys()].sort()).to.deep.equal(["b1", "moved"]);
      clock.tick(1_000); // a2's own expiry
      store.save("a2", bytes(7), inMs(ONE_HOUR_MS), "ann");
      expectFound(store.find("a2"), bytes(7));
      expectMissing(store.find("a1"));
    });

    it("deleteSessionsOf: expired sessions are not counted", () => {
      clock.tick(1_000);
      expect(store.deleteSessionsOf("ann")).to.equal(2);
    });

    it("deleteSessionsOf: an owner with no session deletes nothing", () => {
      expect(store.deleteSessionsOf("carol")).to.equal(0);
      expect(store.all().size).to.equal(5);
    });
  });

  describe("index memory", () => {
    it("index: entries leave with their sessions at the cleanup check, with nobody asking", () => {
      const checked = new MemStore(1_000);
      try {
        for (let i = 0; i < 1_000; i++)
          checked.save(`s${i}`, bytes(1), inMs(500), `owner-${i % 7}`);
        expect(indexed(checked)).to.equal(1_000);
        clock.tick(1_500); // within one interval of their expiry, whatever their shard's turn
        expect(indexed(checked)).to.equal(0);
      } finally {
        checked.close();
      }
    });

    it("index: with no cleanup, an expired session's entry leaves when sessionsOf meets it", () => {
      store.save("t", bytes(1), inMs(10), "ann");
      clock.tick(10);
      expect(indexed(store)).to.equal(1);
      expect(store.sessionsOf("ann")).to.deep.equal([]);
      expect(indexed(store)).to.equal(0);
    });

    it("maxSessions: an evicted session leaves its owner's list and the index", () => {
      const bounded = new MemStore(0, { maxSessions: 2 });
      try {
        bounded.save("a", bytes(1), inMs(ONE_HOUR_MS), "ann");
        bounded.save("b", bytes(2), inMs(ONE_HOUR_MS), "ann");
        bounded.save("c", bytes(3), inMs(ONE_HOUR_MS), "bob");
        expect(bounded.sessionsOf("ann").map((session) => session.token)).to.deep.equal(["b"]);
        expect(indexed(bounded)).to.equal(2);
      } finally {
        bounded.close();
      }
    });

    it("save: a store whose saves never name an owner keeps no index and listens to nothing", () => {
      store.save("t", bytes(1), inMs(ONE_HOUR_MS));
      store.sessionsOf("ann");
      store.deleteSessionsOf("ann");
      expect((store as unknown as { index: unknown }).index).to.equal(undefined);
      expect(cacheOf(store).deleteListeners).to.equal(0);
    });
  });

  describe("bad arguments", () => {
    beforeEach(() => {
      store.save("kept", bytes(4, 2), inMs(ONE_HOUR_MS), "ann");
    });

    it("save: an owner that is not a non-empty string of well-formed Unicode is a TypeError naming `owner`, the session unchanged", async () => {
      for (const owner of BAD_OWNERS) {
        await expectFailure(
          () => store.save("kept", bytes(9), inMs(ONE_HOUR_MS), owner as string),
          TypeError,
          /`owner`.*got/,
        );
        await expectFailure(
          () => store.save("new", bytes(9), inMs(ONE_HOUR_MS), owner as string),
          TypeError,
          /`owner`.*got/,
        );
      }
      expectFound(store.find("kept"), bytes(4, 2));
      expectMissing(store.find("new"));
      expect(store.sessionsOf("ann").map((session) => session.token)).to.deep.equal(["kept"]);
    });

    it("sessionsOf and deleteSessionsOf: a bad owner is a TypeError naming `owner`", async () => {
      for (const owner of [...BAD_OWNERS, undefined]) {
        await expectFailure(() => store.sessionsOf(owner as string), TypeError, /`owner`.*got/);
        await expectFailure(
          () => store.deleteSessionsOf(owner as string),
          TypeError,
          /`owner`.*got/,
        );
      }
      expectFound(store.find("kept"), bytes(4, 2));
    });

    it("deleteSessionsOf: a bad exceptToken is a TypeError naming `exceptToken`, and nothing is deleted", async () => {
      for (const exceptToken of ["", "\uD800", null, 42]) {
        await expectFailure(
          () => store.deleteSessionsOf("ann", exceptToken as string),
          TypeError,
          /`exceptToken`.*got/,
        );
      }
      expectFound(store.find("kept"), bytes(4, 2));
    });
  });
});
