import { expect } from "chai";
import type { SessionData } from "express-session";
import { CorruptSessionError, MemStore, type Store } from "../../src";
import { encodeSession } from "../../src/adapters/shared/session-codec";
import { ExpressSessionStore } from "../../src/express";
import { bytes, expectFailure, expectMissing } from "../stores/store-contract";
import { memStoreHarness } from "../support/fake-clock";
import { PromiseStore, promiseMemStoreHarness, settle } from "../support/promise-store";
import { recordingStore } from "../support/recording-store";
import { useRedisServer } from "../support/redis-server";
import { redisStoreHarness, runConstructorSpecs } from "./adapter-suite";
import { Client, runExpressSpecs, serveExpress, sidOf } from "./express-http";

/** Only the Store methods, without `all`. */
function plainStore(inner: MemStore): Store {
  return {
    find: (token) => inner.find(token),
    save: (token, data, expiry) => inner.save(token, data, expiry),
    delete: (token) => inner.delete(token),
    touch: (token, expiry) => inner.touch(token, expiry),
  };
}

runExpressSpecs("MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
runExpressSpecs("MemStore behind Promises", promiseMemStoreHarness);

const cookieUntil = (expires: Date | null) =>
  ({
    cookie: { originalMaxAge: null, expires, httpOnly: true, path: "/" },
  }) as unknown as SessionData;

describe("ExpressSessionStore", () => {
  let memStore: MemStore;
  let harness: ReturnType<typeof memStoreHarness>;

  beforeEach(() => {
    harness = memStoreHarness(0, {}, { dateOnly: true });
    memStore = harness.store;
  });
  afterEach(() => harness.close());

  describe("constructor", () => {
    runConstructorSpecs((store, options) => new ExpressSessionStore(store, options));

    it("constructor: a disableTouch that is not a boolean is a TypeError naming it", async () => {
      for (const disableTouch of ["yes", 1, null] as unknown as boolean[]) {
        await expectFailure(
          () => new ExpressSessionStore(memStore, { disableTouch }),
          TypeError,
          /`disableTouch` to be a boolean, got/,
        );
      }
    });

    it("constructor: all, length and clear exist only over an IterableStore", () => {
      const iterable = new ExpressSessionStore(memStore);
      expect([typeof iterable.all, typeof iterable.length, typeof iterable.clear]).to.deep.equal([
        "function",
        "function",
        "function",
      ]);
      const plain = new ExpressSessionStore(plainStore(memStore));
      expect([plain.all, plain.length, plain.clear]).to.deep.equal([
        undefined,
        undefined,
        undefined,
      ]);
    });
  });

  describe("get and set", () => {
    it("get: an unknown session passes null", async () => {
      expect(await settle((cb) => new ExpressSessionStore(memStore).get("nope", cb))).to.deep.equal(
        { error: null, value: null },
      );
    });

    it("set: stores the session as UTF-8 JSON until the cookie's expiry", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const expires = new Date(Date.now() + 5_000);
      const sessionData = { ...cookieUntil(expires), message: "héllo" } as SessionData;
      expect((await settle<void>((cb) => adapter.set("sid", sessionData, cb))).error).to.equal(
        null,
      );
      const found = memStore.find("sid");
      expect(JSON.parse(Buffer.from(found.data as Uint8Array).toString("utf8"))).to.deep.equal(
        JSON.parse(JSON.stringify(sessionData)),
      );
      harness.clock.tick(4_999);
      expect(memStore.find("sid").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("sid"));
    });

    it("set: a cookie without expiry lives for ttlMs", async () => {
      const adapter = new ExpressSessionStore(memStore, { ttlMs: 2_000 });
      await settle<void>((cb) => adapter.set("sid", cookieUntil(null), cb));
      harness.clock.tick(1_999);
      expect(memStore.find("sid").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("sid"));
    });

    it("set: a session whose cookie has no expires lives for ttlMs", async () => {
      const adapter = new ExpressSessionStore(memStore, { ttlMs: 2_000 });
      const sessionData = { cookie: { originalMaxAge: null, path: "/" } } as unknown as SessionData;
      expect((await settle<void>((cb) => adapter.set("sid", sessionData, cb))).error).to.equal(
        null,
      );
      harness.clock.tick(1_999);
      expect(memStore.find("sid").exists).to.equal(true);
      expect((await settle((cb) => adapter.get("sid", cb))).error).to.equal(null);
      harness.clock.tick(1);
      expectMissing(memStore.find("sid"));
    });

    it("set: a session whose cookie is not an object is refused with a TypeError naming it, and the stored one stays", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const stored = encodeSession(
        cookieUntil(new Date(Date.now() + 60_000)),
        Number.POSITIVE_INFINITY,
      ).data;
      memStore.save("sid", stored, new Date(Date.now() + 60_000));
      for (const [cookie, got] of [
        [undefined, "`undefined` (undefined)"],
        [null, "`null` (null)"],
        ["c", "`'c'` (string)"],
        [[], "`[]` (object)"],
      ] as const) {
        const sessionData = (cookie === undefined
          ? { message: "hi" }
          : { message: "hi", cookie }) as unknown as SessionData;
        const { error } = await settle<void>((cb) => adapter.set("sid", sessionData, cb));
        expect(error, got).to.be.an.instanceOf(TypeError);
        expect((error as Error).message, got).to.equal(
          `Expected \`sessionData.cookie\` to be an object (express-session's cookie), got ${got}`,
        );
        expect(
          Buffer.from(memStore.find("sid").data as Uint8Array).equals(Buffer.from(stored)),
        ).to.equal(true);
      }
      await settle<void>((cb) =>
        adapter.set("new", { message: "hi" } as unknown as SessionData, cb),
      );
      expectMissing(memStore.find("new"));
    });

    it("set: an expiry already past removes the session", async () => {
      const adapter = new ExpressSessionStore(memStore);
      memStore.save("sid", bytes(1), new Date(Date.now() + 60_000));
      await settle<void>((cb) => adapter.set("sid", cookieUntil(new Date(Date.now() - 1)), cb));
      expectMissing(memStore.find("sid"));
    });

    it("get: round-trips what set stored, with the cookie's expiry as a string", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const expires = new Date(Date.now() + 5_000);
      await settle<void>((cb) =>
        adapter.set("sid", { ...cookieUntil(expires), message: "hi" } as SessionData, cb),
      );
      const { error, value } = await settle<SessionData | null>((cb) => adapter.get("sid", cb));
      expect(error).to.equal(null);
      expect(value).to.deep.include({ message: "hi" });
      expect(value?.cookie.expires).to.equal(expires.toISOString());
    });

    it("get: a stored session that is not one passes a CorruptSessionError once, and is removed", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const garbage = [
        Uint8Array.of(0xc3, 0x28),
        Buffer.from("{"),
        Buffer.from("null"),
        Buffer.from("[]"),
        Buffer.from("{}"),
        Buffer.from('{"cookie":null}'),
        Buffer.from('{"cookie":{"originalMaxAge":"abc"}}'),
        Buffer.from('{"cookie":{"toJSON":1}}'),
      ];
      for (const [i, data] of garbage.entries()) {
        const label = Buffer.from(data).toString("latin1");
        const sid = `sid-${i}`; // a removed session stays removed: a new ID for each sample
        memStore.save(sid, data, new Date(Date.now() + 60_000));
        const { error } = await settle((cb) => adapter.get(sid, cb));
        expect(error, label).to.be.instanceOf(CorruptSessionError);
        expect(error, label).to.have.property("code", "ERR_CORRUPT_SESSION");
        expectMissing(memStore.find(sid));
        expect(await settle((cb) => adapter.get(sid, cb)), label).to.deep.equal({
          error: null,
          value: null,
        });
      }
    });

    it("get: each cookie field of the wrong type is corrupt, the message naming it and what it must be", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const ages = "a number of ms that ends within the range of Date, or null";
      const samples: [unknown, RegExp][] = [
        [null, /`cookie` to be an object, got `null`/],
        [{ originalMaxAge: "abc" }, new RegExp(`\`cookie.originalMaxAge\` to be ${ages}, got`)],
        [{ maxAge: "abc" }, new RegExp(`\`cookie.maxAge\` to be ${ages}, got \`'abc'\``)],
        [{ expires: "not a date" }, /`cookie.expires` to be a date string or null, got `'not/],
        [{ secure: "yes" }, /`cookie.secure` to be a boolean, got `'yes'`/],
        [{ httpOnly: 1 }, /`cookie.httpOnly` to be a boolean, got `1`/],
        [{ partitioned: "yes" }, /`cookie.partitioned` to be a boolean, got `'yes'`/],
        [{ path: 7 }, /`cookie.path` to be a cookie path, got `7`/],
        [{ domain: "not a domain" }, /`cookie.domain` to be a cookie domain, got/],
        [{ priority: 1 }, /`cookie.priority` to be low, medium or high, got `1`/],
        [{ sameSite: "sideways" }, /`cookie.sameSite` to be a boolean, lax, strict or none, got/],
      ];
      for (const key of ["serialize", "toJSON", "data", "_expires", "constructor", "toString"]) {
        samples.push([{ [key]: 1 }, new RegExp(`\`cookie.${key}\` to be absent, got \`1\``)]);
      }
      for (const [i, [cookie, message]] of samples.entries()) {
        const sid = `sid-${i}`;
        memStore.save(sid, Buffer.from(JSON.stringify({ cookie })), new Date(Date.now() + 60_000));
        const { error } = await settle((cb) => adapter.get(sid, cb));
        expect(error, String(message)).to.be.instanceOf(CorruptSessionError);
        expect((error as Error).message).to.match(message);
        expectMissing(memStore.find(sid));
      }
    });

    it("get: an originalMaxAge or maxAge that ends at the edge of Date's range is a session; 1 ms beyond is corrupt", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const last = 8.64e15 - Date.now();
      const first = -8.64e15 - Date.now();
      for (const age of ["originalMaxAge", "maxAge"]) {
        for (const [value, valid] of [
          [last, true],
          [last + 1, false],
          [first, true],
          [first - 1, false],
        ] as const) {
          const sid = `${age}-${value}`;
          const stored = { cookie: { path: "/", [age]: value } };
          memStore.save(sid, Buffer.from(JSON.stringify(stored)), new Date(Date.now() + 60_000));
          const { error } = await settle((cb) => adapter.get(sid, cb));
          if (valid) expect(error, sid).to.equal(null);
          else expect(error, sid).to.be.instanceOf(CorruptSessionError);
        }
      }
    });

    it("get: with an originalMaxAge, the stored expires is replaced, so any string will do; it must still be a string", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const save = (sid: string, expires: unknown) =>
        memStore.save(
          sid,
          Buffer.from(JSON.stringify({ cookie: { originalMaxAge: 600, expires } })),
          new Date(Date.now() + 60_000),
        );
      save("text", "not a date");
      const { error, value } = await settle<SessionData | null>((cb) => adapter.get("text", cb));
      expect(error).to.equal(null);
      expect(value?.cookie.expires).to.deep.equal(new Date(Date.now() + 600));
      save("number", 12);
      const refused = await settle((cb) => adapter.get("number", cb));
      expect(refused.error).to.be.instanceOf(CorruptSessionError);
      expect((refused.error as Error).message).to.match(/`cookie.expires` to be a date string/);
    });

    it("get: a session with a maxAge reads as touched by this request: expires is now plus originalMaxAge", async () => {
      const adapter = new ExpressSessionStore(memStore);
      // As express-session calls them: the cookie's expiry is reset to now + maxAge before each.
      const session = () =>
        ({
          cookie: { originalMaxAge: 600, expires: new Date(Date.now() + 600), path: "/" },
        }) as unknown as SessionData;
      await settle<void>((cb) => adapter.set("sid", session(), cb));
      harness.clock.tick(400);
      await settle<void>((cb) => adapter.touch("sid", session(), cb));
      harness.clock.tick(400);
      const { value } = await settle<SessionData | null>((cb) => adapter.get("sid", cb));
      expect(value?.cookie.expires).to.deep.equal(new Date(Date.now() + 600));
      const stored = JSON.parse(Buffer.from(memStore.find("sid").data as Uint8Array).toString());
      expect(stored.cookie.expires, "the stored copy keeps its last save").to.equal(
        new Date(Date.now() - 200).toISOString(),
      );
    });

    it("get: with disableTouch, the cookie reads as it was saved", async () => {
      const adapter = new ExpressSessionStore(memStore, { disableTouch: true });
      const expires = new Date(Date.now() + 600);
      const session = { cookie: { originalMaxAge: 600, expires } } as unknown as SessionData;
      await settle<void>((cb) => adapter.set("sid", session, cb));
      harness.clock.tick(400);
      const { value } = await settle<SessionData | null>((cb) => adapter.get("sid", cb));
      expect(value?.cookie.expires).to.equal(expires.toISOString());
    });

    it("get: callbacks come asynchronously, even over a synchronous store", async () => {
      const adapter = new ExpressSessionStore(memStore);
      let called = false;
      const done = settle((cb) => {
        adapter.get("sid", (error, value) => {
          called = true;
          cb(error, value);
        });
        expect(called).to.equal(false);
      });
      await done;
      expect(called).to.equal(true);
    });

    it("set: a store that throws passes the error to the callback instead of throwing", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const { error } = await settle<void>((cb) => adapter.set("", cookieUntil(null), cb));
      expect(error).to.be.instanceOf(TypeError);
    });
  });

  describe("touch", () => {
    it("touch: moves a live session's expiry to the cookie's, leaving the stored bytes as they were", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const savedUntil = new Date(Date.now() + 1_000);
      await settle<void>((cb) =>
        adapter.set("sid", { ...cookieUntil(savedUntil), message: "kept" } as SessionData, cb),
      );
      const storedBytes = Buffer.from(memStore.find("sid").data as Uint8Array);
      const later = new Date(Date.now() + 10_000);
      await settle<void>((cb) =>
        adapter.touch("sid", { ...cookieUntil(later), message: "ignored" } as SessionData, cb),
      );
      expect(Buffer.compare(memStore.find("sid").data as Uint8Array, storedBytes)).to.equal(0);
      harness.clock.tick(9_999);
      expect(memStore.find("sid").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("sid"));
    });

    it("touch: is one store.touch call, with no find and no save", async () => {
      const { store: spy, calls } = recordingStore(memStore);
      const adapter = new ExpressSessionStore(spy);
      memStore.save("sid", Buffer.from("{}"), new Date(Date.now() + 1_000));
      await settle<void>((cb) =>
        adapter.touch("sid", cookieUntil(new Date(Date.now() + 5_000)), cb),
      );
      expect(calls).to.deep.equal(["touch"]);
    });

    it("touch: with disableTouch, sends nothing and the session expires at its last save", async () => {
      const { store: counting, calls } = recordingStore(memStore);
      const adapter = new ExpressSessionStore(counting, { disableTouch: true });
      await settle<void>((cb) => adapter.set("sid", cookieUntil(new Date(Date.now() + 1_000)), cb));
      const { error } = await settle<void>((cb) =>
        adapter.touch("sid", cookieUntil(new Date(Date.now() + 10_000)), cb),
      );
      expect(error).to.equal(undefined);
      expect(calls).to.deep.equal(["save"]);
      harness.clock.tick(1_000);
      expectMissing(memStore.find("sid"));
    });

    it("touch: with disableTouch and no callback, returns without throwing", () => {
      const adapter = new ExpressSessionStore(memStore, { disableTouch: true });
      expect(() => adapter.touch("sid", cookieUntil(null))).not.to.throw();
    });

    it("touch: a session that is gone stays gone", async () => {
      const adapter = new ExpressSessionStore(memStore);
      const { error } = await settle<void>((cb) =>
        adapter.touch("sid", cookieUntil(new Date(Date.now() + 10_000)), cb),
      );
      expect(error).to.equal(null);
      expectMissing(memStore.find("sid"));
    });
  });

  describe("destroy, all, length, clear", () => {
    it("destroy: removes the session; an unknown one is not an error", async () => {
      const adapter = new ExpressSessionStore(memStore);
      await settle<void>((cb) => adapter.set("sid", cookieUntil(null), cb));
      expect((await settle<void>((cb) => adapter.destroy("sid", cb))).error).to.equal(null);
      expectMissing(memStore.find("sid"));
      expect((await settle<void>((cb) => adapter.destroy("sid", cb))).error).to.equal(null);
    });

    it("all, length, clear: list, count and delete the live sessions", async () => {
      const adapter = new ExpressSessionStore(memStore);
      await settle<void>((cb) =>
        adapter.set("__proto__", { ...cookieUntil(null), message: "a" } as SessionData, cb),
      );
      await settle<void>((cb) =>
        adapter.set(
          "b",
          { ...cookieUntil(new Date(Date.now() + 10)), message: "b" } as SessionData,
          cb,
        ),
      );
      harness.clock.tick(10);
      const all = await settle<Record<string, SessionData>>((cb) => adapter.all?.(cb));
      expect(Object.keys(all.value ?? {})).to.deep.equal(["__proto__"]);
      expect(Object.getOwnPropertyDescriptor(all.value, "__proto__")?.value).to.deep.include({
        message: "a",
      });
      expect(await settle<number>((cb) => adapter.length?.(cb))).to.deep.equal({
        error: null,
        value: 1,
      });
      await settle<void>((cb) => adapter.clear?.(cb));
      expect(memStore.all().size).to.equal(0);
    });

    it("all: leaves out and removes the corrupt sessions, a cookie whose expires is not a date among them", async () => {
      const adapter = new ExpressSessionStore(memStore);
      await settle<void>((cb) =>
        adapter.set("good", { ...cookieUntil(null), message: "kept" } as SessionData, cb),
      );
      const inAMinute = new Date(Date.now() + 60_000);
      memStore.save("not-json", Buffer.from("{"), inAMinute);
      const badExpires = { cookie: { originalMaxAge: 600, expires: "not a date" } };
      memStore.save("bad-expires", Buffer.from(JSON.stringify(badExpires)), inAMinute);
      const { error, value } = await settle<Record<string, SessionData>>((cb) => adapter.all?.(cb));
      expect(error).to.equal(null);
      expect(Object.keys(value ?? {})).to.deep.equal(["good"]);
      expect([...memStore.all().keys()]).to.deep.equal(["good"]);
    });
  });
});

