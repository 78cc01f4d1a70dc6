import { expect } from "chai";
import { Session, type SessionData } from "hono-sessions";
import { CorruptSessionError, MemStore, type Store } from "../../src";
import { HonoSessionStore } from "../../src/hono";
import { DELETE_FOUND } from "../../src/stores/delete-found";
import { expectFailure, expectMissing } from "../stores/store-contract";
import { memStoreHarness } from "../support/fake-clock";
import { PromiseStore, promiseMemStoreHarness } from "../support/promise-store";
import { recordingStore } from "../support/recording-store";
import { useRedisServer } from "../support/redis-server";
import { redisStoreHarness, runConstructorSpecs } from "./adapter-suite";
import {
  CORRUPT_SESSIONS,
  liveSession,
  runHonoSpecs,
  sessionNesting,
  withMessage,
} from "./hono-http";

runHonoSpecs("MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
runHonoSpecs("MemStore behind Promises", promiseMemStoreHarness);

describe("hono-sessions over RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  runHonoSpecs("RedisStore", redisStoreHarness(useRedisServer()));
});

const ONE_DAY_MS = 86_400_000;
const utf8 = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");
const decoded = (data: Uint8Array | undefined) =>
  JSON.parse(Buffer.from(data as Uint8Array).toString("utf8"));
const isoIn = (ms: number) => new Date(Date.now() + ms).toISOString();
/** A session as hono-sessions hands it over: `_expire` in `ms`, or `null`. */
const session = (ms: number | null, data: SessionData["_data"] = {}): SessionData => ({
  _data: data,
  _expire: ms === null ? null : isoIn(ms),
  _delete: false,
  _accessed: new Date().toISOString(),
  _id: "stale-id",
});
const withValue = (value: unknown) => session(60_000, { message: { value, flash: false } });

/** Whether hono-sessions itself can take `stored` (it hashes every session it loads). */
function honoSessionsAccepts(stored: unknown): boolean {
  try {
    new Session().setCache(stored as SessionData);
    return true;
  } catch {
    return false;
  }
}

