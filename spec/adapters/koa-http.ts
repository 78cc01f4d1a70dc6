import { expect } from "chai";
import { createApp, type ExampleAppOptions } from "../../examples/koa/app";
import { CorruptSessionError, type IterableStore, type Store } from "../../src";
import { KoaSessionStore } from "../../src/koa";
import {
  expectExpiresAt,
  type HarnessFactory,
  pass,
  type StoreHarness,
  timed,
} from "../stores/store-contract";
import type { Client } from "../support/http-client";
import { recordingStore } from "../support/recording-store";
import {
  eachServedSpec,
  FailingStore,
  type FrameworkDriver,
  listenOnLoopback,
  runAdapterSpecs,
  type ServedApp,
} from "./adapter-suite";

const SECRET = "spec secret";
const COOKIE_NAME = "koa.sess";
const ONE_HOUR_MS = 3_600_000;
/** An `_expire` long after any spec: the corrupt samples are corrupt for another reason. */
const LATE_EXPIRE = Date.UTC(2100, 0, 1);

/** Serves the koa example app over `store` on a free loopback port. */
export function serveKoa(
  store: ExampleAppOptions["store"],
  session: ExampleAppOptions["session"] = {},
): Promise<ServedApp> {
  const errors: unknown[] = [];
  const app = createApp({ store, secret: SECRET, session, onError: (error) => errors.push(error) });
  return listenOnLoopback((port, host) => app.listen(port, host), errors);
}

/** The store key a browser holds: the value of koa-session's cookie. */
export function keyOf(client: Client): string {
  return client.cookie(COOKIE_NAME);
}

const live = { message: "Hello world!", _expire: LATE_EXPIRE, _maxAge: ONE_HOUR_MS };

/** A session nested `depth` levels deep (the session object itself is level 1). */
export function nestedSession(depth: number): Record<string, unknown> {
  let value: unknown = "deep";
  for (let level = 1; level < depth; level++) value = { value };
  return { ...live, message: value };
}

/** koa-session, as the shared adapter specs drive it. */
export const koaDriver: FrameworkDriver = {
  name: "koa-session",
  serve: (store, { maxAgeMs, rolling, maxSessionBytes }) =>
    serveKoa(
      maxSessionBytes === undefined ? store : new KoaSessionStore(store, { maxSessionBytes }),
      {
        ...(maxAgeMs === undefined ? {} : { maxAge: maxAgeMs }),
        ...(rolling === undefined ? {} : { rolling }),
      },
    ),
  tokenOf: keyOf,
  validSession: () => ({
    message: "Hello world!",
    _expire: Date.now() + ONE_HOUR_MS,
    _maxAge: ONE_HOUR_MS,
  }),
  corruptSessions: [
    {},
    { message: "Hello world!" },
    { ...live, _expire: undefined },
    { ...live, _expire: "2099-01-01" },
    { ...live, _expire: null },
    { ...live, _expire: 1e300 },
    { ...live, _maxAge: undefined },
    { ...live, _maxAge: "abc" },
    { ...live, _maxAge: true },
    { ...live, _maxAge: 0 },
    { ...live, _maxAge: 1e300 },
    { message: "Hello world!", _session: false },
    { ...live, _session: true },
    { message: "Hello world!", _session: true, _maxAge: ONE_HOUR_MS },
    { ...live, _requireSave: true },
    { ...live, toJSON: 1 },
    { ...live, save: "no" },
    { ...live, commit: null },
    { ...live, maxAge: "x" },
    { ...live, isNew: true },
    { ...live, length: 3 },
    JSON.parse(`{"__proto__":{},"_expire":${LATE_EXPIRE},"_maxAge":${ONE_HOUR_MS}}`),
    JSON.parse(`{"__proto__":null,"_expire":${LATE_EXPIRE},"_maxAge":${ONE_HOUR_MS}}`),
    nestedSession(65),
    nestedSession(2_000),
  ],
  shortMaxAgeMs: 300,
  regenerates: true,
  touches: false,
};

/** A store whose `method` fails (rejects) while `failing` is true; the rest works. */
function failingOn(inner: Store, method: "save" | "delete") {
  const failing = { on: false };
  const store: Store = {
    find: (token) => inner.find(token),
    save: (token, data, expiry) =>
      failing.on && method === "save"
        ? Promise.reject(new Error("save failed"))
        : inner.save(token, data, expiry),
    delete: (token) =>
      failing.on && method === "delete"
        ? Promise.reject(new Error("delete failed"))
        : inner.delete(token),
    touch: (token, expiry) => inner.touch(token, expiry),
  };
  return { store, failing };
}

