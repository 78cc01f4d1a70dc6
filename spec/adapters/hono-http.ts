import { expect } from "chai";
import { decrypt, type SessionOptions, type Store as SessionStore } from "hono-sessions";
import { createApp, type ExampleAppOptions, listen } from "../../examples/hono/app";
import { CorruptSessionError, type IterableStore, type Store } from "../../src";
import { HonoSessionStore, type HonoSessionStoreOptions } from "../../src/hono";
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
  type SessionSettings,
} from "./adapter-suite";

const COOKIE_NAME = "session";
const ONE_HOUR_MS = 3_600_000;
/** An `_expire` long after any spec: the corrupt samples are corrupt for another reason. */
const LATE_EXPIRE = new Date(Date.UTC(2100, 0, 1)).toISOString();
const ENCRYPTION_KEY = "a spec key of at least 32 characters";

/** Serves the hono example app over `store` (any hono-sessions store) on a free loopback port. */
export function serveHono(
  store: SessionStore,
  options: Omit<ExampleAppOptions, "store" | "onError"> = {},
): Promise<ServedApp> {
  const errors: unknown[] = [];
  const app = createApp({ store, ...options, onError: (error) => errors.push(error) });
  return listenOnLoopback((port, host) => listen(app, port, host), errors);
}

/** The store token a browser holds: without an `encryptionKey`, the cookie is the token. */
export function tokenOf(client: Client): string {
  return client.cookie(COOKIE_NAME);
}

/** hono-sessions' options for the shared specs' settings: it counts in seconds. */
function sessionOptions({ maxAgeMs, rolling }: SessionSettings): Partial<SessionOptions> {
  return {
    ...(maxAgeMs === undefined ? {} : { expireAfterSeconds: maxAgeMs / 1_000 }),
    ...(rolling === undefined ? {} : { autoExtendExpiration: rolling }),
  };
}

/** A stored session holding "Hello world!" in `message`. */
export function liveSession(expire = LATE_EXPIRE): Record<string, unknown> {
  return {
    _data: { message: { value: "Hello world!", flash: false } },
    _expire: expire,
    _delete: false,
    _accessed: null,
  };
}

/** A live session holding `value` in `message`. */
export function withMessage(value: unknown): Record<string, unknown> {
  return { ...liveSession(), _data: { message: { value, flash: false } } };
}

/** A live session nested `levels` deep, the session itself being level 1. */
export function sessionNesting(levels: number): Record<string, unknown> {
  let value: unknown = "deep";
  for (let level = 4; level <= levels; level++) value = [value];
  return withMessage(value);
}

/**
 * Sessions that decode as JSON objects but that hono-sessions (or its hashing, ohash) cannot use:
 * every field it reads, with a type it does not write.
 */
export const CORRUPT_SESSIONS: readonly Record<string, unknown>[] = [
  {},
  { ...liveSession(), _data: undefined },
  { ...liveSession(), _data: null },
  { ...liveSession(), _data: "message" },
  { ...liveSession(), _data: [] },
  { ...liveSession(), _data: { message: "Hello world!" } },
  { ...liveSession(), _data: { message: null } },
  { ...liveSession(), _data: { message: { value: "Hello world!" } } },
  { ...liveSession(), _data: { message: { value: "Hello world!", flash: "yes" } } },
  { ...liveSession(), _expire: undefined },
  { ...liveSession(), _expire: "not a date" },
  { ...liveSession(), _expire: Date.UTC(2100, 0, 1) },
  { ...liveSession(), _expire: {} },
  { ...liveSession(), _delete: undefined },
  { ...liveSession(), _delete: true },
  { ...liveSession(), _delete: "no" },
  { ...liveSession(), _accessed: undefined },
  { ...liveSession(), _accessed: 5 },
  { ...liveSession(), _id: 123 },
  { ...liveSession(), constructor: null },
  withMessage({ a: { constructor: null } }),
  withMessage({ constructor: { name: { toString: 0 } } }),
  withMessage({ constructor: { name: [{ toString: 0 }] } }),
  { ...liveSession(), _data: { constructor: null } },
  sessionNesting(65),
  sessionNesting(3_000),
];

/** hono-sessions, as the shared adapter specs drive it. */
export const honoDriver: FrameworkDriver = {
  name: "hono-sessions",
  serve: (store, settings) =>
    serveHono(
      new HonoSessionStore(
        store,
        settings.maxSessionBytes === undefined ? {} : { maxSessionBytes: settings.maxSessionBytes },
      ),
      { session: sessionOptions(settings) },
    ),
  tokenOf,
  validSession: () => liveSession(new Date(Date.now() + ONE_HOUR_MS).toISOString()),
  corruptSessions: CORRUPT_SESSIONS,
  shortMaxAgeMs: 1_000,
  regenerates: true,
  touches: false,
};

