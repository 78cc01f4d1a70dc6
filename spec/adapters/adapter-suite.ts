import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import {
  CorruptSessionError,
  type IterableStore,
  MemStore,
  type OwnerIndexedStore,
  type Store,
} from "../../src";
import { RedisStore } from "../../src/redis";
import {
  eachSpec,
  expectExpiresAt,
  expectFailure,
  type HarnessFactory,
  pass,
  type StoreHarness,
  timed,
} from "../stores/store-contract";
import { Client } from "../support/http-client";
import { recordingStore } from "../support/recording-store";
import {
  REAL_TIME_TOLERANCE_MS,
  redisExpiryOf,
  type useRedisServer,
} from "../support/redis-server";

/** One framework's example app, served in this process on a free loopback port. */
export interface ServedApp {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /**
   * Every error that reached the framework's own error path, in order. A spec that expects some
   * empties it once checked: any left fail the spec after it.
   */
  readonly errors: unknown[];
  /** Closes the server and every connection it holds. */
  close(): Promise<void>;
}

/**
 * Serves `server` (a framework's `listen(port, host)`, called here on a free loopback port) as a
 * {@link ServedApp} whose error list is `errors`.
 */
export async function listenOnLoopback(
  listen: (port: number, host: string) => Server,
  errors: unknown[],
): Promise<ServedApp> {
  const server = listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** How the shared specs set up a framework's session middleware. */
export interface SessionSettings {
  /**
   * How long a session lives, in ms: the cookie's `maxAge` or the framework's own equivalent.
   * Undefined: the framework's default.
   */
  maxAgeMs?: number;
  /** Whether each use extends the session by `maxAgeMs` (rolling, renew, inactivity expiry). */
  rolling?: boolean;
  /** The adapter's `maxSessionBytes`. Undefined: its default. */
  maxSessionBytes?: number;
}

/**
 * What the shared adapter specs need of one framework. Its example app serves `GET /put` (stores
 * `"Hello world!"`), `GET /get` (answers it, or `""`), `GET /destroy`, and `GET /regenerate` where
 * the framework can regenerate a session; errors take the framework's error path and answer 500.
 */
export interface FrameworkDriver {
  /** The framework's session package: `express-session`. */
  readonly name: string;
  /** Serves the example app over `store`, with a fresh error list. */
  serve(store: Store, settings: SessionSettings): Promise<ServedApp>;
  /** The store token of the session a browser holds. */
  tokenOf(client: Client): string;
  /** A stored session as this framework writes it, holding `"Hello world!"`, live for an hour. */
  validSession(): Record<string, unknown>;
  /**
   * Sessions that decode as JSON objects but would break the framework: each field it reads, with
   * a type it does not expect.
   */
  readonly corruptSessions: readonly Record<string, unknown>[];
  /** The shortest max age, in ms, the framework can express (hono-sessions counts in seconds). */
  readonly shortMaxAgeMs: number;
  /** Whether `GET /regenerate` exists. */
  readonly regenerates: boolean;
  /** Whether the framework extends an unchanged session with a touch (one `store.touch`). */
  readonly touches: boolean;
}

/** A store that, when told to, throws (or rejects) on every call, as a store that is down would. */
export class FailingStore implements IterableStore, OwnerIndexedStore {
  mode: "none" | "throw" | "reject" = "none";
  /** What it throws or rejects with. */
  reason: unknown = new Error("store is down");

  constructor(private readonly inner: IterableStore) {}

  find(token: string) {
    return this.call(() => this.inner.find(token));
  }
  save(token: string, data: Uint8Array, expiry: Date, owner?: string) {
    return this.call(() => this.indexed.save(token, data, expiry, owner));
  }
  delete(token: string) {
    return this.call(() => this.inner.delete(token));
  }
  touch(token: string, expiry: Date) {
    return this.call(() => this.inner.touch(token, expiry));
  }
  all() {
    return this.call(() => this.inner.all());
  }
  sessionsOf(owner: string) {
    return this.call(() => this.indexed.sessionsOf(owner));
  }
  deleteSessionsOf(owner: string, exceptToken?: string) {
    return this.call(() => this.indexed.deleteSessionsOf(owner, exceptToken));
  }

  /** The wrapped store, which the example apps need to index sessions by owner. */
  private get indexed(): OwnerIndexedStore {
    return this.inner as unknown as OwnerIndexedStore;
  }

  private call<T>(work: () => T): T {
    if (this.mode === "throw") throw this.reason;
    if (this.mode === "reject") return Promise.reject(this.reason) as T;
    return work();
  }
}

/** A RedisStore on the server of `useRedisServer()`, flushed for each spec, on real time. */
export function redisStoreHarness(redis: ReturnType<typeof useRedisServer>) {
  return async (): Promise<StoreHarness<RedisStore>> => {
    await redis.client().flushDb();
    return {
      store: new RedisStore(redis.client()),
      toleranceMs: REAL_TIME_TOLERANCE_MS,
      advance: (ms) => sleep(ms),
      close: () => {},
      expiryOf: (token) => redisExpiryOf((args) => redis.client().sendCommand(args), token),
    };
  };
}

const encode = (session: unknown) => Buffer.from(JSON.stringify(session), "utf8");

/** Bytes that are no session for any framework. */
function corruptBytes(valid: Record<string, unknown>): Uint8Array[] {
  const json = JSON.stringify({ ...valid, note: "é" });
  const badUtf8 = Buffer.from(json, "utf8");
  badUtf8[json.indexOf("é") + 1] = 0x28; // 0xC3 0x28: a malformed sequence inside a string
  return [
    Uint8Array.of(0xff, 0xfe, 0x00),
    Buffer.from(json.slice(0, json.length / 2)),
    badUtf8,
    encode(42),
    encode(null),
    encode([valid]),
    encode("session"),
    new Uint8Array(0),
    nestedIn(valid, 65), // one level past the limit every adapter keeps
    nestedIn(valid, 20_000), // past what JSON.stringify, and so every framework's hash, can take
  ];
}

/** `valid` with one more field, arrays nested `levels` deep (the session counting as one). */
function nestedIn(valid: Record<string, unknown>, levels: number): Uint8Array {
  const json = JSON.stringify(valid);
  const deep = "[".repeat(levels - 1) + "]".repeat(levels - 1);
  return Buffer.from(`${json.slice(0, -1)},"deep":${deep}}`, "utf8");
}

/**
 * In a `describe`: a fresh harness for every spec, handed to `ready`, and every app passed to the
 * returned function closed after the spec. That function answers the app and a way to make
 * browsers for it.
 */
export function eachServedSpec<S extends Store>(
  makeHarness: HarnessFactory<S>,
  ready: (harness: StoreHarness<S>) => void,
): (app: ServedApp) => { app: ServedApp; client: () => Client } {
  const apps: ServedApp[] = [];
  eachSpec(makeHarness, ready);
  afterEach(async () => {
    const served = apps.splice(0);
    await Promise.all(served.map((app) => app.close()));
    // A framework may take a store's error after the response was sent (express-session does,
    // for a failed save): a spec that expects none must not pass on a reply alone.
    const unexpected = served.flatMap((app) => app.errors);
    if (unexpected.length > 0) {
      const messages = unexpected.map((error) => (error instanceof Error ? error.stack : error));
      throw new Error(`errors no spec expected reached the framework:\n${messages.join("\n")}`);
    }
  });
  return (app) => {
    apps.push(app);
    return { app, client: () => new Client(app.baseUrl) };
  };
}

/**
 * The constructor specs every adapter shares. `construct` makes the adapter, as
 * `new XSessionStore(store, options)` does.
 */
export function runConstructorSpecs(
  construct: (store: Store, options: { ttlMs?: number; maxSessionBytes?: number }) => unknown,
): void {
  it("constructor: a store without find, save, delete and touch is a TypeError naming `store`", async () => {
    const partial = { find() {}, save() {}, delete() {} };
    for (const store of [undefined, null, {}, partial, "store"] as unknown[]) {
      await expectFailure(() => construct(store as Store, {}), TypeError, /`store`.*got/);
    }
  });

  it("constructor: a ttlMs that is not a positive integer is an error naming `ttlMs`", async () => {
    const store = new MemStore(0);
    const notANumber = "1000" as unknown as number;
    await expectFailure(() => construct(store, { ttlMs: notANumber }), TypeError, /`ttlMs`/);
    for (const ttlMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expectFailure(() => construct(store, { ttlMs }), RangeError, /`ttlMs`.*got/);
    }
  });

  it("constructor: a maxSessionBytes that is neither a positive integer nor Infinity is an error naming it", async () => {
    const store = new MemStore(0);
    for (const maxSessionBytes of ["1000", null, 1n] as unknown as number[]) {
      await expectFailure(
        () => construct(store, { maxSessionBytes }),
        TypeError,
        /`maxSessionBytes` to be a number, got/,
      );
    }
    for (const maxSessionBytes of [0, -1, 1.5, Number.NaN, Number.NEGATIVE_INFINITY, 2 ** 53]) {
      await expectFailure(
        () => construct(store, { maxSessionBytes }),
        RangeError,
        /`maxSessionBytes` to be an integer \(or Infinity\) from 1 and up, got/,
      );
    }
    for (const maxSessionBytes of [1, 1_048_576, Number.POSITIVE_INFINITY]) {
      expect(() => construct(store, { maxSessionBytes })).not.to.throw();
    }
  });
}

/**
 * The behaviour every framework adapter shares, over real HTTP on loopback, for one framework and
 * one store. Each adapter's spec calls this for each store it runs on.
 */
export function runAdapterSpecs<S extends IterableStore>(
  driver: FrameworkDriver,
  storeName: string,
  makeHarness: HarnessFactory<S>,
): void {
  describe(`${driver.name} over ${storeName}: over HTTP`, () => {
    let harness: StoreHarness<S>;
    const served = eachServedSpec(makeHarness, (made) => {
      harness = made;
    });

    async function serve(settings: SessionSettings = {}, store: Store = harness.store) {
      return served(await driver.serve(store, settings));
    }

    const found = async (token: string) => (await harness.store.find(token)).exists;

    it(`${driver.name}: /put then /get with the cookie answers Hello world!; a client without it sees nothing`, async () => {
      const { client } = await serve();
      const alice = client();
      expect((await alice.get("/put")).status).to.equal(200);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect(await client().get("/get")).to.deep.equal({ status: 200, text: "" });
    });

    it(`${driver.name}: two clients are kept apart`, async () => {
      const { client } = await serve();
      const [alice, bob] = [client(), client()];
      await alice.get("/put");
      expect((await bob.get("/get")).text).to.equal("");
      await bob.get("/put");
      expect(driver.tokenOf(alice)).not.to.equal(driver.tokenOf(bob));
      await alice.get("/destroy");
      expect((await alice.get("/get")).text).to.equal("");
      expect((await bob.get("/get")).text).to.equal("Hello world!");
    });

    it(`${driver.name}: the session is stored under the cookie's token, and a stored session is read`, async () => {
      const { client } = await serve();
      const alice = client();
      await alice.get("/put");
      const token = driver.tokenOf(alice);
      expect(await found(token)).to.equal(true);
      await harness.store.save(token, encode(driver.validSession()), inMs(3_600_000));
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
    });

    it(`${driver.name}: destroy removes the session from the store`, async () => {
      const { client } = await serve();
      const alice = client();
      await alice.get("/put");
      const token = driver.tokenOf(alice);
      expect((await alice.get("/destroy")).status).to.equal(200);
      expect(await found(token)).to.equal(false);
      expect((await alice.get("/get")).text).to.equal("");
    });

    if (driver.regenerates) {
      it(`${driver.name}: regenerate moves the client to a new token and removes the old one`, async () => {
        const { client } = await serve();
        const alice = client();
        await alice.get("/put");
        const before = driver.tokenOf(alice);
        expect((await alice.get("/regenerate")).status).to.equal(200);
        expect(driver.tokenOf(alice)).not.to.equal(before);
        expect(await found(before)).to.equal(false);
      });
    }

    it(`${driver.name}: a session is gone from the store at its max age, to the millisecond`, async () => {
      const maxAgeMs = driver.shortMaxAgeMs;
      const { client } = await serve({ maxAgeMs });
      const alice = client();
      const [, fromMs, toMs] = await timed(() => alice.get("/put"));
      const token = driver.tokenOf(alice);
      // On real time too: the one spec of each framework and store that waits for an expiry.
      await expectExpiresAt(harness, token, fromMs + maxAgeMs, toMs + maxAgeMs, {
        waitOnRealTime: true,
      });
      expect((await alice.get("/get")).text).to.equal("");
    });

    it(`${driver.name}: a rolling session lives on while it is used, and is gone once idle`, async () => {
      // Long enough that, on real time, no stall between two requests outlasts it.
      const maxAgeMs = Math.max(driver.shortMaxAgeMs, 1_000);
      const { client } = await serve({ maxAgeMs, rolling: true });
      const alice = client();
      await alice.get("/put");
      let lastMs: [number, number] = [0, 0];
      for (let i = 1; i <= 4; i++) {
        await pass(harness, (maxAgeMs * 2) / 3);
        const [reply, fromMs, toMs] = await timed(() => alice.get("/get"));
        expect(reply.text, `request ${i}`).to.equal("Hello world!");
        lastMs = [fromMs, toMs];
      }
      const token = driver.tokenOf(alice);
      if (await expectExpiresAt(harness, token, lastMs[0] + maxAgeMs, lastMs[1] + maxAgeMs)) {
        expect((await alice.get("/get")).text).to.equal("");
      }
    });

    if (driver.touches) {
      it(`${driver.name}: a request that leaves the session unchanged is one find and one touch`, async () => {
        const { store, calls } = recordingStore(harness.store);
        const { client } = await serve({ maxAgeMs: 60_000 }, store);
        const alice = client();
        await alice.get("/put");
        calls.length = 0;
        await alice.get("/get");
        expect(calls).to.deep.equal(["find", "touch"]);
      });
    }

    it(`${driver.name}: a corrupt stored session is reported once, removed, and the next request starts afresh`, async () => {
      const { app, client } = await serve();
      const samples = [
        ...corruptBytes(driver.validSession()),
        ...driver.corruptSessions.map(encode),
      ];
      for (const [i, sample] of samples.entries()) {
        const alice = client();
        await alice.get("/put");
        const token = driver.tokenOf(alice);
        await harness.store.save(token, sample, inMs(3_600_000));
        const label = `sample ${i}: ${Buffer.from(sample).toString("latin1").slice(0, 80)}`;
        expect((await alice.get("/get")).status, label).to.equal(500);
        expect(app.errors, label).to.have.length(1);
        expect(app.errors[0], label).to.be.instanceOf(CorruptSessionError);
        app.errors.length = 0;
        expect(await found(token), label).to.equal(false);
        expect(await alice.get("/get"), label).to.deep.equal({ status: 200, text: "" });
        await alice.get("/put");
        expect(await alice.get("/get"), label).to.deep.equal({ status: 200, text: "Hello world!" });
      }
    });

    it(`${driver.name}: a corrupt stored session on an unrouted path neither crashes nor hangs the server`, async () => {
      const { app, client } = await serve();
      for (const sample of driver.corruptSessions.map(encode)) {
        // A browser of its own for each: the corrupt session is deleted, and stays deleted.
        const alice = client();
        await alice.get("/put");
        await harness.store.save(driver.tokenOf(alice), sample, inMs(3_600_000));
        expect([404, 500]).to.include((await alice.get("/nope")).status);
        app.errors.length = 0;
      }
      const bob = client();
      await bob.get("/put");
      expect(await bob.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
    });

    for (const mode of ["throw", "reject"] as const) {
      it(`${driver.name}: a store that ${mode === "throw" ? "throws" : "rejects"} answers 500 through the error path, and the server carries on`, async () => {
        const failing = new FailingStore(harness.store);
        const { app, client } = await serve({}, failing);
        const alice = client();
        await alice.get("/put");
        failing.mode = mode;
        expect((await alice.get("/get")).status).to.equal(500);
        expect(app.errors.splice(0).map((e) => (e as Error).message)).to.include("store is down");
        failing.mode = "none";
        expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      });

      for (const reason of [undefined, null, ""]) {
        it(`${driver.name}: a store that ${mode === "throw" ? "throws" : "rejects"} ${JSON.stringify(reason) ?? "undefined"} fails as an Error: a read and a logout answer 500, and the session stays`, async () => {
          const failing = new FailingStore(harness.store);
          const { app, client } = await serve({}, failing);
          const alice = client();
          await alice.get("/put");
          failing.mode = mode;
          failing.reason = reason;
          expect((await alice.get("/get")).status, "a read").to.equal(500);
          expect((await alice.get("/destroy")).status, "a logout").to.equal(500);
          failing.mode = "none";
          expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
          expect(app.errors.length).to.be.at.least(2);
          for (const error of app.errors.splice(0)) {
            expect(error).to.be.instanceOf(Error);
            expect((error as Error).message).to.match(
              /^The session store failed with .*, not an Error$/,
            );
            expect((error as Error).cause).to.equal(reason);
          }
        });
      }
    }
  });
}

function inMs(ms: number): Date {
  return new Date(Date.now() + ms);
}
