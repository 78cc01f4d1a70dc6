import type { Clock } from "@sinonjs/fake-timers";
import { expect } from "chai";
import NodeCache from "node-cache";
import { ShardedCache, shardCount, shardIndex } from "../../../src/stores/mem/sharded-cache";
import { installClock } from "../../support/fake-clock";

/** A key of `count` shards that lives in shard `shard`. */
function keyIn(shard: number, count: number): string {
  for (let i = 0; ; i++) if (shardIndex(`k${i}`, count) === shard) return `k${i}`;
}

describe("ShardedCache", () => {
  let clock: Clock;
  let cache: ShardedCache | undefined;
  beforeEach(() => {
    clock = installClock();
  });
  afterEach(() => {
    cache?.close();
    cache = undefined;
    clock.uninstall();
  });

  it("shardCount: one shard a quarter second of interval, at least 1 and at most 64", () => {
    const counts = [0, 249, 250, 499, 500, 749, 750, 8_000, 15_999, 16_000, 16_250, 300_000];
    expect(counts.map(shardCount)).to.deep.equal([1, 1, 1, 1, 2, 2, 3, 32, 63, 64, 64, 64]);
    expect(shardCount(2 ** 31 - 1)).to.equal(64);
  });

  it("shardIndex: the same key always in the same shard, an integer from 0 below the count", () => {
    for (const count of [1, 2, 7, 32, 128]) {
      for (const key of ["a", "ab", "abc", "abcd", "abcde", "s1234567890", "é\u{1f600}"]) {
        const index = shardIndex(key, count);
        expect(
          Number.isInteger(index) && index >= 0 && index < count,
          `${key} of ${count}`,
        ).to.equal(true);
        expect(shardIndex(key, count)).to.equal(index);
      }
    }
  });

  it("shardIndex: keys that differ in any one of their last four characters spread over several shards", () => {
    for (let length = 1; length <= 6; length++) {
      for (let fromEnd = 1; fromEnd <= Math.min(4, length); fromEnd++) {
        const shards = new Set<number>();
        for (let c = 0; c < 16; c++) {
          const chars = Array.from({ length }, () => "x");
          chars[length - fromEnd] = String.fromCharCode(0x61 + c);
          shards.add(shardIndex(chars.join(""), 8));
        }
        expect(shards.size, `length ${length}, character ${fromEnd} from the end`).to.be.above(4);
      }
    }
  });

  it("shardIndex: keys that differ only in their length spread over several shards", () => {
    const shards = new Set<number>();
    for (let length = 4; length < 20; length++) shards.add(shardIndex("x".repeat(length), 8));
    expect(shards.size).to.be.above(4);
  });

  it("get, set, ttl, getTtl, del: each key in its own shard, over one shard or several", () => {
    for (const interval of [0, 1_000]) {
      const sharded = new ShardedCache(interval);
      cache = sharded;
      const count = shardCount(interval);
      const keys = [0, 1, 2, 3].map((i) => (count === 1 ? `k${i}` : keyIn(i, count)));
      for (const key of keys) expect(sharded.set(key, `value of ${key}`, 10)).to.equal(true);
      for (const key of keys) expect(sharded.get(key)).to.equal(`value of ${key}`);
      expect(sharded.getTtl(keys[1] as string)).to.equal(Date.now() + 10_000);
      expect(sharded.ttl(keys[1] as string, 20)).to.equal(true);
      expect(sharded.getTtl(keys[1] as string)).to.equal(Date.now() + 20_000);
      expect(sharded.ttl("unknown", 20)).to.equal(false);
      expect(sharded.keys().sort()).to.deep.equal([...keys].sort());
      expect(sharded.size).to.equal(4);
      expect(sharded.del(keys[2] as string)).to.equal(1);
      expect(sharded.get(keys[2] as string)).to.equal(undefined);
      expect(sharded.del(keys[2] as string)).to.equal(0);
      expect(sharded.size).to.equal(3);
      sharded.close();
    }
  });

  it("peek: the value held, expired or not, with nothing removed and no hit or miss counted", () => {
    cache = new ShardedCache(1_000);
    const [live, expiring, other] = [keyIn(0, 4), keyIn(1, 4), keyIn(2, 4)];
    const value = { held: true };
    cache.set(live, value, 10);
    cache.set(expiring, "v", 0.001);
    clock.tick(2);
    expect(cache.peek(live), "the very value set").to.equal(value);
    expect(cache.peek(expiring), "past its expiry").to.equal("v");
    expect(cache.peek(other), "a key of a shard not made").to.equal(undefined);
    expect(cache.peek(keyIn(0, 4).repeat(2)), "an unknown key of a shard that holds one").to.equal(
      undefined,
    );
    expect(cache.size, "the expired key still held").to.equal(2);
    const shards = (cache as unknown as { shards: (NodeCache | undefined)[] }).shards;
    const stats = shards.map((shard) => shard && [shard.getStats().hits, shard.getStats().misses]);
    expect(stats.filter((counts) => counts !== undefined)).to.deep.equal([
      [0, 0],
      [0, 0],
    ]);
  });

  it("has: true for a live key of any shard, false for an unknown one and, removing it, an expired one", () => {
    cache = new ShardedCache(1_000);
    const [live, expiring, other] = [keyIn(0, 4), keyIn(1, 4), keyIn(2, 4)];
    cache.set(live, "v", 10);
    cache.set(expiring, "v", 0.001);
    expect(cache.has(live)).to.equal(true);
    expect(cache.has(expiring)).to.equal(true);
    expect(cache.has(other), "a key of an empty shard").to.equal(false);
    expect(cache.has(keyIn(0, 4).repeat(2)), "an unknown key of a shard that holds one").to.equal(
      false,
    );
    clock.tick(2); // node-cache keeps a key until its clock is past the key's time
    expect(cache.has(expiring), "past its expiry").to.equal(false);
    expect(cache.size, "the expired key removed").to.equal(1);
  });

  it("has: a shard not made answers without a lookup; a shard made looks the key up", () => {
    cache = new ShardedCache(1_000);
    cache.set(keyIn(0, 4), "v", 10);
    cache.set(keyIn(1, 4), "v", 10);
    cache.del(keyIn(1, 4));
    const lookups: number[] = [];
    (cache as unknown as { shards: (NodeCache | undefined)[] }).shards.forEach((shard, i) => {
      if (shard === undefined) return;
      const has = shard.has.bind(shard);
      shard.has = (key) => {
        lookups.push(i);
        return has(key);
      };
    });
    expect(cache.has(keyIn(2, 4))).to.equal(false);
    expect(lookups, "no lookup in shard 2, not made").to.deep.equal([]);
    expect(cache.has(keyIn(1, 4))).to.equal(false);
    expect(cache.has(keyIn(0, 4))).to.equal(true);
    expect(lookups).to.deep.equal([1, 0]);
  });

  it("make: the shards share one stats and one options object, so size counts every shard's keys", () => {
    cache = new ShardedCache(1_000);
    for (let shard = 0; shard < 4; shard++) cache.set(keyIn(shard, 4), "v", 10);
    const shards = (cache as unknown as { shards: NodeCache[] }).shards;
    for (const shard of shards.slice(1)) {
      expect(shard.stats).to.equal(shards[0]?.stats);
      expect(shard.options).to.equal(shards[0]?.options);
    }
    expect(shards[0]?.options.checkperiod).to.equal(1);
    expect(cache.size).to.equal(4);
    cache.del(keyIn(2, 4));
    expect(cache.size).to.equal(3);
  });

  it("make: every shard calls node-cache's own methods, shared by all, and a bound check that its timer runs", () => {
    for (const intervalMs of [0, 1_000]) {
      cache = new ShardedCache(intervalMs);
      for (let shard = 0; shard < 4; shard++) cache.set(keyIn(shard, 4), "v", 10);
      const made = (cache as unknown as { shards: (NodeCache | undefined)[] }).shards.filter(
        (shard) => shard !== undefined,
      );
      expect(made, `interval ${intervalMs}`).to.have.length(intervalMs === 0 ? 1 : 4);
      for (const shard of made) {
        const own = shard as unknown as Record<string, unknown>;
        const methods = NodeCache.prototype as unknown as Record<string, unknown>;
        for (const name of [
          "get",
          "set",
          "del",
          "ttl",
          "getTtl",
          "has",
          "keys",
          "getStats",
          "_check",
        ])
          expect(own[name], `${name}, interval ${intervalMs}`).to.equal(methods[name]);
        expect(own._checkData, "_checkData stays bound").to.not.equal(methods._checkData);
      }
      cache.close();
    }
  });

  it("size: 0 only while no shard holds a key, expired ones counted", () => {
    cache = new ShardedCache(1_000);
    expect(cache.size).to.equal(0);
    for (let shard = 0; shard < 4; shard++) {
      const key = keyIn(shard, 4);
      cache.set(key, "v", 0.001);
      clock.tick(5);
      expect(cache.size, `shard ${shard}`).to.equal(1);
      cache.del(key);
      expect(cache.size).to.equal(0);
    }
  });

  it("onDelete: hears the deletes of every shard, with the key and its value", () => {
    cache = new ShardedCache(1_000);
    const heard: [string, unknown][] = [];
    expect(cache.deleteListeners).to.equal(0);
    cache.onDelete((key, value) => heard.push([key, value]));
    expect(cache.deleteListeners).to.equal(1);
    const keys = [0, 1, 2, 3].map((shard) => keyIn(shard, 4));
    for (const key of keys) cache.set(key, `value of ${key}`, 10);
    for (const key of keys) cache.del(key);
    expect(heard).to.deep.equal(keys.map((key) => [key, `value of ${key}`]));
  });

  it("cleanup: one shard's pass at each of its places in the interval, then every interval", () => {
    cache = new ShardedCache(1_000);
    const keys = [0, 1, 2, 3].map((shard) => keyIn(shard, 4));
    const held = () => keys.filter((key) => cache?.keys().includes(key));
    for (const key of keys) cache.set(key, "v", 0.001);
    clock.tick(249);
    expect(held()).to.deep.equal(keys);
    for (let shard = 0; shard < 4; shard++) {
      clock.tick(shard === 0 ? 1 : 250);
      expect(held(), `at ${(shard + 1) * 250} ms`).to.deep.equal(keys.slice(shard + 1));
    }
    for (const key of keys) cache.set(key, "v", 0.001);
    clock.tick(249);
    expect(held()).to.deep.equal(keys);
    clock.tick(1);
    expect(held()).to.deep.equal(keys.slice(1));
  });

  it("constructor: one shard runs node-cache's own timer; several, one start each, the checks rearming", () => {
    cache = new ShardedCache(499);
    expect(clock.countTimers()).to.equal(1);
    cache.close();
    cache = new ShardedCache(0);
    expect(clock.countTimers()).to.equal(0);
    cache = new ShardedCache(750);
    expect(clock.countTimers(), "no shard made yet").to.equal(0);
    for (let shard = 0; shard < 3; shard++) cache.set(keyIn(shard, 3), "v", 10);
    expect(clock.countTimers()).to.equal(3);
    clock.tick(750);
    expect(clock.countTimers()).to.equal(3);
  });

  it("close: stops every start and every check, before and after the first passes, and those of shards made later", () => {
    for (const elapsedMs of [0, 5_000]) {
      cache = new ShardedCache(1_000);
      cache.set(keyIn(0, 4), "v", 10);
      clock.tick(elapsedMs);
      cache.close();
      expect(clock.countTimers(), `after ${elapsedMs} ms`).to.equal(0);
      cache.set(keyIn(1, 4), "v", 10);
      expect(clock.countTimers(), "a shard made after close").to.equal(0);
      expect(cache.get(keyIn(1, 4))).to.equal("v");
    }
  });

  it("shards: made one by one as keys are set in them; reads and deletes make none", () => {
    cache = new ShardedCache(1_000);
    const sharded = cache;
    expect(sharded.shardsMade).to.equal(0);
    expect(sharded.get(keyIn(0, 4))).to.equal(undefined);
    expect(sharded.has(keyIn(0, 4))).to.equal(false);
    expect(sharded.del(keyIn(0, 4))).to.equal(0);
    expect(sharded.ttl(keyIn(0, 4), 10)).to.equal(false);
    expect(sharded.getTtl(keyIn(0, 4))).to.equal(undefined);
    expect(sharded.keys()).to.deep.equal([]);
    expect([sharded.size, sharded.shardsMade]).to.deep.equal([0, 0]);
    sharded.set(keyIn(2, 4), "v", 10);
    expect([sharded.size, sharded.shardsMade]).to.deep.equal([1, 1]);
    sharded.set(keyIn(2, 4).repeat(2), "w", 10);
    for (let shard = 0; shard < 4; shard++) sharded.set(keyIn(shard, 4), "v", 10);
    expect(sharded.shardsMade).to.equal(4);
  });

  it("shards: one made late takes its first pass at its next place in the interval, then every interval", () => {
    // Shard 1 of 4 passes 500 ms into each interval of 1,000 ms.
    const key = keyIn(1, 4);
    const cases = [
      [400, 500],
      [500, 1_500],
      [501, 1_500],
      [1_498, 1_500],
      [2_700, 3_500],
    ] as const;
    for (const [madeAtMs, passAtMs] of cases) {
      const sharded = new ShardedCache(1_000);
      cache = sharded;
      clock.tick(madeAtMs);
      sharded.set(key, "v", 0.001); // expires 1 ms later
      clock.tick(passAtMs - madeAtMs - 1);
      expect(sharded.keys(), `made at ${madeAtMs} ms, 1 ms before ${passAtMs}`).to.deep.equal([
        key,
      ]);
      clock.tick(1);
      expect(sharded.keys(), `made at ${madeAtMs} ms, at ${passAtMs} ms`).to.deep.equal([]);
      sharded.set(key, "v", 0.001);
      clock.tick(999);
      expect(sharded.keys(), "1 ms before the next pass").to.deep.equal([key]);
      clock.tick(1);
      expect(sharded.keys(), "at the next pass").to.deep.equal([]);
      sharded.close();
    }
  });

  it("shards: the places in the interval count from when the cache was made", () => {
    clock.tick(300);
    const sharded = new ShardedCache(1_000); // shard 1 of 4 passes 500 ms into each interval
    cache = sharded;
    clock.tick(400);
    const key = keyIn(1, 4);
    sharded.set(key, "v", 0.001);
    clock.tick(99);
    expect(sharded.keys(), "1 ms before its place").to.deep.equal([key]);
    clock.tick(1);
    expect(sharded.keys(), "500 ms after the cache was made").to.deep.equal([]);
  });

  it("shards: one made at its very place, from a timer, takes its pass on the next millisecond", () => {
    const sharded = new ShardedCache(1_000); // shard 1 of 4 passes 500 ms into each interval
    cache = sharded;
    const key = keyIn(1, 4);
    setTimeout(() => sharded.set(key, "v", 0.0005), 500);
    clock.tick(500);
    expect(sharded.keys()).to.deep.equal([key]);
    clock.tick(1);
    expect(sharded.keys(), "not an interval later").to.deep.equal([]);
  });

  it("shards: one made after the wall clock was set back still takes its first pass at its place", () => {
    const sharded = new ShardedCache(1_000); // shard 1 of 4 passes 500 ms into each interval
    cache = sharded;
    clock.tick(400);
    clock.setSystemTime(Date.now() - 3_600_000);
    const key = keyIn(1, 4);
    sharded.set(key, "v", 0.001);
    clock.tick(99);
    expect(sharded.keys()).to.deep.equal([key]);
    clock.tick(1);
    expect(sharded.keys(), "at 500 ms on the monotonic clock").to.deep.equal([]);
  });

  it("onDelete: a listener hears the shards made after it was added", () => {
    cache = new ShardedCache(1_000);
    const heard: string[] = [];
    cache.onDelete((key) => heard.push(key));
    const keys = [0, 1, 2, 3].map((shard) => keyIn(shard, 4));
    for (const key of keys) cache.set(key, "v", 10);
    for (const key of keys) cache.del(key);
    expect(heard).to.deep.equal(keys);
  });

  it("get: answers the very value set, not a copy", () => {
    cache = new ShardedCache(1_000);
    const entry = ["key", "bytes"];
    cache.set("key", entry, 10);
    expect(cache.get("key")).to.equal(entry);
  });

  it("constructor: the shards' starts do not keep the process alive", () => {
    clock.uninstall();
    const active = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = active();
    const sharded = new ShardedCache(1_000);
    for (let shard = 0; shard < 4; shard++) sharded.set(keyIn(shard, 4), "v", 10);
    const after = active();
    sharded.close();
    clock = installClock();
    expect(after).to.equal(before);
  });
});
