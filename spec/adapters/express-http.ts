import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import type { SessionOptions } from "express-session";
import { createApp } from "../../examples/app";
import type { IterableStore, Store } from "../../src";
import { ExpressSessionStore } from "../../src/express";
import {
  eachSpec,
  expectMissing,
  type HarnessFactory,
  type StoreHarness,
} from "../stores/store-contract";

const SECRET = "spec secret";

/** A browser stand-in: one cookie jar, real HTTP. */
export class Client {
  private cookie: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async get(path: string): Promise<{ status: number; text: string }> {
    const response = await fetch(this.baseUrl + path, {
      headers: this.cookie === undefined ? {} : { cookie: this.cookie },
    });
    for (const setCookie of response.headers.getSetCookie()) {
      this.cookie = setCookie.split(";")[0];
    }
    return { status: response.status, text: await response.text() };
  }

  /** The same browser, cookie and all, talking to another server. */
  at(baseUrl: string): Client {
    const moved = new Client(baseUrl);
    moved.cookie = this.cookie;
    return moved;
  }

  /** The `Cookie` header this browser sends: `connect.sid=s%3A<sid>.<signature>`. */
  get cookieHeader(): string {
    if (this.cookie === undefined) throw new Error("no session cookie yet");
    return this.cookie;
  }

  /** The session ID inside the signed cookie. */
  get sid(): string {
    const signed = decodeURIComponent(this.cookieHeader.slice("connect.sid=".length));
    return signed.slice("s:".length, signed.lastIndexOf("."));
  }
}

/** Serves the example app over `store` on a free loopback port. */
export async function serve(
  store: Store,
  session: Partial<SessionOptions> = {},
): Promise<{ server: Server; client: () => Client; errors: unknown[] }> {
  const errors: unknown[] = [];
  const app = createApp({ store, secret: SECRET, session, onError: (error) => errors.push(error) });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  return { server, client: () => new Client(`http://127.0.0.1:${port}`), errors };
}

export async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

type FailureMode = "none" | "throw" | "reject";

/** Wraps a store; when told to, every call throws (or rejects) as a store that is down would. */
export class FailingStore implements IterableStore {
  mode: FailureMode = "none";

  constructor(private readonly inner: IterableStore) {}

