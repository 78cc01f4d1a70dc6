import { expect } from "chai";
import type { SessionOptions } from "express-session";
import { createApp } from "../../examples/express/app";
import type { IterableStore, Store } from "../../src";
import { ExpressSessionStore } from "../../src/express";
import {
  expectExpiresAt,
  type HarnessFactory,
  pass,
  type StoreHarness,
  timed,
} from "../stores/store-contract";
import { Client } from "../support/http-client";
import {
  eachServedSpec,
  type FrameworkDriver,
  listenOnLoopback,
  runAdapterSpecs,
  type ServedApp,
} from "./adapter-suite";

export { Client };

const SECRET = "spec secret";
const COOKIE_NAME = "connect.sid";

/** Serves the express example app over `store` on a free loopback port. */
export async function serveExpress(
  store: Store | ExpressSessionStore,
  session: Partial<SessionOptions> = {},
): Promise<ServedApp> {
  const errors: unknown[] = [];
  const app = createApp({ store, secret: SECRET, session, onError: (error) => errors.push(error) });
  return listenOnLoopback((port, host) => app.listen(port, host), errors);
}

/** The session ID inside express-session's signed cookie: `s:<sid>.<signature>`. */
export function sidOf(client: Client): string {
  const signed = client.cookie(COOKIE_NAME);
  return signed.slice("s:".length, signed.lastIndexOf("."));
}

/** express-session, as the shared adapter specs drive it. */
export const expressDriver: FrameworkDriver = {
  name: "express-session",
  serve: (store, { maxAgeMs, rolling, maxSessionBytes }) =>
    serveExpress(
      maxSessionBytes === undefined ? store : new ExpressSessionStore(store, { maxSessionBytes }),
      {
        ...(maxAgeMs === undefined ? {} : { cookie: { maxAge: maxAgeMs } }),
        ...(rolling === undefined ? {} : { rolling }),
      },
    ),
  tokenOf: sidOf,
  validSession: () => ({
    cookie: {
      originalMaxAge: 3_600_000,
      expires: new Date(Date.now() + 3_600_000).toISOString(),
      httpOnly: true,
      path: "/",
    },
    message: "Hello world!",
  }),
  corruptSessions: [
    {},
    { cookie: null },
    { cookie: [] },
    { cookie: "connect.sid" },
    { cookie: { originalMaxAge: "abc" } },
    { cookie: { originalMaxAge: {} } },
    { cookie: { originalMaxAge: true } },
    { cookie: { expires: "not a date" } },
    { cookie: { expires: 12 } },
    { cookie: { maxAge: "abc" } },
    // After a valid `expires`, Cookie would take this one as its expiry.
    {
      cookie: {
        originalMaxAge: 3_600_000,
        expires: new Date(Date.now() + 3_600_000).toISOString(),
        _expires: "not a date",
      },
    },
    { cookie: { path: "/\u0000" } },
    { cookie: { path: 7 } },
    { cookie: { domain: "not a domain" } },
    { cookie: { sameSite: "sideways" } },
    { cookie: { priority: 1 } },
    { cookie: { httpOnly: "yes" } },
    JSON.parse('{"cookie":{"__proto__":{"expires":1}}}'),
  ],
  shortMaxAgeMs: 300,
  regenerates: true,
  touches: true,
};

/**
 * The example app's HTTP behaviour over a store: the shared adapter specs, plus what is
 * express-session's own. Each store's spec calls this with its harness factory.
 */
export function runExpressSpecs<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  runAdapterSpecs(expressDriver, name, makeHarness);

  describe(`express-session over ${name}: what is express-session's own`, () => {
    let harness: StoreHarness<S>;
    const served = eachServedSpec(makeHarness, (made) => {
      harness = made;
    });

    async function start(session: Partial<SessionOptions> = {}) {
      return served(await serveExpress(harness.store, session));
    }

    it("express: a visit that stores nothing saves no session", async () => {
      const { client } = await start();
      await client().get("/get");
      expect((await harness.store.all()).size).to.equal(0);
    });

    it("express: a session without maxAge lives for the adapter's ttlMs (one day by default)", async () => {
      const { client } = await start();
      const alice = client();
      await alice.get("/put");
      await harness.advance(1_000);
      expect((await harness.store.find(sidOf(alice))).exists).to.equal(true);
    });

    it("express: all and length report the live sessions", async () => {
      const { client } = await start({ cookie: { maxAge: 60_000 } });
      const [alice, bob, carol] = [client(), client(), client()];
      for (const visitor of [alice, bob, carol]) await visitor.get("/put");
      await carol.get("/destroy");
      const adapter = new ExpressSessionStore(harness.store);
      const length = await new Promise<number | undefined>((resolve, reject) =>
        adapter.length?.((error, count) => (error ? reject(error) : resolve(count))),
      );
      expect(length).to.equal(2);
      const sessions = await new Promise<object>((resolve, reject) =>
        adapter.all?.((error, all) => (error ? reject(error) : resolve(all as object))),
      );
      expect(Object.keys(sessions).sort()).to.deep.equal([sidOf(alice), sidOf(bob)].sort());
      expect(Object.values(sessions).map((s) => s.message)).to.deep.equal([
        "Hello world!",
        "Hello world!",
      ]);
    });

    it("express: a rolling session kept alive by touches survives a req.session.save() in a handler", async () => {
      // The stored cookie keeps the expiry of its last save, 1 s after /put; touches keep the
      // session alive past it. A handler's own save must not compute an expiry in the past.
      const { client } = await start({ cookie: { maxAge: 1_000 }, rolling: true });
      const alice = client();
      await alice.get("/put");
      for (let elapsedMs = 250; elapsedMs <= 1_500; elapsedMs += 250) {
        await pass(harness, 250);
        expect((await alice.get("/get")).text, `at ${elapsedMs} ms`).to.equal("Hello world!");
      }
      expect((await alice.get("/put-and-redirect")).status).to.equal(302);
      const [reply, fromMs, toMs] = await timed(() => alice.get("/get"));
      expect(reply).to.deep.equal({ status: 200, text: "Hello world!" });
      if (await expectExpiresAt(harness, sidOf(alice), fromMs + 1_000, toMs + 1_000)) {
        expect((await alice.get("/get")).text).to.equal("");
      }
    });

    for (const rolling of [false, true]) {
      for (const resave of [false, true]) {
        it(`express: rolling ${rolling}, resave ${resave}: the cookie is sent as express-session decides, use extends the session, idleness ends it`, async () => {
          const { client } = await start({ cookie: { maxAge: 600 }, rolling, resave });
          const alice = client();
          await alice.get("/put");
          expect(alice.setCookies, "a new session sends its cookie").to.have.length(1);
          let lastMs: [number, number] = [0, 0];
          for (let i = 1; i <= 3; i++) {
            await pass(harness, 400);
            const [reply, fromMs, toMs] = await timed(() => alice.get("/get"));
            expect(reply.text, `use ${i}`).to.equal("Hello world!");
            expect(alice.setCookies.length, `cookie sent on use ${i}`).to.equal(rolling ? 1 : 0);
            lastMs = [fromMs, toMs];
          }
          // Idle expiry: 600 ms after the last use.
          await expectExpiresAt(harness, sidOf(alice), lastMs[0] + 600, lastMs[1] + 600);
        });
      }
    }
  });
}