/** A store whose `find` fails for one token only, as a shard that is down would. */
function failingFor(inner: Store, token: () => string, failure: unknown): Store {
  return {
    find: (t) => (t === token() ? Promise.reject(failure) : inner.find(t)),
    save: (t, data, expiry) => inner.save(t, data, expiry),
    delete: (t) => inner.delete(t),
    touch: (t, expiry) => inner.touch(t, expiry),
  };
}

const encode = (session: unknown) => Buffer.from(JSON.stringify(session), "utf8");

/**
 * The example app's HTTP behaviour over a store: the shared adapter specs, plus what is
 * hono-sessions' own. Each store's spec calls this with its harness factory.
 */
export function runHonoSpecs<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  runAdapterSpecs(honoDriver, name, makeHarness);

  describe(`hono-sessions over ${name}: what is hono-sessions' own`, () => {
    let harness: StoreHarness<S>;
    const served = eachServedSpec(makeHarness, (made) => {
      harness = made;
    });

    async function start(
      session: Partial<SessionOptions> = {},
      {
        store = harness.store,
        options = {},
        encryptionKey,
      }: { store?: Store; options?: HonoSessionStoreOptions; encryptionKey?: string } = {},
    ) {
      return served(
        await serveHono(new HonoSessionStore(store, options), {
          session,
          ...(encryptionKey === undefined ? {} : { encryptionKey }),
        }),
      );
    }

    const found = async (token: string) => (await harness.store.find(token)).exists;

    it("hono: without expireAfterSeconds a session lives for the adapter's ttlMs after its last request", async () => {
      const { client } = await start({ expireAfterSeconds: 0 }, { options: { ttlMs: 1_000 } });
      const alice = client();
      await alice.get("/put");
      const token = tokenOf(alice);
      await pass(harness, 600);
      const [reply, fromMs, toMs] = await timed(() => alice.get("/get"));
      expect(reply.text, "a request saves it again").to.equal("Hello world!");
      await expectExpiresAt(harness, token, fromMs + 1_000, toMs + 1_000);
    });

    it("hono: with autoExtendExpiration false, requests that change nothing leave the expiry where the last change put it", async () => {
      const { client } = await start({ expireAfterSeconds: 1, autoExtendExpiration: false });
      const alice = client();
      expect((await alice.get("/get")).text, "a new, empty session").to.equal("");
      const token = tokenOf(alice);
      await pass(harness, 500);
      const [put, fromMs, toMs] = await timed(() => alice.get("/put"));
      expect(put.status, "a change at 500 ms").to.equal(200);
      for (let elapsedMs = 800; elapsedMs <= 1_400; elapsedMs += 300) {
        await pass(harness, 300);
        expect((await alice.get("/get")).text, `unchanged at ${elapsedMs} ms`).to.equal(
          "Hello world!",
        );
      }
      // 1 s after the change, not after the requests since.
      await expectExpiresAt(harness, token, fromMs + 1_000, toMs + 1_000);
    });

    it("hono: /regenerate moves the whole session to a new token, with the expiry of a saved one", async () => {
      const { client } = await start({ expireAfterSeconds: 1 });
      const alice = client();
      await alice.get("/put");
      const before = tokenOf(alice);
      await pass(harness, 500);
      const [, fromMs, toMs] = await timed(() => alice.get("/regenerate"));
      expect(alice.setCookies, "the old cookie, then the new one").to.have.length(2);
      const after = tokenOf(alice);
      expect(after).not.to.equal(before);
      expect(await found(before)).to.equal(false);
      // expireAfterSeconds after the regenerate, not the adapter's ttlMs.
      await expectExpiresAt(harness, after, fromMs + 1_000, toMs + 1_000);
    });

    it("hono: /regenerate keeps the data under the new token", async () => {
      const { client } = await start();
      const alice = client();
      await alice.get("/put");
      await alice.get("/regenerate");
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
    });

    it("hono: a cookie that names no session starts a fresh one, with no error", async () => {
      const { app, client } = await start();
      const alice = client();
      await alice.get("/put");
      await harness.store.delete(tokenOf(alice));
      const stale = tokenOf(alice);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
      expect(tokenOf(alice)).not.to.equal(stale);
      expect(app.errors).to.deep.equal([]);
    });

    it("hono: a corrupt session's 500 sets no cookie and stores no new session", async () => {
      const { app, client } = await start();
      const alice = client();
      await alice.get("/put");
      const token = tokenOf(alice);
      await harness.store.save(token, encode(CORRUPT_SESSIONS[0]), new Date(Date.now() + 60_000));
      expect((await alice.get("/get")).status).to.equal(500);
      expect(alice.setCookies).to.deep.equal([]);
      expect((await harness.store.all()).size).to.equal(0);
      expect(app.errors.splice(0)).to.have.length(1);
      expect(tokenOf(alice), "the browser keeps its cookie").to.equal(token);
    });

    it("hono: among concurrent requests, a corrupt session fails its own request only, once", async () => {
      const { app, client } = await start();
      const clients = Array.from({ length: 8 }, client);
      for (const visitor of clients) await visitor.get("/put");
      const [mallory, ...others] = clients as [Client, ...Client[]];
      const corrupt = withMessage({ constructor: null });
      await harness.store.save(tokenOf(mallory), encode(corrupt), new Date(Date.now() + 60_000));
      const replies = await Promise.all(clients.map((visitor) => visitor.get("/get")));
      expect(replies[0]?.status).to.equal(500);
      expect(replies.slice(1)).to.deep.equal(
        others.map(() => ({ status: 200, text: "Hello world!" })),
      );
      expect(app.errors).to.have.length(1);
      expect(app.errors[0]).to.be.instanceOf(CorruptSessionError);
      const again = await Promise.all(clients.map((visitor) => visitor.get("/get")));
      expect(again.map((reply) => reply.text)).to.deep.equal([
        "",
        ...others.map(() => "Hello world!"),
      ]);
      expect(app.errors.splice(0)).to.have.length(1);
    });

    it("hono: among concurrent requests, a failed read fails its own request only, and logs nobody out", async () => {
      let down = "";
      const store = failingFor(harness.store, () => down, new Error("shard is down"));
      const { app, client } = await start({}, { store });
      const clients = Array.from({ length: 8 }, client);
      for (const visitor of clients) await visitor.get("/put");
      down = tokenOf(clients[3] as Client);
      const replies = await Promise.all(clients.map((visitor) => visitor.get("/get")));
      expect(replies.map((reply) => reply.status)).to.deep.equal([
        200, 200, 200, 500, 200, 200, 200, 200,
      ]);
      expect(app.errors.splice(0).map((error) => (error as Error).message)).to.deep.equal([
        "shard is down",
      ]);
      down = "";
      expect(await (clients[3] as Client).get("/get")).to.deep.equal({
        status: 200,
        text: "Hello world!",
      });
    });

    it("hono: a store that rejects with a non-Error still answers through onError, with an Error", async () => {
      let down = "";
      const { app, client } = await start(
        {},
        { store: failingFor(harness.store, () => down, "down") },
      );
      const alice = client();
      await alice.get("/put");
      down = tokenOf(alice);
      expect(await alice.get("/get")).to.deep.equal({
        status: 500,
        text: "Internal Server Error\n",
      });
      const [error, ...more] = app.errors.splice(0);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).cause).to.equal("down");
      expect(more).to.deep.equal([]);
    });

    it("hono: a save that fails after the handler answers 500, and the stored session stays as it was", async () => {
      const failing = new FailingStore(harness.store);
      const { store, calls } = recordingStore(failing);
      const { app, client } = await start({}, { store });
      const alice = client();
      await alice.get("/put");
      const saved = Buffer.from((await harness.store.find(tokenOf(alice))).data as Uint8Array);
      calls.length = 0;
      failing.mode = "reject";
      const failed = await alice.get("/get");
      expect(failed.status).to.equal(500);
      expect(app.errors.splice(0).map((error) => (error as Error).message)).to.deep.equal([
        "store is down",
      ]);
      failing.mode = "none";
      const kept = (await harness.store.find(tokenOf(alice))).data as Uint8Array;
      expect(Buffer.compare(kept, saved)).to.equal(0);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
    });

    it("hono: with an encryptionKey, the cookie seals the token, and a corrupt session is reported once", async () => {
      const { app, client } = await start({}, { encryptionKey: ENCRYPTION_KEY });
      const alice = client();
      await alice.get("/put");
      const sealed = alice.cookie(COOKIE_NAME);
      const token = await decrypt(ENCRYPTION_KEY, sealed);
      expect(token).to.be.a("string").and.not.equal(sealed);
      expect(await found(token as string)).to.equal(true);
      await harness.store.save(token as string, encode({}), new Date(Date.now() + 60_000));
      expect((await alice.get("/get")).status).to.equal(500);
      const [error, ...more] = app.errors.splice(0);
      expect(error).to.be.instanceOf(CorruptSessionError);
      expect(more).to.deep.equal([]);
      expect(await found(token as string)).to.equal(false);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
    });

    it("hono: with an encryptionKey, a forged cookie never reaches the store", async () => {
      const { store, calls } = recordingStore(harness.store);
      const { app } = await start({}, { store, encryptionKey: ENCRYPTION_KEY });
      const reply = await fetch(`${app.baseUrl}/get`, { headers: { cookie: "session=forged" } });
      expect(await reply.text()).to.equal("");
      expect(calls).to.deep.equal(["save", "save"]);
      expect(app.errors).to.deep.equal([]);
    });
  });
}