describe("ExpressSessionStore: a touch and a set in flight together", function () {
  this.timeout(20_000);
  const redis = useRedisServer();
  const stores: [string, () => Promise<Store>][] = [
    ["MemStore", async () => new MemStore(0)],
    ["MemStore behind Promises", async () => new PromiseStore(new MemStore(0))],
    ["RedisStore", async () => (await redisStoreHarness(redis)()).store],
  ];

  for (const [name, makeStore] of stores) {
    it(`touch: never undoes a set it overlaps, over ${name} (the set's cart survives)`, async () => {
      const adapter = new ExpressSessionStore(await makeStore());
      const inAnHour = () => cookieUntil(new Date(Date.now() + 3_600_000));
      const withCart = (cart: string[]) => ({ ...inAnHour(), cart }) as unknown as SessionData;
      for (let round = 0; round < 20; round++) {
        const sid = `sid-${round}`;
        await settle<void>((cb) => adapter.set(sid, withCart(["a"]), cb));
        await Promise.all([
          settle<void>((cb) => adapter.touch(sid, inAnHour(), cb)),
          settle<void>((cb) => adapter.set(sid, withCart(["a", "b"]), cb)),
        ]);
        const { value } = await settle<SessionData | null>((cb) => adapter.get(sid, cb));
        expect((value as unknown as { cart: string[] }).cart, `round ${round}`).to.deep.equal([
          "a",
          "b",
        ]);
      }
    });
  }
});

describe("ExpressSessionStore over a full MemStore (maxSessions)", () => {
  it("express: a new visitor to a full store is stored, the idlest session makes room, and no error reaches the handler", async () => {
    const store = new MemStore(0, { maxSessions: 1 });
    const app = await serveExpress(store);
    try {
      const [alice, bob] = [new Client(app.baseUrl), new Client(app.baseUrl)];
      await alice.get("/put");
      await bob.get("/put");
      expect(await bob.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect(await alice.get("/get"), "alice, the idlest, was evicted").to.deep.equal({
        status: 200,
        text: "",
      });
      expect(app.errors).to.deep.equal([]);
      expect([...store.all().keys()]).to.deep.equal([sidOf(bob)]);
    } finally {
      await app.close();
      store.close();
    }
  });
});