  find(token: string) {
    return this.call(() => this.inner.find(token));
  }
  save(token: string, data: Uint8Array, expiry: Date) {
    return this.call(() => this.inner.save(token, data, expiry));
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

  private call<T>(work: () => T): T {
    if (this.mode === "throw") throw new Error("store is down");
    if (this.mode === "reject") return Promise.reject(new Error("store is down")) as T;
    return work();
  }
}

/**
 * The example app's HTTP behaviour over a store: real HTTP on loopback, real express and
 * express-session. Each store's spec calls this with its harness factory.
 */
export function runExpressSpecs<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  describe(`${name}: express-session over HTTP`, () => {
    let harness: StoreHarness<S>;
    const servers: Server[] = [];
    afterEach(async () => {
      await Promise.all(servers.splice(0).map(stop));
    });
    eachSpec(makeHarness, (made) => {
      harness = made;
    });

    async function start(store: Store = harness.store, session: Partial<SessionOptions> = {}) {
      const served = await serve(store, session);
      servers.push(served.server);
      return served;
    }

    it("express: /put then /get with the cookie returns Hello world!; another client sees nothing", async () => {
      const { client } = await start();
      const alice = client();
      expect((await alice.get("/put")).status).to.equal(200);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect(await client().get("/get")).to.deep.equal({ status: 200, text: "" });
    });

    it("express: a visit that stores nothing saves no session", async () => {
      const { client } = await start();
      await client().get("/get");
      expect((await harness.store.all()).size).to.equal(0);
    });

    it("express: the cookie's maxAge reaches the store; after it passes the session is gone", async () => {
      const { client } = await start(harness.store, { cookie: { maxAge: 300 } });
      const alice = client();
      await alice.get("/put");
      // No request in between: express-session moves the expiry on at every request it serves.
      await harness.advance(300 - 1 - harness.toleranceMs);
      expect((await harness.store.find(alice.sid)).exists).to.equal(true);
      await harness.advance(1 + 2 * harness.toleranceMs);
      expectMissing(await harness.store.find(alice.sid));
      expect((await alice.get("/get")).text).to.equal("");
    });

    it("express: a session without maxAge lives for the adapter's ttlMs (one day by default)", async () => {
      const { client } = await start();
      const alice = client();
      await alice.get("/put");
      await harness.advance(1_000);
      expect((await harness.store.find(alice.sid)).exists).to.equal(true);
    });

    it("express: req.session.destroy() removes the session from the store", async () => {
      const { client } = await start();
      const alice = client();
      await alice.get("/put");
      const sid = alice.sid;
      expect((await harness.store.find(sid)).exists).to.equal(true);
      expect((await alice.get("/destroy")).status).to.equal(200);
      expectMissing(await harness.store.find(sid));
      expect((await alice.get("/get")).text).to.equal("");
    });

    it("express: rolling sessions used more often than maxAge stay alive, then expire when left alone", async () => {
      const { client } = await start(harness.store, { cookie: { maxAge: 300 }, rolling: true });
      const alice = client();
      await alice.get("/put");
      for (let i = 0; i < 4; i++) {
        await harness.advance(200);
        expect((await alice.get("/get")).text, `request ${i + 1}`).to.equal("Hello world!");
      }
      await harness.advance(300 + harness.toleranceMs);
      expect((await alice.get("/get")).text).to.equal("");
    });

    it("express: all and length report the live sessions", async () => {
      const { client } = await start(harness.store, { cookie: { maxAge: 60_000 } });
      const [alice, bob, carol] = [client(), client(), client()];
      for (const visitor of [alice, bob, carol]) await visitor.get("/put");
      await carol.get("/destroy");
      expect((await alice.get("/sessions")).text).to.equal("2\n");
      const adapter = new ExpressSessionStore(harness.store);
      const sessions = await new Promise<object>((resolve, reject) =>
        adapter.all?.((error, all) => (error ? reject(error) : resolve(all as object))),
      );
      expect(Object.keys(sessions).sort()).to.deep.equal([alice.sid, bob.sid].sort());
      expect(Object.values(sessions).map((s) => s.message)).to.deep.equal([
        "Hello world!",
        "Hello world!",
      ]);
    });

    for (const mode of ["throw", "reject"] as const) {
      it(`express: a store that fails (${mode === "throw" ? "throws" : "rejects"}) answers 500, and the server keeps serving`, async () => {
        const failing = new FailingStore(harness.store);
        const { client, errors } = await start(failing);
        const [alice, bob] = [client(), client()];
        await alice.get("/put");
        failing.mode = mode;
        expect((await alice.get("/get")).status).to.equal(500);
        // A failed save reaches the error handler, but express-session has sent the status by then.
        await bob.get("/put");
        expect(errors.map((e) => (e as Error).message)).to.deep.equal([
          "store is down",
          "store is down",
        ]);
        failing.mode = "none";
        expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
        expect(await bob.get("/get")).to.deep.equal({ status: 200, text: "" });
      });
    }

    it("express: stored data that does not parse answers 500, and the server keeps serving", async () => {
      const { client, errors } = await start();
      const alice = client();
      await alice.get("/put");
      const inAnHour = new Date(Date.now() + 3_600_000);
      for (const garbage of [
        Uint8Array.of(0xff, 0xfe),
        Buffer.from("{not json"),
        Buffer.from("42"),
      ]) {
        await harness.store.save(alice.sid, garbage, inAnHour);
        expect((await alice.get("/get")).status).to.equal(500);
      }
      expect(errors).to.have.length(3);
      expect(await client().get("/")).to.have.property("status", 200);
    });
  });
}
