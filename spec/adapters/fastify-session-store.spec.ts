import { expect } from "chai";
import type { Session } from "fastify";
import { MemStore } from "../../src";
import { CorruptSessionError, FastifySessionStore } from "../../src/fastify";
import { DELETE_FOUND } from "../../src/stores/delete-found";
import { bytes, expectMissing } from "../stores/store-contract";
import { memStoreHarness } from "../support/fake-clock";
import { Client } from "../support/http-client";
import { PromiseStore, promiseMemStoreHarness, settle } from "../support/promise-store";
import { useRedisServer } from "../support/redis-server";
import { FailingStore, redisStoreHarness, runConstructorSpecs } from "./adapter-suite";
import { runFastifySpecs, serveFastify, tokenOf } from "./fastify-http";
import { Gate } from "./owners-suite";

runFastifySpecs("MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
runFastifySpecs("MemStore behind Promises", promiseMemStoreHarness);
describe("@fastify/session over RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  runFastifySpecs("RedisStore", redisStoreHarness(useRedisServer()));
});

/** A stand-in for @fastify/session's `Cookie`: its fields, and `toJSON` as the framework's. */
class Cookie {
  originalMaxAge: number | null;
  path = "/";
  secure: boolean | null = false;
  sameSite: string | boolean | null = null;
  domain: string | null = null;
  httpOnly = true;
  constructor(
    public expires: Date | null,
    originalMaxAge: number | null = null,
  ) {
    this.originalMaxAge = originalMaxAge;
  }
  toJSON() {
    const { expires, originalMaxAge, sameSite, secure, path, httpOnly, domain } = this;
    return { expires, originalMaxAge, sameSite, secure, path, httpOnly, domain };
  }
}

/** A session as @fastify/session hands it to `set`: a cookie with `toJSON`, and the data. */
function sessionUntil(expires: Date | null, data: Record<string, unknown> = {}): Session {
  return { cookie: new Cookie(expires) as unknown as Session["cookie"], ...data };
}

/** @fastify/session's own `Cookie`, as the framework makes it from its cookie options. */
const FrameworkCookie = require("@fastify/session/lib/cookie") as new (
  options: Record<string, unknown>,
  request: { protocol: string },
) => { toJSON(): Record<string, unknown> };

const inMs = (ms: number) => new Date(Date.now() + ms);
const decoded = (data: Uint8Array | undefined) =>
  JSON.parse(Buffer.from(data ?? []).toString("utf8"));