/**
 * The example app's HTTP behaviour over a store: the shared adapter specs, plus what is
 * koa-session's own. Each store's spec calls this with its harness factory.
 */
export function runKoaSpecs<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  runAdapterSpecs(koaDriver, name, makeHarness);

  describe(`koa-session over ${name}: what is koa-session's own`, () => {
    let harness: StoreHarness<S>;
    const served = eachServedSpec(makeHarness, (made) => {
      harness = made;
    });

    async function start(
      session: ExampleAppOptions["session"] = {},
      store: ExampleAppOptions["store"] = harness.store,
    ) {
      return served(await serveKoa(store, session));
    }

    const stored = async (key: string) => {
      const found = await harness.store.find(key);
      return found.exists ? JSON.parse(Buffer.from(found.data).toString("utf8")) : undefined;
    };

    it("koa: the store holds the session as koa-session writes it, as JSON in UTF-8", async () => {
      const { client } = await start({ maxAge: 60_000 });
      const alice = client();
      const [, fromMs, toMs] = await timed(() => alice.get("/put"));
      const session = await stored(keyOf(alice));
      expect(session).to.have.keys(["message", "_expire", "_maxAge"]);
      expect(session).to.include({ message: "Hello world!", _maxAge: 60_000 });
      expect(session._expire).to.be.within(fromMs + 60_000, toMs + 60_000);
    });

    it("koa: a visit that stores nothing saves no session", async () => {
      const { client } = await start();
      await client().get("/get");
      expect((await harness.store.all()).size).to.equal(0);
    });

    it("koa: a read-only request is one find and no save; a rolling one is one find and one save, never a touch", async () => {
      for (const rolling of [false, true]) {
        const { store, calls } = recordingStore(harness.store);
        const { client } = await start({ maxAge: 60_000, rolling }, store);
        const alice = client();
        await alice.get("/put");
        calls.length = 0;
        expect((await alice.get("/get")).text).to.equal("Hello world!");
        expect(calls, `rolling: ${rolling}`).to.deep.equal(rolling ? ["find", "save"] : ["find"]);
      }
    });

    it("koa: renew saves a session used in the second half of its life, with a new expiry", async () => {
      const { client } = await start({ maxAge: ONE_HOUR_MS, renew: true });
      const alice = client();
      await alice.get("/put");
      const key = keyOf(alice);
      // The session as koa-session stores it, with `leftMs` of its hour left: far from the half
      // of its life either way, so that no stall of a busy machine moves it across.
      const storeWithLeft = async (leftMs: number) => {
        const expire = Date.now() + leftMs;
        const session = { message: "Hello world!", _expire: expire, _maxAge: ONE_HOUR_MS };
        await harness.store.save(key, Buffer.from(JSON.stringify(session)), new Date(expire));
        return expire;
      };
      const unrenewed = await storeWithLeft(40 * 60_000);
      expect((await alice.get("/get")).text).to.equal("Hello world!");
      expect((await stored(key))._expire, "40 minutes left: not renewed").to.equal(unrenewed);
      if (harness.expiryOf) expect(await harness.expiryOf(key)).to.equal(unrenewed);
      await storeWithLeft(20 * 60_000);
      const [reply, fromMs, toMs] = await timed(() => alice.get("/get"));
      expect(reply.text).to.equal("Hello world!");
      const [renewedMs, latestMs] = [fromMs + ONE_HOUR_MS, toMs + ONE_HOUR_MS];
      expect((await stored(key))._expire, "20 minutes left: renewed").to.be.within(
        renewedMs,
        latestMs,
      );
      if (await expectExpiresAt(harness, key, renewedMs, latestMs)) {
        expect((await alice.get("/get")).text).to.equal("");
      }
    });

    it("koa: a maxAge 'session' session lives for the adapter's ttlMs after each save", async () => {
      const adapter = new KoaSessionStore(harness.store, { ttlMs: 1_000 });
      const { client } = await start({ maxAge: "session" }, adapter);
      const alice = client();
      const [, fromMs, toMs] = await timed(() => alice.get("/put"));
      expect(alice.setCookies.join("\n")).not.to.match(/expires=/i);
      expect(await stored(keyOf(alice))).to.deep.equal({ message: "Hello world!", _session: true });
      await pass(harness, 700);
      await alice.get("/put"); // changes nothing: not saved, so the ttl is not renewed
      expect((await alice.get("/get")).text).to.equal("Hello world!");
      if (await expectExpiresAt(harness, keyOf(alice), fromMs + 1_000, toMs + 1_000)) {
        expect((await alice.get("/get")).text, "at ttlMs").to.equal("");
      }
    });

    it("koa: a rolling maxAge 'session' session lives on while it is used", async () => {
      const adapter = new KoaSessionStore(harness.store, { ttlMs: 1_000 });
      const { client } = await start({ maxAge: "session", rolling: true }, adapter);
      const alice = client();
      await alice.get("/put");
      let lastMs: [number, number] = [0, 0];
      for (let i = 1; i <= 4; i++) {
        await pass(harness, 700);
        const [reply, fromMs, toMs] = await timed(() => alice.get("/get"));
        expect(reply.text, `request ${i}`).to.equal("Hello world!");
        lastMs = [fromMs, toMs];
      }
      if (await expectExpiresAt(harness, keyOf(alice), lastMs[0] + 1_000, lastMs[1] + 1_000)) {
        expect((await alice.get("/get")).text).to.equal("");
      }
    });

    it("koa: regenerate keeps the session's data under the new key", async () => {
      const { client } = await start();
      const alice = client();
      await alice.get("/put");
      await alice.get("/regenerate");
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect(await stored(keyOf(alice))).to.include({ message: "Hello world!" });
    });

    it("koa: destroy and regenerate without a session (koa-session destroys a key it never stored) answer 200", async () => {
      const { app, client } = await start();
      expect((await client().get("/destroy")).status).to.equal(200);
      expect((await client().get("/regenerate")).status).to.equal(200);
      expect(app.errors).to.deep.equal([]);
    });

    it("koa: a stored session whose _expire has come answers as no session, and is removed", async () => {
      const { app, client } = await start();
      const alice = client();
      await alice.get("/put");
      const key = keyOf(alice);
      const expired = { message: "Hello world!", _expire: Date.now(), _maxAge: ONE_HOUR_MS };
      await harness.store.save(key, Buffer.from(JSON.stringify(expired)), new Date(LATE_EXPIRE));
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
      expect(app.errors).to.deep.equal([]);
      expect((await harness.store.find(key)).exists).to.equal(false);
    });

    it("koa: a corrupt session in a rolling app is reported once, and the next request starts afresh", async () => {
      const { app, client } = await start({ rolling: true });
      const alice = client();
      await alice.get("/put");
      const key = keyOf(alice);
      const corrupt = { ...live, _maxAge: "abc" };
      await harness.store.save(key, Buffer.from(JSON.stringify(corrupt)), new Date(LATE_EXPIRE));
      expect((await alice.get("/get")).status).to.equal(500);
      expect(app.errors).to.have.length(1);
      expect(app.errors[0]).to.be.instanceOf(CorruptSessionError);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
      expect(app.errors.splice(0)).to.have.length(1);
    });

    for (const method of ["save", "delete"] as const) {
      it(`koa: a store whose ${method} rejects answers 500 through the error path, and the server carries on`, async () => {
        const { store, failing } = failingOn(harness.store, method);
        // With rolling, /get saves; /destroy deletes.
        // Wrapped here: the example would give it an `ownerOf`, which needs an owner index.
        const { app, client } = await start(
          { rolling: method === "save" },
          new KoaSessionStore(store),
        );
        const alice = client();
        await alice.get("/put");
        failing.on = true;
        const route = method === "save" ? "/get" : "/destroy";
        expect((await alice.get(route)).status).to.equal(500);
        expect(app.errors.splice(0).map((error) => (error as Error).message)).to.deep.equal([
          `${method} failed`,
        ]);
        failing.on = false;
        expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      });
    }

    it("koa: a store that fails while a new session is saved answers 500, and stores nothing", async () => {
      const failing = new FailingStore(harness.store);
      const { app, client } = await start({}, failing);
      failing.mode = "reject";
      const alice = client();
      expect((await alice.get("/put")).status).to.equal(500);
      expect(alice.has(COOKIE_NAME)).to.equal(false);
      expect(app.errors.splice(0)).to.have.length(1);
      failing.mode = "none";
      expect((await harness.store.all()).size).to.equal(0);
    });
  });
}