describe("HonoSessionStore", () => {
  let memStore: MemStore;
  let harness: ReturnType<typeof memStoreHarness>;
  let adapter: HonoSessionStore;

  beforeEach(() => {
    harness = memStoreHarness(0);
    memStore = harness.store;
    adapter = new HonoSessionStore(memStore);
  });
  afterEach(() => harness.close());

  const storeRaw = (token: string, data: Uint8Array) =>
    memStore.save(token, data, new Date(Date.now() + 60_000));
  /** Reads a session as hono-sessions does, and deletes it in the same run when it expired. */
  const readAsMiddleware = async (token: string) => {
    const read = await adapter.getSessionById(token);
    const expired = read?._expire != null && Date.now() >= Date.parse(read._expire);
    return { read, deleted: expired ? adapter.deleteSession(token) : undefined };
  };

  describe("constructor", () => {
    runConstructorSpecs((store, options) => new HonoSessionStore(store, options));
  });

  describe("createSession and persistSessionData", () => {
    for (const method of ["createSession", "persistSessionData"] as const) {
      it(`${method}: stores the session as UTF-8 JSON without _id, until its _expire to the ms`, async () => {
        const saved = session(5_000, { message: { value: "héllo", flash: false } });
        expect(adapter[method]("sid", saved), "answered now over a synchronous store").to.equal(
          undefined,
        );
        const { _id, ...stored } = saved;
        expect(decoded(memStore.find("sid").data)).to.deep.equal(stored);
        harness.clock.tick(4_999);
        expect(memStore.find("sid").exists).to.equal(true);
        harness.clock.tick(1);
        expectMissing(memStore.find("sid"));
      });

      it(`${method}: a session whose _expire is null lives for ttlMs, to the ms`, async () => {
        const short = new HonoSessionStore(memStore, { ttlMs: 2_000 });
        await short[method]("sid", session(null));
        harness.clock.tick(1_999);
        expect(memStore.find("sid").exists).to.equal(true);
        harness.clock.tick(1);
        expectMissing(memStore.find("sid"));
      });
    }

    it("persistSessionData: a session whose _expire is null lives for one day by default", async () => {
      await adapter.persistSessionData("sid", session(null));
      harness.clock.tick(ONE_DAY_MS - 1);
      expect(memStore.find("sid").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("sid"));
    });

    it("persistSessionData: replaces the stored session and its expiry, earlier too", async () => {
      await adapter.persistSessionData("sid", session(60_000));
      await adapter.persistSessionData("sid", withValue("second"));
      expect(decoded(memStore.find("sid").data)._data.message.value).to.equal("second");
      await adapter.persistSessionData("sid", session(10));
      harness.clock.tick(10);
      expectMissing(memStore.find("sid"));
    });

    it("persistSessionData: an _expire already past removes the session", async () => {
      await adapter.persistSessionData("sid", session(60_000));
      await adapter.persistSessionData("sid", session(-1));
      expectMissing(memStore.find("sid"));
    });

    it("persistSessionData: a session hono-sessions could not read back is refused with a TypeError, and the stored one stays", async () => {
      await adapter.persistSessionData("sid", withValue("kept"));
      const refused = [
        withValue({ constructor: null }),
        withValue({ first: 1, second: { constructor: null } }),
        { ...session(60_000), _expire: "not a date" },
        { ...session(60_000), _data: { message: "raw" } },
      ] as SessionData[];
      for (const bad of refused) {
        const answer = adapter.persistSessionData("sid", bad);
        expect(answer, "a Promise, never a throw").to.be.instanceOf(Promise);
        await expectFailure(() => answer, TypeError, /could not read/);
      }
      await expectFailure(
        () => adapter.persistSessionData("sid", sessionNesting(65) as unknown as SessionData),
        TypeError,
        /nests deeper than 64 levels/,
      );
      await expectFailure(
        () => adapter.persistSessionData("sid", withValue(1n)),
        TypeError,
        /BigInt/,
      );
      expect(decoded(memStore.find("sid").data)._data.message.value).to.equal("kept");
    });

    it("persistSessionData: a session that is not an object is refused with a TypeError naming `session`", async () => {
      for (const bad of [null, "session"] as unknown as SessionData[]) {
        await expectFailure(
          () => adapter.persistSessionData("sid", bad),
          TypeError,
          /`session` to be an object, got/,
        );
      }
      expectMissing(memStore.find("sid"));
    });

    it("persistSessionData: an inherited constructor is not stored, so it is not checked", async () => {
      const inherited = Object.create({ constructor: null }) as object;
      await adapter.persistSessionData("sid", withValue({ inherited, own: { constructor: "x" } }));
      expect(decoded(memStore.find("sid").data)._data.message.value).to.deep.equal({
        inherited: {},
        own: { constructor: "x" },
      });
    });
  });

  describe("getSessionById", () => {
    it("getSessionById: an unknown session is null, answered now over a synchronous store", () => {
      expect(adapter.getSessionById("nope")).to.equal(null);
    });

    it("getSessionById: an ID no store can hold is null, and reaches no store", () => {
      const { store, calls } = recordingStore(memStore);
      const recorded = new HonoSessionStore(store);
      for (const id of [undefined, "", "\uD800"]) {
        expect(recorded.getSessionById(id), String(id)).to.equal(null);
      }
      expect(calls).to.deep.equal([]);
    });

    it("getSessionById: answers what was saved, a fresh object each time", async () => {
      await adapter.persistSessionData("sid", withValue({ nested: [1, 2] }));
      const first = adapter.getSessionById("sid") as SessionData;
      expect(first._data.message?.value).to.deep.equal({ nested: [1, 2] });
      first._data.message = { value: "changed", flash: false };
      const second = adapter.getSessionById("sid") as SessionData;
      expect(second._data.message?.value).to.deep.equal({ nested: [1, 2] });
      expect(second).not.to.have.property("_id");
    });

    it("getSessionById: the shape hono-sessions writes and any other answer alike: `_delete` an own field that reads, hashes and serializes as false until set, and a logout set on either is told from a key rotation", async () => {
      const moves: (string | undefined)[] = [];
      class RecordingStore extends MemStore {
        override [DELETE_FOUND](token: string, movedTo?: string) {
          moves.push(movedTo);
          return super[DELETE_FOUND](token, movedTo);
        }
      }
      const store = new RecordingStore(0);
      const recorded = new HonoSessionStore(store);
      const written = {
        _data: { message: { value: "hi", flash: false } },
        _expire: null,
        _delete: false,
        _accessed: "2026-01-01T00:00:00.000Z",
      };
      const shapes = {
        "as hono-sessions writes it": written,
        "in another order": {
          _accessed: written._accessed,
          _data: written._data,
          _expire: written._expire,
          _delete: false,
        },
        "with another field": { ...written, version: 2 },
      };
      try {
        for (const [shape, stored] of Object.entries(shapes)) {
          for (const logout of [false, true]) {
            // A session ID of its own each time: a deleted one stays deleted.
            const sid = `${shape} ${logout}`;
            store.save(sid, utf8(stored), new Date(Date.now() + 60_000));
            const read = recorded.getSessionById(sid) as SessionData;
            const field = Object.getOwnPropertyDescriptor(read, "_delete");
            expect(field?.enumerable, `${shape}: _delete own and enumerable`).to.equal(true);
            expect(read._delete, shape).to.equal(false);
            expect(JSON.parse(JSON.stringify(read)), shape).to.deep.equal(stored);
            expect(Object.keys(read), shape).to.have.members(Object.keys(stored));
            const cache = new Session();
            cache.setCache(read);
            expect(cache.isStale(), `${shape}: hashed alike twice`).to.equal(false);
            read._id = sid; // as hono-sessions sets it
            if (logout) cache.deleteSession();
            expect(read._delete, shape).to.equal(logout);
            await recorded.deleteSession(sid);
            // A logout records no move; a key rotation (or an expiry) one to an ID to come.
            expect(moves, `${shape}, ${logout ? "a logout" : "a rotation"}`).to.deep.equal([
              logout ? undefined : "",
            ]);
            moves.length = 0;
          }
        }
      } finally {
        store.close();
      }
    });

    it("getSessionById: over a store that answers with Promises, answers with a Promise", async () => {
      const promised = new HonoSessionStore(new PromiseStore(memStore));
      await promised.persistSessionData("sid", withValue("hi"));
      const answer = promised.getSessionById("sid");
      expect(answer).to.be.instanceOf(Promise);
      expect((await answer)?._data.message?.value).to.equal("hi");
    });

    it("getSessionById: every shape hono-sessions writes is read, however odd its keys", () => {
      const odd: unknown[] = [
        JSON.parse(
          '{"_data":{"__proto__":{"value":1,"flash":false}},"_expire":null,"_delete":false,"_accessed":null}',
        ),
        { ...liveSession(), _data: { message: { flash: true } } },
        { ...liveSession(), _data: { constructor: { value: "x", flash: true } } },
        withMessage({ constructor: "x" }),
        withMessage({ constructor: {} }),
        withMessage({ constructor: { name: "Bob" } }),
        withMessage({ constructor: { name: null } }),
        withMessage({ constructor: [{ toString: 0 }] }),
        withMessage({ toJSON: "x", valueOf: 1 }),
        sessionNesting(64),
        { ...liveSession(), _accessed: "yesterday", _id: "stored id" },
      ];
      for (const [i, stored] of odd.entries()) {
        storeRaw("sid", utf8(stored));
        expect(adapter.getSessionById("sid"), `sample ${i}`).to.deep.equal(stored);
        expect(honoSessionsAccepts(stored), `hono-sessions takes sample ${i}`).to.equal(true);
      }
    });

    it("getSessionById: the corrupt samples are ones hono-sessions fails on or misreads", () => {
      const unhashable = CORRUPT_SESSIONS.filter((stored) => !honoSessionsAccepts(stored));
      expect(unhashable.length, "samples that make hono-sessions throw").to.be.greaterThan(5);
    });

    it("getSessionById: a corrupt session is removed and answered as already expired; deleting it in the same run rejects with CorruptSessionError", async () => {
      for (const [i, stored] of CORRUPT_SESSIONS.entries()) {
        const sid = `sid-${i}`; // a removed session stays removed: a new ID for each sample
        storeRaw(sid, utf8(stored));
        const { read, deleted } = await readAsMiddleware(sid);
        expect(read?._data, `sample ${i}`).to.deep.equal({});
        expectMissing(memStore.find(sid));
        await expectFailure(() => deleted, CorruptSessionError, /corrupt/);
      }
    });

    it("getSessionById: the CorruptSessionError names the field and what it must be", async () => {
      const samples: [Record<string, unknown>, RegExp][] = [
        [{ ...liveSession(), _data: [] }, /`_data` to be an object, got/],
        [
          { ...liveSession(), _data: { message: "raw" } },
          /`_data\.message` to be an object with a boolean `flash`, got `'raw'`/,
        ],
        [
          { ...liveSession(), _data: { ["k".repeat(50)]: 1 } },
          new RegExp(`\`_data\\.${"k".repeat(40)}\` to be an object`),
        ],
        [{ ...liveSession(), _expire: "not a date" }, /`_expire` to be null or a date string, got/],
        [{ ...liveSession(), _delete: true }, /`_delete` to be false, got `true`/],
        [{ ...liveSession(), _accessed: 1 }, /`_accessed` to be null or a string, got `1`/],
        [{ ...liveSession(), _id: 1 }, /`_id` to be a string, got `1`/],
        [withMessage({ constructor: null }), /`constructor` to be hashable by ohash, got `null`/],
      ];
      for (const [i, [stored, message]] of samples.entries()) {
        storeRaw(`sid-${i}`, utf8(stored));
        const { read, deleted } = await readAsMiddleware(`sid-${i}`);
        expect(read, `sample ${i}`).to.deep.include({ _data: {}, _delete: false, _accessed: null });
        await expectFailure(() => deleted, CorruptSessionError, message);
      }
    });

    it("getSessionById: a second failed read in the same run is still raised once the first one's run ends", async () => {
      storeRaw("first", utf8({}));
      storeRaw("second", utf8({}));
      const first = adapter.getSessionById("first") as SessionData;
      const second = adapter.getSessionById("second") as SessionData;
      expect(first._expire, "arms the first report").to.equal(new Date(0).toISOString());
      let deleted: unknown;
      const deleting = Promise.resolve().then(() => {
        deleted = adapter.deleteSession("second");
      });
      expect(second._expire, "arms the second report").to.equal(new Date(0).toISOString());
      await deleting;
      await expectFailure(() => deleted, CorruptSessionError, /`_data`/);
    });

    it("getSessionById: an enumerable key inherited from a polluted Object.prototype is no entry of _data", async () => {
      storeRaw("sid", utf8(liveSession()));
      let read: unknown;
      Object.defineProperty(Object.prototype, "polluted", {
        value: 1,
        enumerable: true,
        configurable: true,
      });
      try {
        read = adapter.getSessionById("sid");
      } finally {
        delete (Object.prototype as Record<string, unknown>).polluted;
      }
      expect(read).to.deep.equal(liveSession());
    });

    it("getSessionById: a failed read is raised by that session's delete in the same run only, never later or elsewhere", async () => {
      storeRaw("sid", utf8({}));
      storeRaw("other", utf8(liveSession()));
      const read = (await adapter.getSessionById("sid")) as SessionData;
      expect(read._expire, "reading _expire arms the report").to.equal(new Date(0).toISOString());
      expect(adapter.deleteSession("other"), "another session's delete").to.equal(undefined);
      expect(memStore.find("other").exists).to.equal(false);
      await Promise.resolve();
      expect(adapter.deleteSession("sid"), "a delete in a later run").to.equal(undefined);
      const unread = await adapter.getSessionById("sid");
      expect(unread, "already removed").to.equal(null);
    });

    it("getSessionById: a store that fails a read keeps the session, and its delete in the same run rejects with the store's error", async () => {
      await adapter.persistSessionData("sid", withValue("kept"));
      const failing = new HonoSessionStore({
        find: () => Promise.reject(new Error("store is down")),
        save: (t, d, e) => memStore.save(t, d, e),
        delete: (t) => memStore.delete(t),
        touch: (t, e) => memStore.touch(t, e),
      });
      const read = await failing.getSessionById("sid");
      const expired = read?._expire === new Date(0).toISOString();
      expect(expired).to.equal(true);
      await expectFailure(() => failing.deleteSession("sid"), Error, /store is down/);
      expect(memStore.find("sid").exists, "not deleted").to.equal(true);
    });
  });

  describe("failures", () => {
    const throwing = (failure: unknown): Store => ({
      find: () => {
        throw failure;
      },
      save: () => {
        throw failure;
      },
      delete: () => Promise.reject(failure),
      touch: () => Promise.reject(failure),
    });

    it("failures: a store that throws makes every write a rejected Promise, never a throw", async () => {
      const failing = new HonoSessionStore(throwing(new RangeError("full")));
      for (const call of [
        () => failing.createSession("sid", session(null)),
        () => failing.persistSessionData("sid", session(1_000)),
        () => failing.deleteSession("sid"),
      ]) {
        const answer = call();
        expect(answer).to.be.instanceOf(Promise);
        await expectFailure(() => answer, RangeError, /full/);
      }
    });

    it("failures: a non-Error failure becomes an Error holding it as its cause", async () => {
      const failing = new HonoSessionStore(throwing("down"));
      for (const call of [
        () => failing.persistSessionData("sid", session(1_000)),
        () => failing.deleteSession("sid"),
      ]) {
        let failure: unknown;
        await Promise.resolve(call()).catch((error: unknown) => {
          failure = error;
        });
        expect(failure).to.be.instanceOf(Error);
        expect((failure as Error).cause).to.equal("down");
        expect((failure as Error).message).to.match(/`'down'` \(string\)/);
      }
      const read = failing.getSessionById("sid");
      expect((read as SessionData)._expire).to.be.a("string");
      await expectFailure(() => failing.deleteSession("sid"), Error, /'down'/);
    });
  });
});
