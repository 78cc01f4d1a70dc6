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

  it("boundedEntry: the bytes, the owner and the key, in no order of use yet", () => {
    expect(boundedEntry("k", "b", undefined)).to.deep.equal([
      "b",
      undefined,
      "k",
      undefined,
      undefined,
    ]);
    expect(boundedEntry("k", "b", "ann")).to.deep.equal(["b", "ann", "k", undefined, undefined]);
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

  it("makeRoom: nothing while a place is free, not even a sweep of the expired", () => {
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

  it("makeRoom: sweeps only once a session can have expired, so the second's sweep stays for it", () => {
    const limit = new SessionLimit(cache, 3);
    add(limit, "x");
    const short = add(limit, "short", 100);
    add(limit, "y");
    expect(makeRoom(limit), "nothing expired: the least recently used goes").to.deep.equal([
      "short",
      "y",
    ]);
    add(limit, "z");
    limit.used(short);
    clock.tick(100);
    expect(makeRoom(limit), "the expired one goes, though the most recently used").to.deep.equal([
      "y",
      "z",
    ]);
  });

  it("makeRoom: sweeps at most once a second, again at exactly 1,000 ms after the last", () => {
    const limit = new SessionLimit(cache, 3);
    add(limit, "x");
    add(limit, "y");
    add(limit, "a", 100);
    clock.tick(100);
    expect(makeRoom(limit), "the first sweep").to.deep.equal(["x", "y"]);
    add(limit, "b", 400);
    clock.tick(999);
    expect(makeRoom(limit), "999 ms later: no sweep, and b stays held").to.deep.equal(["b", "y"]);
    add(limit, "c");
    clock.tick(1);
    expect(makeRoom(limit), "1,000 ms later: a sweep").to.deep.equal(["c", "y"]);
  });

  it("makeRoom: a sweep learns the earliest expiry of the sessions left, wherever it is in the order", () => {
    const limit = new SessionLimit(cache, 5);
    add(limit, "old");
    add(limit, "p", 5_000);
    add(limit, "q", 2_000);
    add(limit, "r");
    add(limit, "e", 100);
    clock.tick(100);
    expect(makeRoom(limit), "the sweep at 100 ms").to.deep.equal(["old", "p", "q", "r"]);
    add(limit, "s");
    clock.tick(1_000);
    expect(makeRoom(limit), "at 1,100 ms nothing can have expired: no sweep").to.deep.equal([
      "p",
      "q",
      "r",
      "s",
    ]);
    add(limit, "u");
    clock.tick(900);
    expect(makeRoom(limit), "at 2,000 ms q has expired: a sweep").to.deep.equal([
      "p",
      "r",
      "s",
      "u",
    ]);
  });

  it("used: a find (no expiry) leaves the earliest expiry known as it was", () => {
    const limit = new SessionLimit(cache, 2);
    add(limit, "a");
    const short = add(limit, "short", 100);
    limit.used(short);
    clock.tick(100);
    expect(makeRoom(limit)).to.deep.equal(["a"]);
  });
});
