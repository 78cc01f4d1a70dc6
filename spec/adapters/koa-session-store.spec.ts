import { expect } from "chai";
import type { CreateSessionOptions } from "koa-session";
import { CorruptSessionError, type MemStore, type Store } from "../../src";
import { KoaSessionStore } from "../../src/koa";
import { expectFailure, expectMissing } from "../stores/store-contract";
import { memStoreHarness } from "../support/fake-clock";
import { promiseMemStoreHarness } from "../support/promise-store";
import { useRedisServer } from "../support/redis-server";
import { redisStoreHarness, runConstructorSpecs } from "./adapter-suite";
import { koaDriver, nestedSession, runKoaSpecs } from "./koa-http";

runKoaSpecs("MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
runKoaSpecs("MemStore behind Promises", promiseMemStoreHarness);

describe("koa-session over RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  runKoaSpecs("RedisStore", redisStoreHarness(useRedisServer()));
});

const ONE_DAY_MS = 86_400_000;
const utf8 = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");

describe("KoaSessionStore", () => {
  let memStore: MemStore;
  let harness: ReturnType<typeof memStoreHarness>;
  let adapter: KoaSessionStore;

  beforeEach(() => {
    harness = memStoreHarness(0);
    memStore = harness.store;
    adapter = new KoaSessionStore(memStore);
  });
  afterEach(() => harness.close());

  /** A session as koa-session saves it: `maxAgeMs` from now. */
  const session = (maxAgeMs: number, fields: Record<string, unknown> = {}) => ({
    message: "Hello world!",
    ...fields,
    _expire: Date.now() + maxAgeMs,
    _maxAge: maxAgeMs,
  });
  const storeRaw = (key: string, data: Uint8Array) =>
    memStore.save(key, data, new Date(Date.now() + 60_000));

  describe("constructor", () => {
    runConstructorSpecs((store, options) => new KoaSessionStore(store, options));

    it("constructor: fits koa-session's store option with no cast", () => {
      const store: NonNullable<CreateSessionOptions["store"]> = adapter;
      const options: CreateSessionOptions = { store, maxAge: 60_000 };
      expect(options.store).to.equal(adapter);
    });
  });

  describe("set", () => {
    it("set: stores the session as UTF-8 JSON until its _expire, to the millisecond, ignoring koa-session's maxAge + 10 s", async () => {
      const saved = session(5_000, { note: "héllo" });
      await adapter.set("key", saved);
      const found = memStore.find("key");
      expect(JSON.parse(Buffer.from(found.data as Uint8Array).toString("utf8"))).to.deep.equal(
        saved,
      );
      harness.clock.tick(4_999);
      expect(memStore.find("key").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("key"));
    });

    it("set: a maxAge 'session' session (_session: true) lives for ttlMs, one day by default", async () => {
      await adapter.set("day", { message: "hi", _session: true });
      await new KoaSessionStore(memStore, { ttlMs: 2_000 }).set("short", { _session: true });
      harness.clock.tick(1_999);
      expect(memStore.find("short").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("short"));
      harness.clock.tick(ONE_DAY_MS - 2_000 - 1);
      expect(memStore.find("day").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("day"));
    });

    it("set: replaces a stored session and its expiry, earlier too; an _expire already past removes it", async () => {
      await adapter.set("key", session(60_000));
      await adapter.set("key", session(1_000, { message: "second" }));
      expect(JSON.parse(String(memStore.find("key").data))).to.include({ message: "second" });
      harness.clock.tick(1_000);
      expectMissing(memStore.find("key"));
      await adapter.set("key", session(60_000));
      await adapter.set("key", session(-1));
      expectMissing(memStore.find("key"));
    });

    it("set: an _expire that is not a time rejects with an error naming it, and stores nothing", async () => {
      await adapter.set("key", session(60_000));
      const before = Buffer.from(memStore.find("key").data as Uint8Array);
      const refused: [unknown, new (...args: never[]) => Error][] = [
        [undefined, TypeError],
        [`abc${Date.now()}`, TypeError], // koa-session's `maxAge + Date.now()` on a string maxAge
        [null, TypeError],
        [1e300, RangeError],
        [Number.NaN, RangeError],
      ];
      for (const [_expire, type] of refused) {
        await expectFailure(
          () => adapter.set("key", { ...session(60_000), _expire }),
          type,
          /`session\._expire`.*got/,
        );
      }
      expect(Buffer.compare(memStore.find("key").data as Uint8Array, before)).to.equal(0);
    });

    it("set: an _expire at the last valid Date (8.64e15 ms) is saved; 1 ms later rejects with a RangeError", async () => {
      await adapter.set("last", { ...session(60_000), _expire: 8.64e15 });
      expect(memStore.find("last").exists).to.equal(true);
      await expectFailure(
        () => adapter.set("after", { ...session(60_000), _expire: 8.64e15 + 1 }),
        RangeError,
        /`session\._expire` to be a valid time/,
      );
      expectMissing(memStore.find("after"));
    });

    it("set: a session that is not JSON (a BigInt) rejects, and stores nothing", async () => {
      await expectFailure(
        () => adapter.set("key", session(60_000, { count: 1n })),
        TypeError,
        /BigInt/,
      );
      expectMissing(memStore.find("key"));
    });
  });

  describe("get", () => {
    it("get: an unknown key answers null", async () => {
      expect(await adapter.get("nope")).to.equal(null);
    });

    it("get: answers a fresh copy of what set stored", async () => {
      const saved = session(60_000, { nested: { list: [1, "two", null] }, note: "セッション" });
      await adapter.set("key", saved);
      const first = await adapter.get("key");
      expect(first).to.deep.equal(saved);
      (first as { message: string }).message = "changed";
      expect(await adapter.get("key")).to.deep.equal(saved);
    });

    it("get: a maxAge 'session' session is answered as stored", async () => {
      await adapter.set("key", { message: "hi", _session: true });
      expect(await adapter.get("key")).to.deep.equal({ message: "hi", _session: true });
    });

    it("get: a session whose _expire has come answers null and is removed; 1 ms before, it is answered", async () => {
      const expiringIn = (ms: number) => ({ ...session(60_000), _expire: Date.now() + ms });
      storeRaw("due", utf8(expiringIn(1)));
      storeRaw("now", utf8(expiringIn(0)));
      storeRaw("past", utf8(expiringIn(-1)));
      expect(await adapter.get("due")).to.include({ message: "Hello world!" });
      for (const key of ["now", "past"]) {
        expect(await adapter.get(key), key).to.equal(null);
        expectMissing(memStore.find(key));
      }
    });

    it("get: every corrupt session is removed and rejected once with a CorruptSessionError; then the key is unknown", async () => {
      const samples: Uint8Array[] = [
        Buffer.from("not json"),
        Uint8Array.of(0xc3, 0x28),
        Buffer.from("\uFEFF{}"),
        utf8(null),
        utf8([]),
        utf8("session"),
        Buffer.from(`{"_expire":${Date.now() + 60_000},"_maxAge":1e309}`), // Infinity
        Buffer.from(`{"x":${"[".repeat(20_000)}${"]".repeat(20_000)},"_session":true}`),
        ...koaDriver.corruptSessions.map(utf8),
      ];
      for (const [i, sample] of samples.entries()) {
        const key = `key-${i}`; // a removed session stays removed: a new key for each sample
        storeRaw(key, sample);
        await expectFailure(() => adapter.get(key), CorruptSessionError, /corrupt/);
        expectMissing(memStore.find(key));
        expect(await adapter.get(key), `sample ${i}`).to.equal(null);
      }
    });

    it("get: the message names the field and the value", async () => {
      storeRaw("key", utf8({ ...session(60_000), _maxAge: "abc" }));
      await expectFailure(() => adapter.get("key"), CorruptSessionError, /`_maxAge`.*'abc'/);
      storeRaw("key2", utf8({ ...session(60_000), toJSON: 1 }));
      await expectFailure(() => adapter.get("key2"), CorruptSessionError, /`toJSON`.*absent/);
    });

    it("get: each member of koa-session's Session, stored as a field, is corrupt and named", async () => {
      const members = [
        ...["toJSON", "save", "regenerate", "manuallyCommit", "commit", "maxAge", "length"],
        ...["populated", "externalKey", "isNew"],
      ];
      for (const member of members) {
        storeRaw(member, utf8({ ...session(60_000), [member]: 1 }));
        await expectFailure(
          () => adapter.get(member),
          CorruptSessionError,
          new RegExp(`\`${member}\` to be absent \\(koa-session owns it\\), got \`1\``),
        );
        expectMissing(memStore.find(member));
      }
    });

    it("get: a `_` key that koa-session does not write is corrupt and named", async () => {
      storeRaw("key", utf8({ ...session(60_000), _requireSave: true }));
      await expectFailure(
        () => adapter.get("key"),
        CorruptSessionError,
        /`_requireSave` to be absent \(koa-session owns it\), got `true`/,
      );
    });

    it("get: a lifetime koa-session did not write is corrupt, the message saying what was expected", async () => {
      const lifetimes: [Record<string, unknown>, RegExp][] = [
        [{ _session: false }, /`_session` to be true, got `false`/],
        [
          { _session: true, _expire: Date.now() + 60_000 },
          /`_expire` to be absent with `_session`/,
        ],
        [{ _session: true, _maxAge: 60_000 }, /`_maxAge` to be absent with `_session`/],
        [
          { ...session(60_000), _expire: "2099-01-01" },
          /`_expire` to be a time in ms since the epoch, got `'2099-01-01'`/,
        ],
        [
          { ...session(60_000), _maxAge: 0 },
          /`_maxAge` to be a positive number of ms, ending by the last valid Date, got `0`/,
        ],
      ];
      for (const [i, [fields, message]] of lifetimes.entries()) {
        storeRaw(`key-${i}`, utf8({ message: "hi", ...fields }));
        await expectFailure(() => adapter.get(`key-${i}`), CorruptSessionError, message);
        expectMissing(memStore.find(`key-${i}`));
      }
    });

    it("get: an _expire at the last valid Date (8.64e15 ms) is a time; 1 ms later is corrupt", async () => {
      storeRaw("last", utf8({ ...session(60_000), _expire: 8.64e15 }));
      expect(await adapter.get("last")).to.include({ _expire: 8.64e15 });
      storeRaw("after", utf8({ ...session(60_000), _expire: 8.64e15 + 1 }));
      await expectFailure(() => adapter.get("after"), CorruptSessionError, /`_expire`/);
    });

    it("get: an enumerable `_` key inherited from a polluted Object.prototype is no stored field", async () => {
      await adapter.set("key", session(60_000));
      let found: unknown;
      Object.defineProperty(Object.prototype, "_polluted", {
        value: 1,
        enumerable: true,
        configurable: true,
      });
      try {
        found = await adapter.get("key");
      } finally {
        delete (Object.prototype as Record<string, unknown>)._polluted;
      }
      expect(found).to.have.own.property("message", "Hello world!");
    });

    it("get: values nested 64 levels deep are a session, 65 levels are corrupt", async () => {
      storeRaw("key", utf8(nestedSession(64)));
      expect(await adapter.get("key")).to.have.property("message");
      storeRaw("key", utf8(nestedSession(65)));
      await expectFailure(() => adapter.get("key"), CorruptSessionError, /nest at most 64 levels/);
    });

    it("get: user keys that only look like koa-session's are a session", async () => {
      const fields = {
        ...JSON.parse('{"then":2}'), // a stored `then` is no thenable: JSON holds no functions
        constructor: 1,
        toString: "x",
        expire: 3,
        session: true,
        a_: 4,
      };
      storeRaw("key", utf8(session(60_000, fields)));
      expect(await adapter.get("key")).to.deep.include(fields);
    });

    it("get: a _maxAge whose next save would end after the last Date is corrupt", async () => {
      const tooLong = 8.64e15 - Date.now() + 1;
      storeRaw("key", utf8({ ...session(60_000), _maxAge: tooLong }));
      await expectFailure(() => adapter.get("key"), CorruptSessionError, /`_maxAge`/);
      storeRaw("key2", utf8({ ...session(60_000), _maxAge: tooLong - 1 }));
      expect(await adapter.get("key2")).to.include({ _maxAge: tooLong - 1 });
    });
  });

  describe("destroy", () => {
    it("destroy: removes the session; an unknown key is fine", async () => {
      await adapter.set("key", session(60_000));
      await adapter.destroy("key");
      expectMissing(memStore.find("key"));
      await adapter.destroy("never stored");
    });
  });

  describe("failures", () => {
    it("every method answers with a Promise, and a store that throws rejects it instead of throwing", async () => {
      const broken: Store = {
        find: () => {
          throw new Error("down");
        },
        save: () => {
          throw new Error("down");
        },
        delete: () => {
          throw new Error("down");
        },
        touch: () => {
          throw new Error("down");
        },
      };
      const failing = new KoaSessionStore(broken);
      const calls = [
        () => failing.get("key"),
        () => failing.set("key", session(60_000)),
        () => failing.destroy("key"),
      ];
      for (const call of calls) {
        const answer = call();
        expect(answer).to.be.instanceOf(Promise);
        await expectFailure(() => answer, Error, /down/);
      }
    });

    it("a token the store refuses (empty) rejects with the store's TypeError", async () => {
      await expectFailure(() => adapter.get(""), TypeError, /`token`/);
    });
  });
});