describe("FastifySessionStore", () => {
  let memStore: MemStore;
  let harness: ReturnType<typeof memStoreHarness>;
  let adapter: FastifySessionStore;

  beforeEach(() => {
    harness = memStoreHarness(0, {}, { dateOnly: true });
    memStore = harness.store;
    adapter = new FastifySessionStore(memStore);
  });
  afterEach(() => harness.close());

  const get = (sessionId: string, over = adapter) =>
    settle<Session | null>((cb) => over.get(sessionId, cb));
  const set = (sessionId: string, session: Session, over = adapter) =>
    settle<void>((cb) => over.set(sessionId, session, cb));
  const stored = (session: unknown) => Buffer.from(JSON.stringify(session));

  describe("constructor", () => {
    runConstructorSpecs((store, options) => new FastifySessionStore(store, options));
  });

  describe("set", () => {
    it("set: stores the session as UTF-8 JSON until the cookie's expiry, to the millisecond", async () => {
      const session = sessionUntil(inMs(5_000), { message: "héllo" });
      expect((await set("sid", session)).error).to.equal(null);
      expect(decoded(memStore.find("sid").data)).to.deep.equal(JSON.parse(JSON.stringify(session)));
      harness.clock.tick(4_999);
      expect(memStore.find("sid").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("sid"));
    });

    it("set: a cookie without expiry lives for ttlMs, one day by default", async () => {
      const short = new FastifySessionStore(memStore, { ttlMs: 2_000 });
      await set("short", sessionUntil(null), short);
      await set("default", sessionUntil(null));
      harness.clock.tick(1_999);
      expect(memStore.find("short").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("short"));
      harness.clock.tick(86_400_000 - 2_000 - 1);
      expect(memStore.find("default").exists).to.equal(true);
      harness.clock.tick(1);
      expectMissing(memStore.find("default"));
    });

    it("set: an expiry already past removes the session", async () => {
      memStore.save("sid", bytes(1), inMs(60_000));
      expect((await set("sid", sessionUntil(inMs(-1)))).error).to.equal(null);
      expectMissing(memStore.find("sid"));
    });

    it("set: a session that could not be loaded back or sent is a TypeError naming the field, and the stored one stays", async () => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      const cookie = (fields: Partial<Cookie>) =>
        Object.assign(new Cookie(inMs(1_000)), fields) as unknown as Session["cookie"];
      const framework = (options: Record<string, unknown>) =>
        new FrameworkCookie(options, { protocol: "http" }) as unknown as Session["cookie"];
      const unsaveable: [Session, RegExp][] = [
        [
          { cookie: { originalMaxAge: null, expires: inMs(1_000) } },
          /`cookie` to be a @fastify\/session Cookie/,
        ],
        [
          { cookie: cookie({ expires: new Date(Number.NaN) }) },
          /^Cannot save the session: expected `cookie.expires` to be a Date from year 1601 to 9999, or null, got `Invalid Date` \(object\)$/,
        ],
        [
          { cookie: cookie({ expires: new Date(Date.UTC(10_000, 0, 1)) }) },
          /^Cannot save the session: expected `cookie.expires` to be a Date from year 1601 to 9999, or null, got `\+010000-01-01T00:00:00.000Z` \(object\)$/,
        ],
        [{ cookie: cookie({ expires: "2030-01-01" as unknown as Date }) }, /`cookie.expires`/],
        [
          // Saved as its toJSON writes it, which a load would refuse.
          {
            cookie: cookie({ expires: Object.assign(inMs(1_000), { toJSON: () => "2030-01-01" }) }),
          },
          /`cookie.expires` to be an ISO date from year 1601 to 9999, or null, got `'2030-01-01'`/,
        ],
        [{ cookie: cookie({ secure: "yes" as unknown as boolean }) }, /`cookie.secure`/],
        [{ cookie: cookie({ httpOnly: "yes" as unknown as boolean }) }, /`cookie.httpOnly`/],
        [{ cookie: cookie({ originalMaxAge: -1 }) }, /`cookie.originalMaxAge`/],
        [
          { cookie: Object.assign(framework({ maxAge: 1_000 }), { originalExpires: "yesterday" }) },
          /`cookie.originalExpires`/,
        ],
        [{ cookie: framework({ maxAge: 1_000, partitioned: 1 }) }, /`cookie.partitioned`/],
        [{ cookie: cookie({ path: "/a;b" }) }, /`cookie.path`/],
        [{ cookie: cookie({ domain: "bad domain" }) }, /`cookie.domain`/],
        [{ cookie: cookie({ sameSite: "sideways" }) }, /`cookie.sameSite`/],
        [sessionUntil(inMs(1_000), { save: 1 }), /`save` to be absent/],
        [sessionUntil(inMs(1_000), { user: JSON.parse('{"__proto__":{}}') }), /`user.__proto__`/],
        [sessionUntil(inMs(1_000), { big: 1n }), /BigInt/],
        [sessionUntil(inMs(1_000), { loop }), /circular structure/],
      ];
      memStore.save("sid", bytes(7), inMs(60_000));
      for (const [session, message] of unsaveable) {
        const { error } = await set("sid", session);
        expect(error, String(message)).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(message);
        expect([...(memStore.find("sid").data ?? [])]).to.deep.equal([7]);
      }
    });

    it("set: the check of what loads back reuses what the cookie's toJSON wrote for it: toJSON is called once more, to encode, and no more", async () => {
      class CountedCookie extends FrameworkCookie {
        calls = 0;
        override toJSON() {
          this.calls++;
          return super.toJSON();
        }
      }
      // Every kind of field @fastify/session writes: a Date, a number, strings, booleans, null and
      // undefined.
      const framework = new CountedCookie(
        { maxAge: 3_600_000, sameSite: "lax", secure: false },
        { protocol: "http" },
      );
      let calls = 0;
      const standIn = {
        toJSON: () => {
          calls++;
          return { expires: null, path: "/", partitioned: Symbol("left out by JSON") };
        },
      };
      for (const [cookie, count] of [
        [framework, () => framework.calls],
        [standIn, () => calls],
      ] as const) {
        const { error } = await set("sid", { cookie: cookie as unknown as Session["cookie"] });
        expect(error).to.equal(null);
        expect(count()).to.equal(2);
      }
    });

    it("set: the session and its cookie are checked as JSON writes them, not as they are", async () => {
      const sending = (sent: object) => ({ toJSON: () => sent }) as unknown as Session["cookie"];
      const samples: [Session, RegExp | null][] = [
        // A field JSON leaves out: a function, or one that is not enumerable.
        [{ cookie: sending({ expires: null, path: () => "/a;b" }) }, null],
        [
          {
            cookie: sending(
              Object.defineProperty({ expires: null }, "path", {
                value: "/a;b",
                enumerable: false,
              }),
            ),
          },
          null,
        ],
        // An object JSON writes as an object, whose toJSON is not a function.
        [{ cookie: sending({ expires: null, path: { toJSON: 1 } }) }, /`cookie.path`/],
        // JSON writes a String object as a string.
        [
          { cookie: sending(Object.assign(new String("/"), { expires: null })) },
          /`cookie` to be an object/,
        ],
        // A cookie that is not the session's own is left out; a toJSON writes what it writes.
        [Object.create({ cookie: sending({ expires: null }) }), /`cookie` to be an object/],
        [
          { cookie: sending({ expires: null }), toJSON: () => ({ save: 1 }) } as unknown as Session,
          /`save` to be absent/,
        ],
      ];
      for (const [i, [session, problem]] of samples.entries()) {
        const { error } = await set(`sid-${i}`, session);
        if (problem === null) {
          expect(error, `sample ${i}`).to.equal(null);
          expect(memStore.find(`sid-${i}`).exists, `sample ${i}`).to.equal(true);
        } else {
          expect(error, `sample ${i}`).to.be.instanceOf(TypeError);
          expect((error as Error).message, `sample ${i}`).to.match(problem);
          expect(memStore.find(`sid-${i}`).exists, `sample ${i}`).to.equal(false);
        }
      }
    });

    it("set: a number JSON writes as null is checked as the null it loads back as", async () => {
      for (const originalMaxAge of [Number.NaN, Number.POSITIVE_INFINITY]) {
        const cookie = { toJSON: () => ({ expires: null, originalMaxAge }) };
        const { error } = await set("sid", { cookie: cookie as unknown as Session["cookie"] });
        expect(error, String(originalMaxAge)).to.equal(null);
        expect(decoded(memStore.find("sid").data)).to.deep.equal({
          cookie: { expires: null, originalMaxAge: null },
        });
      }
    });

    it("set: data nested 64 levels deep (the session counting as one) is saved; 65 is refused", async () => {
      const nested = (levels: number) => {
        let value: unknown = 1;
        for (let i = 0; i < levels; i++) value = { a: value };
        return value;
      };
      expect((await set("sid", sessionUntil(null, { deep: nested(63) }))).error).to.equal(null);
      const { error } = await set("sid", sessionUntil(null, { deep: nested(64) }));
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(/nests deeper than 64 levels/);
    });

    it("set: a store that throws passes the error to the callback instead of throwing", async () => {
      const { error } = await set("", sessionUntil(null));
      expect(error).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.match(/`token`/);
    });
  });

  describe("get", () => {
    it("get: an unknown session passes null", async () => {
      expect(await get("nope")).to.deep.equal({ error: null, value: null });
    });

    it("get: hands on what set stored, with the cookie rebuilt from its checked fields and expires as a Date", async () => {
      const expires = inMs(5_000);
      const cookie = Object.assign(new Cookie(expires, 5_000), { originalExpires: inMs(1) });
      await set("sid", { cookie: cookie as unknown as Session["cookie"], message: "hi" });
      const { error, value } = await get("sid");
      expect(error).to.equal(null);
      expect(value).to.deep.equal({
        cookie: {
          expires,
          originalMaxAge: 5_000,
          sameSite: false,
          secure: false,
          path: "/",
          httpOnly: true,
          domain: "",
        },
        message: "hi",
      });
    });

    it("get: a stored null is handed on as the field's falsy value, an absent field stays absent, sameSite in lower case", async () => {
      const cookie = { expires: null, originalMaxAge: null, secure: null, sameSite: "Strict" };
      memStore.save("sid", stored({ cookie }), inMs(1_000));
      expect((await get("sid")).value).to.deep.equal({
        cookie: { expires: null, originalMaxAge: null, secure: false, sameSite: "strict" },
      });
      memStore.save("sid", stored({ cookie: {} }), inMs(1_000));
      expect((await get("sid")).value).to.deep.equal({ cookie: { originalMaxAge: null } });
    });

    it("get: cookie keys the framework does not read are left behind; null httpOnly and partitioned read as unset", async () => {
      const cookie = {
        maxAge: "abc",
        priority: "high",
        toJSON: 1,
        httpOnly: null,
        partitioned: null,
      };
      memStore.save("sid", stored({ cookie, message: "hi" }), inMs(1_000));
      expect((await get("sid")).value).to.deep.equal({
        cookie: { originalMaxAge: null, httpOnly: false },
        message: "hi",
      });
    });

    it("get: secure auto, partitioned and sameSite in any case are handed on as the framework reads them", async () => {
      const samples = [
        [
          { secure: "auto", partitioned: true, sameSite: "None" },
          { secure: "auto", partitioned: true, sameSite: "none" },
        ],
        [
          { secure: true, partitioned: false, sameSite: "Lax" },
          { secure: true, partitioned: false, sameSite: "lax" },
        ],
        [{ sameSite: "STRICT" }, { sameSite: "strict" }],
        [{ sameSite: true }, { sameSite: true }],
      ];
      for (const [cookie, restored] of samples) {
        memStore.save("sid", stored({ cookie }), inMs(1_000));
        expect((await get("sid")).value, JSON.stringify(cookie)).to.deep.equal({
          cookie: { originalMaxAge: null, ...restored },
        });
      }
    });

    it("get: dates and max ages are taken up to the edges of the years the cookie package sends, 1601 to 9999", async () => {
      const lastMs = Date.UTC(10_000, 0, 1) - 1;
      const cookie = {
        expires: "1601-01-01T00:00:00.000Z",
        originalExpires: "9999-12-31T23:59:59.999Z",
        originalMaxAge: lastMs - Date.now(),
      };
      memStore.save("sid", stored({ cookie }), inMs(1_000));
      expect((await get("sid")).value).to.deep.equal({
        cookie: { expires: new Date(Date.UTC(1601, 0, 1)), originalMaxAge: lastMs - Date.now() },
      });
      memStore.save(
        "sid",
        stored({ cookie: { expires: "9999-12-31T23:59:59.999Z" } }),
        inMs(1_000),
      );
      expect((await get("sid")).value).to.deep.equal({
        cookie: { expires: new Date(lastMs), originalMaxAge: null },
      });
    });

    it("get: keys are refused only by their names: a key that is empty or a value that says __proto__ loads", async () => {
      const session = {
        cookie: {},
        "": 1,
        user: null,
        note: "__proto__",
        list: [null, "__proto__"],
      };
      memStore.save("sid", stored(session), inMs(1_000));
      expect((await get("sid")).value).to.deep.equal({
        ...session,
        cookie: { originalMaxAge: null },
      });
    });

    it("get: the problem names the field, what it should be and what it holds", async () => {
      const lastMs = Date.UTC(10_000, 0, 1) - 1;
      const samples: [string, string][] = [
        ['{"cookie":5}', "expected `cookie` to be an object, got `5` (number)"],
        [
          '{"cookie":{"expires":"+002030-01-01T00:00:00.000Z"}}',
          "expected `cookie.expires` to be an ISO date from year 1601 to 9999, or null, got `'+002030-01-01T00:00:00.000Z'` (string)",
        ],
        [
          '{"cookie":{"expires":"2030-01-01T00:00:00.000Z\\u0000"}}',
          "expected `cookie.expires` to be an ISO date from year 1601 to 9999, or null, got `'2030-01-01T00:00:00.000Z\\x00'` (string)",
        ],
        [
          '{"cookie":{"originalExpires":"1600-12-31T23:59:59.999Z"}}',
          "expected `cookie.originalExpires` to be an ISO date from year 1601 to 9999, or null, got `'1600-12-31T23:59:59.999Z'` (string)",
        ],
        [
          `{"cookie":{"originalMaxAge":${lastMs - Date.now() + 1}}}`,
          `expected \`cookie.originalMaxAge\` to be a number of ms above 0 that ends before year 10000, or null, got \`${lastMs - Date.now() + 1}\` (number)`,
        ],
        [
          '{"cookie":{"path":"/a;b"}}',
          "expected `cookie.path` to be a cookie path, got `'/a;b'` (string)",
        ],
        [
          '{"cookie":{"domain":"bad domain"}}',
          "expected `cookie.domain` to be a cookie domain or null, got `'bad domain'` (string)",
        ],
        [
          '{"cookie":{"sameSite":"sideways"}}',
          "expected `cookie.sameSite` to be a boolean, lax, strict, none or null, got `'sideways'` (string)",
        ],
        [
          '{"cookie":{"secure":"yes"}}',
          "expected `cookie.secure` to be a boolean, \"auto\" or null, got `'yes'` (string)",
        ],
        [
          '{"cookie":{"httpOnly":"yes"}}',
          "expected `cookie.httpOnly` to be a boolean or null, got `'yes'` (string)",
        ],
        [
          '{"cookie":{"partitioned":1}}',
          "expected `cookie.partitioned` to be a boolean or null, got `1` (number)",
        ],
        [
          '{"cookie":{},"__proto__":{}}',
          "expected `__proto__` to be absent (a name @fastify/session uses), got `{}` (object)",
        ],
        [
          '{"cookie":{},"user":{"name":"alice","__proto__":{"admin":true}}}',
          "expected `user.__proto__` to be absent, got `{ admin: true }` (object)",
        ],
      ];
      for (const [i, [json, problem]] of samples.entries()) {
        memStore.save(`sid-${i}`, Buffer.from(json), inMs(1_000)); // a removed session stays removed
        const { error } = await get(`sid-${i}`);
        expect(error, json).to.be.instanceOf(CorruptSessionError);
        expect((error as CorruptSessionError).problem, json).to.equal(problem);
      }
    });

    it("get: a corrupt session is reported once as CorruptSessionError naming the field, and removed", async () => {
      memStore.save("sid", stored({ cookie: { path: "/a;b" }, message: "hi" }), inMs(1_000));
      const { error } = await get("sid");
      expect(error).to.be.instanceOf(CorruptSessionError);
      expect((error as CorruptSessionError).code).to.equal("ERR_CORRUPT_SESSION");
      expect((error as Error).message).to.match(/`cookie.path`.*'\/a;b'/);
      expectMissing(memStore.find("sid"));
      expect(await get("sid")).to.deep.equal({ error: null, value: null });
    });

    it("get: bytes that are not UTF-8 JSON holding a session object are corrupt", async () => {
      const samples = [Uint8Array.of(0xc3, 0x28), Buffer.from("{"), Buffer.from("[]")];
      for (const [i, data] of samples.entries()) {
        memStore.save(`sid-${i}`, data, inMs(1_000)); // a removed session stays removed
        expect((await get(`sid-${i}`)).error).to.be.instanceOf(CorruptSessionError);
      }
    });

    it("get: a store that fails passes its error, and the session stays", async () => {
      const failing = new FailingStore(memStore);
      const over = new FastifySessionStore(failing);
      memStore.save("sid", stored(sessionUntil(null)), inMs(1_000));
      for (const mode of ["throw", "reject"] as const) {
        failing.mode = mode;
        const { error } = await get("sid", over);
        expect((error as Error).message).to.equal("store is down");
      }
      expect(memStore.find("sid").exists).to.equal(true);
    });
  });

  describe("callbacks", () => {
    it("callbacks: come before the call returns over a synchronous store, later over a Promise store, once", async () => {
      for (const [store, synchronous] of [
        [memStore, true],
        [new PromiseStore(memStore), false],
      ] as const) {
        const over = new FastifySessionStore(store);
        const calls: string[] = [];
        over.set("sid", sessionUntil(null), () => calls.push("set"));
        over.get("sid", () => calls.push("get"));
        over.destroy("sid", () => calls.push("destroy"));
        expect(calls).to.deep.equal(synchronous ? ["set", "get", "destroy"] : []);
        await new Promise((resolve) => setImmediate(resolve));
        expect(calls.sort()).to.deep.equal(["destroy", "get", "set"]);
      }
    });

    it("callbacks: over a synchronous store, a throw from the callback reaches the caller, and the callback is not called again", () => {
      let calls = 0;
      const blowUp = () => {
        calls++;
        throw new Error("thrown by the framework");
      };
      expect(() => adapter.get("sid", blowUp)).to.throw("thrown by the framework");
      expect(() => adapter.set("sid", sessionUntil(null), blowUp)).to.throw(
        "thrown by the framework",
      );
      expect(calls).to.equal(2);
    });
  });

  describe("destroy", () => {
    it("destroy: removes the session; an unknown one is not an error", async () => {
      await set("sid", sessionUntil(null));
      expect((await settle<void>((cb) => adapter.destroy("sid", cb))).error).to.equal(null);
      expectMissing(memStore.find("sid"));
      expect((await settle<void>((cb) => adapter.destroy("sid", cb))).error).to.equal(null);
    });
  });

  describe("regenerate of a session destroyed meanwhile", () => {
    it("stores nothing for that request, however many other IDs are revoked before its last save", async function () {
      this.timeout(20_000);
      const store = new MemStore(0);
      const adapter = new FastifySessionStore(store);
      const [loaded, regenerated] = [new Gate(), new Gate()];
      const served = await serveFastify(adapter, {}, (app) => {
        app.get("/slow-regenerate", async (request, reply) => {
          await loaded.pass();
          await request.session.regenerate(["user"]);
          await regenerated.pass(); // an await after the regenerate, such as a database's
          request.session.message = "changed after the regenerate";
          return reply.type("text/plain").send("Done.\n"); // saves the new ID again
        });
      });
      try {
        const alice = new Client(served.baseUrl);
        await alice.get("/login?user=alice");
        const thief = alice.at(served.baseUrl); // another holder of the same cookie
        const slow = thief.get("/slow-regenerate");
        await loaded.entered;
        expect((await alice.get("/destroy")).status).to.equal(200);
        loaded.release();
        await regenerated.entered;
        // Meanwhile, more revocations than the adapter remembers IDs: destroys that find another
        // request's marker (two logouts of one session at once).
        const expiry = new Date(Date.now() + 60_000);
        for (let i = 0; i < 10_001; i++) {
          store.save(`other-${i}`, bytes(1), expiry);
          store.delete(`other-${i}`);
          expect((await settle<void>((cb) => adapter.destroy(`other-${i}`, cb))).error).to.equal(
            null,
          );
        }
        regenerated.release();
        expect((await slow).status, "the slow request answers as usual").to.equal(200);
        expect(store.find(tokenOf(thief)).exists, "nothing under its new ID").to.equal(false);
        expect((await thief.get("/me")).text).to.equal("nobody\n");
      } finally {
        await served.close();
      }
    });
  });

  describe("a logout's marker is never taken for a move", () => {
    it("a regenerate whose delete failed records no move, so a request that held the session before the logout still stores nothing", async function () {
      this.timeout(20_000);
      let failNextDelete = false;
      class FlakyStore extends MemStore {
        override [DELETE_FOUND](token: string, movedTo?: string) {
          if (failNextDelete) {
            failNextDelete = false;
            throw new Error("a transient store error");
          }
          return super[DELETE_FOUND](token, movedTo);
        }
      }
      const store = new FlakyStore(0);
      const gates = { flaky: new Gate(), holder: new Gate() };
      const served = await serveFastify(new FastifySessionStore(store), {}, (app) => {
        app.get("/held-regenerate", async (request, reply) => {
          const gate = (request.query as { gate: "flaky" | "holder" }).gate;
          await gates[gate].pass();
          const user = request.session.get("user");
          await request.session.regenerate().catch(() => {}); // the flaky one fails its delete
          request.session.set("user", user); // a login flow keeps the user
          return reply.type("text/plain").send("Done.\n");
        });
      });
      try {
        const alice = new Client(served.baseUrl);
        await alice.get("/login?user=alice");
        const [flaky, holder] = [alice.at(served.baseUrl), alice.at(served.baseUrl)];
        const flakyReply = flaky.get("/held-regenerate?gate=flaky");
        const holderReply = holder.get("/held-regenerate?gate=holder");
        await Promise.all([gates.flaky.entered, gates.holder.entered]);
        expect((await alice.get("/destroy")).status).to.equal(200);
        failNextDelete = true;
        gates.flaky.release();
        await flakyReply;
        gates.holder.release();
        expect((await holderReply).status).to.equal(200);
        expect(store.find(tokenOf(holder)).exists, "nothing under its new ID").to.equal(false);
        expect((await holder.get("/me")).text).to.equal("nobody\n");
      } finally {
        store.close();
        await served.close();
      }
    });
  });
});
