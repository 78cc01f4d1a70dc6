import type { Clock } from "@sinonjs/fake-timers";
import { expect } from "chai";
import { type BoundedEntry, boundedEntry } from "../../../src/stores/mem/session-entry";
import { SessionLimit } from "../../../src/stores/mem/session-limit";
import { ShardedCache } from "../../../src/stores/mem/sharded-cache";
import { installClock } from "../../support/fake-clock";

const LONG_MS = 3_600_000;

/**
 * The keys in the order of use, least recently used first, read from both ends of the list:
 * the two readings, and the count, must agree.
 */
function order(limit: SessionLimit): string[] {
  const ends = limit as unknown as { oldest?: BoundedEntry; newest?: BoundedEntry };
  const forward: string[] = [];
  for (let entry = ends.oldest; entry !== undefined && forward.length <= 100; entry = entry[4]) {
    forward.push(entry[2]);
  }
  const backward: string[] = [];
  for (let entry = ends.newest; entry !== undefined && backward.length <= 100; entry = entry[3]) {
    backward.unshift(entry[2]);
  }
  expect(backward, "the list read from its newest end").to.deep.equal(forward);
  expect(limit.size, "the count").to.equal(forward.length);
  return forward;
}

describe("SessionLimit", () => {
  let clock: Clock;
  let cache: ShardedCache;
  beforeEach(() => {
    clock = installClock();
    cache = new ShardedCache(0);
  });
  afterEach(() => {
    cache.close();
    clock.uninstall();
  });

  /** Stores a session under `key`, live for `lifeMs`, as a bounded MemStore does. */
  const add = (limit: SessionLimit, key: string, lifeMs = LONG_MS): BoundedEntry => {
    const entry = boundedEntry(key, `bytes of ${key}`, undefined);
    cache.set(key, entry, (lifeMs - 0.5) / 1_000);
    limit.used(entry, Date.now() + lifeMs);
    return entry;
  };
  /** Makes room for a new session now, and answers the keys held after, expired ones included. */
  const makeRoom = (limit: SessionLimit): string[] => {
    limit.makeRoom(Date.now());
    return cache.keys().sort();
  };

  it("boundedEntry: the bytes, the owner and the key, in no order of use yet, and not listed", () => {
    const none = [undefined, undefined, undefined];
    expect(boundedEntry("k", "b", undefined)).to.deep.equal(["b", undefined, "k", ...none]);
    expect(boundedEntry("k", "b", "ann")).to.deep.equal(["b", "ann", "k", ...none]);
  });

  it("used: new entries join at the most recent end, each counted once", () => {
    const limit = new SessionLimit(cache, 10);
    expect(order(limit)).to.deep.equal([]);
    add(limit, "a");
    expect(order(limit)).to.deep.equal(["a"]);
    add(limit, "b");
    add(limit, "c");
    expect(order(limit)).to.deep.equal(["a", "b", "c"]);
  });

  it("used: a use moves the oldest, a middle or the only entry to the most recent end; the newest stays", () => {
    const limit = new SessionLimit(cache, 10);
    const a = add(limit, "a");
    const b = add(limit, "b");
    const c = add(limit, "c");
    limit.used(a);
    expect(order(limit), "the oldest used").to.deep.equal(["b", "c", "a"]);
    limit.used(c);
    expect(order(limit), "a middle one used").to.deep.equal(["b", "a", "c"]);
    limit.used(c);
    limit.used(c);
    expect(order(limit), "the newest used").to.deep.equal(["b", "a", "c"]);
    limit.used(b);
    expect(order(limit)).to.deep.equal(["a", "c", "b"]);
    cache.del("a");
    cache.del("c");
    limit.used(b);
    expect(order(limit), "the only one used").to.deep.equal(["b"]);
  });

  it("full: from maxSessions entries on", () => {
    const limit = new SessionLimit(cache, 2);
    expect(limit.full).to.equal(false);
    add(limit, "a");
    expect(limit.full).to.equal(false);
    add(limit, "b");
    expect(limit.full).to.equal(true);
  });

  it("onDelete: a session node-cache deletes leaves the order, wherever it is in it", () => {
    const limit = new SessionLimit(cache, 10);
    for (const key of ["a", "b", "c", "d"]) add(limit, key);
    cache.del("b");
    expect(order(limit), "a middle one").to.deep.equal(["a", "c", "d"]);
    cache.del("a");
    expect(order(limit), "the oldest").to.deep.equal(["c", "d"]);
    cache.del("d");
    expect(order(limit), "the newest").to.deep.equal(["c"]);
    cache.del("c");
    expect(order(limit), "the only one").to.deep.equal([]);
    add(limit, "e");
    expect(order(limit)).to.deep.equal(["e"]);
  });

  it("onDelete: a session that is gone gives up its bytes, which its listings in the heap would otherwise keep in memory", () => {
    const limit = new SessionLimit(cache, 2);
    const deleted = add(limit, "deleted");
    const evicted = add(limit, "evicted");
    const expired = add(limit, "expired", 1_000);
    cache.del("deleted");
    limit.makeRoom(Date.now()); // full: evicts the least recently used
    clock.tick(1_000);
    cache.get("expired"); // node-cache removes it as it reads it
    expect(cache.keys()).to.deep.equal([]);
    for (const [name, entry] of Object.entries({ deleted, evicted, expired })) {
      expect(entry[0], name).to.equal("");
    }
    expect(limit.listings, "each still listed until it comes up or the heap is rebuilt").to.equal(
      3,
    );
  });

  it("onDelete: an entry never used, deleted, leaves the order as it was", () => {
    const limit = new SessionLimit(cache, 10);
    add(limit, "a");
    add(limit, "b");
    cache.set("stray", boundedEntry("stray", "bytes", undefined), 10);
    cache.del("stray");
    expect(order(limit)).to.deep.equal(["a", "b"]);
    const other = new ShardedCache(0);
    const alone = new SessionLimit(other, 10);
    other.set("stray", boundedEntry("stray", "bytes", undefined), 10);
    other.del("stray");
    expect(order(alone), "in an empty order").to.deep.equal([]);
  });

  it("makeRoom: nothing while a place is free, not even a removal of the expired", () => {
    const limit = new SessionLimit(cache, 3);
    add(limit, "short", 100);
    add(limit, "long");
    clock.tick(200);
    expect(makeRoom(limit)).to.deep.equal(["long", "short"]);
    expect(order(limit)).to.deep.equal(["short", "long"]);
  });

  it("makeRoom: in a full store, evicts the least recently used until one place is free", () => {
    const limit = new SessionLimit(cache, 2);
    add(limit, "a");
    add(limit, "b");
    expect(makeRoom(limit)).to.deep.equal(["b"]);
    expect(order(limit)).to.deep.equal(["b"]);
  });

  it("makeRoom: a session expired at exactly now goes before the least recently used", () => {
    const limit = new SessionLimit(cache, 2);
    add(limit, "a");
    add(limit, "b", 100);
    clock.tick(100);
    expect(makeRoom(limit)).to.deep.equal(["a"]);
  });

  it("makeRoom: every expired session goes, wherever it is in the order, and only then the least recently used", () => {
    const limit = new SessionLimit(cache, 5);
    add(limit, "old");
    add(limit, "p", 5_000);
    add(limit, "q", 2_000);
    add(limit, "r");
    add(limit, "e", 100);
    clock.tick(100);
    expect(makeRoom(limit), "at 100 ms").to.deep.equal(["old", "p", "q", "r"]);
    add(limit, "s");
    clock.tick(1);
    expect(makeRoom(limit), "at 101 ms nothing has expired").to.deep.equal(["p", "q", "r", "s"]);
    add(limit, "u");
    clock.tick(1_899);
    expect(makeRoom(limit), "at 2,000 ms q has expired").to.deep.equal(["p", "r", "s", "u"]);
    add(limit, "v");
    clock.tick(3_000);
    expect(makeRoom(limit), "at 5,000 ms p has expired").to.deep.equal(["r", "s", "u", "v"]);
  });

  it("makeRoom: a session listed under an expiry it has since moved later is listed again, not removed", () => {
    const limit = new SessionLimit(cache, 2);
    const extended = add(limit, "extended", 100);
    add(limit, "other");
    cache.ttl("extended", (LONG_MS - 0.5) / 1_000);
    limit.used(extended, Date.now() + LONG_MS);
    expect(limit.listings, "a later expiry lists nothing").to.equal(2);
    clock.tick(100);
    expect(makeRoom(limit), "the least recently used goes").to.deep.equal(["extended"]);
    expect(limit.listings, "listed again at its expiry").to.equal(2);
  });

  it("makeRoom: a session whose expiry moved earlier goes from its new expiry", () => {
    const limit = new SessionLimit(cache, 2);
    const shortened = add(limit, "shortened");
    add(limit, "other");
    cache.ttl("shortened", (100 - 0.5) / 1_000);
    limit.used(shortened, Date.now() + 100);
    expect(limit.listings, "an earlier expiry lists the entry again").to.equal(3);
    clock.tick(100);
    expect(makeRoom(limit)).to.deep.equal(["other"]);
  });

  it("makeRoom: listings of sessions that are gone are dropped, and the heap stays bounded", () => {
    const limit = new SessionLimit(cache, 10);
    for (let i = 0; i < 5_000; i++) {
      add(limit, `s${i}`);
      if (i >= 10) cache.del(`s${i - 10}`);
    }
    expect(limit.size).to.equal(10);
    expect(limit.listings, "rebuilt from the order when it grows").to.be.at.most(2 * 10 + 1_024);
    makeRoom(limit);
    expect(limit.size).to.equal(9);
  });

  it("used: a find (no expiry) lists nothing, and leaves the listing that counts as it was", () => {
    const limit = new SessionLimit(cache, 2);
    add(limit, "a");
    const short = add(limit, "short", 100);
    limit.used(short);
    expect(limit.listings).to.equal(2);
    clock.tick(100);
    expect(makeRoom(limit)).to.deep.equal(["a"]);
  });
});
