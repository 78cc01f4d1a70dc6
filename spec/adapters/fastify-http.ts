import type { AddressInfo } from "node:net";
import type { FastifySessionObject, FastifySessionOptions, SessionStore } from "@fastify/session";
import { expect } from "chai";
import type { FastifyInstance } from "fastify";
import { COOKIE_NAME, createApp } from "../../examples/fastify/app";
import type { IterableStore, Store } from "../../src";
import { FastifySessionStore } from "../../src/fastify";
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
  type FrameworkDriver,
  runAdapterSpecs,
  type ServedApp,
} from "./adapter-suite";

export const SECRET = "a spec secret of thirty-two chars";

/** Serves the fastify example app over `store` on a free loopback port. */
export async function serveFastify(
  store: Store | SessionStore,
  session: Partial<FastifySessionOptions> = {},
  extend: (app: FastifyInstance) => void = () => {},
): Promise<ServedApp> {
  const errors: unknown[] = [];
  const app = await createApp({ store, secret: SECRET, session, onError: (e) => errors.push(e) });
  extend(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** The store token inside @fastify/session's signed cookie: `<id>.<signature>`. */
export function tokenOf(client: Client): string {
  const signed = client.cookie(COOKIE_NAME);
  return signed.slice(0, signed.lastIndexOf("."));
}

/** A cookie as @fastify/session writes it (`Cookie#toJSON`), live for an hour. */
function liveCookie(): Record<string, unknown> {
  return {
    expires: new Date(Date.now() + 3_600_000).toISOString(),
    originalMaxAge: 3_600_000,
    sameSite: null,
    secure: false,
    path: "/",
    httpOnly: true,
    domain: null,
  };
}

/** A session holding `"Hello world!"` whose cookie has `fields` in place of its own. */
const withCookie = (fields: Record<string, unknown>) => ({
  cookie: { ...liveCookie(), ...fields },
  message: "Hello world!",
});

/** A session holding `"Hello world!"` and `key: value` beside it. */
const withKey = (key: string, value: unknown) =>
  JSON.parse(`{"cookie":${JSON.stringify(liveCookie())},"message":"Hello world!",
    ${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Record<string, unknown>;

/** `{ a: { a: ... { a: 1 } } }`, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/**
 * The members of the framework's own `Session` class, read from the installed package: a stored
 * key of that name would shadow one (the framework copies stored keys onto its session).
 */
const SESSION_MEMBERS: string[] = Object.getOwnPropertyNames(
  (require("@fastify/session/lib/session") as { prototype: object }).prototype,
);

/**
 * Stored sessions that decode as JSON objects but would break @fastify/session, `cookie` or the
 * code that reads the session: each field they read, with a value they do not expect.
 */
const CORRUPT_SESSIONS = [
  { message: "Hello world!" },
  { cookie: null },
  { cookie: [] },
  { cookie: "sessionId" },
  { cookie: 5 },
  withCookie({ expires: "garbage" }),
  withCookie({ expires: { toString: 1, valueOf: 1 } }),
  withCookie({ expires: 12 }),
  withCookie({ expires: true }),
  withCookie({ expires: "Thu, 01 Jan 2099 00:00:00 GMT" }),
  withCookie({ expires: "1600-12-31T23:59:59.999Z", originalMaxAge: null }),
  withCookie({ expires: "+010000-01-01T00:00:00.000Z", originalMaxAge: null }),
  withCookie({ originalExpires: "yesterday" }),
  withCookie({ originalMaxAge: "abc" }),
  withCookie({ originalMaxAge: "1000" }),
  withCookie({ originalMaxAge: {} }),
  withCookie({ originalMaxAge: true }),
  withCookie({ originalMaxAge: 0 }),
  withCookie({ originalMaxAge: -1000 }),
  withCookie({ originalMaxAge: 3e14 }),
  withCookie({ originalMaxAge: 1e300 }),
  withCookie({ path: "/a;b" }),
  withCookie({ path: "/é" }),
  withCookie({ path: 5 }),
  withCookie({ path: null }),
  withCookie({ domain: "bad domain" }),
  withCookie({ domain: 5 }),
  withCookie({ sameSite: "bogus" }),
  withCookie({ sameSite: 1 }),
  withCookie({ secure: "yes" }),
  withCookie({ httpOnly: "yes" }),
  withCookie({ partitioned: 1 }),
  JSON.parse(`{"cookie":{"__proto__":{"expires":1},"originalMaxAge":null}}`),
  withKey("__proto__", { isModified: 1 }),
  withKey("__proto__", null),
  ...SESSION_MEMBERS.map((key) => withKey(key, 1)),
  withKey("user", JSON.parse(`{"name":"alice","__proto__":{"admin":true}}`)),
  withKey("deep", nested(64)),
  withKey("deeper", nested(3_000)),
  // Past its expiry, so the framework would call the `regenerate` the data put in its place.
  { ...withKey("regenerate", 1), cookie: { ...liveCookie(), expires: "2000-01-01T00:00:00.000Z" } },
];

/** @fastify/session, as the shared adapter specs drive it. */
export const fastifyDriver: FrameworkDriver = {
  name: "@fastify/session",
  serve: (store, { maxAgeMs, rolling, maxSessionBytes }) =>
    serveFastify(
      maxSessionBytes === undefined ? store : new FastifySessionStore(store, { maxSessionBytes }),
      {
        ...(maxAgeMs === undefined ? {} : { cookie: { maxAge: maxAgeMs } }),
        ...(rolling === undefined ? {} : { rolling }),
      },
    ),
  tokenOf,
  validSession: () => withCookie({}),
  corruptSessions: CORRUPT_SESSIONS,
  shortMaxAgeMs: 300,
  regenerates: true,
  touches: false,
};

declare module "fastify" {
  interface Session {
    extra?: unknown;
  }
}

/** Changes a handler makes to its session that leave it unsaveable: JSON or a later load refuse it. */
const UNSAVEABLE: Record<string, (session: FastifySessionObject) => void> = {
  bigint: (session) => {
    session.extra = 10n;
  },
  circular: (session) => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    session.extra = loop;
  },
  proto: (session) => {
    session.extra = JSON.parse('{"__proto__":{"admin":true}}');
  },
  deep: (session) => {
    session.extra = nested(200);
  },
  "cookie-path": (session) => {
    session.cookie.path = "/a;b";
  },
  "cookie-expires": (session) => {
    session.cookie.expires = new Date(Number.NaN);
  },
};

/** `GET /put-<name>` for each of {@link UNSAVEABLE}. */
function unsaveableRoutes(app: FastifyInstance): void {
  for (const [name, spoil] of Object.entries(UNSAVEABLE)) {
    app.get(`/put-${name}`, async (request) => {
      spoil(request.session);
      return "Stored.\n";
    });
  }
}

/**
 * The example app's HTTP behaviour over a store: the shared adapter specs, plus what is
 * @fastify/session's own. Each store's spec calls this with its harness factory.
 */
export function runFastifySpecs<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  runAdapterSpecs(fastifyDriver, name, makeHarness);

  describe(`@fastify/session over ${name}: what is @fastify/session's own`, () => {
    let harness: StoreHarness<S>;
    const served = eachServedSpec(makeHarness, (made) => {
      harness = made;
    });
    const start = async (...args: Parameters<typeof serveFastify>) =>
      served(await serveFastify(...args));
    const found = async (token: string) => (await harness.store.find(token)).exists;

    it("fastify: a visit that stores nothing saves no session and sends no cookie", async () => {
      const { client } = await start(harness.store);
      const alice = client();
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
      expect(alice.setCookies).to.deep.equal([]);
      expect((await harness.store.all()).size).to.equal(0);
    });

    it("fastify: a session without maxAge lives for the adapter's ttlMs, and its cookie has no Expires", async () => {
      const ttlMs = 600;
      const { client } = await start(new FastifySessionStore(harness.store, { ttlMs }));
      const alice = client();
      const [, fromMs, toMs] = await timed(() => alice.get("/put"));
      expect(alice.setCookies[0]).not.to.match(/Expires/i);
      await expectExpiresAt(harness, tokenOf(alice), fromMs + ttlMs, toMs + ttlMs);
    });

    it("fastify: rolling (the default) saves the whole session on every request: no touch", async () => {
      const { store, calls } = recordingStore(harness.store);
      const { client } = await start(store, { cookie: { maxAge: 60_000 } });
      const alice = client();
      await alice.get("/put");
      calls.length = 0;
      await alice.get("/get");
      expect(calls).to.deep.equal(["find", "save"]);
      expect(alice.setCookies).to.have.length(1);
    });

    it("fastify: rolling false: an unchanged session is neither saved nor sent, and ends at the expiry its cookie was sent with", async () => {
      const { store, calls } = recordingStore(harness.store);
      const { client } = await start(store, { cookie: { maxAge: 600 }, rolling: false });
      const alice = client();
      const [, fromMs, toMs] = await timed(() => alice.get("/put"));
      const token = tokenOf(alice);
      for (let i = 1; i <= 2; i++) {
        await pass(harness, 200);
        calls.length = 0;
        expect((await alice.get("/get")).text, `use ${i}`).to.equal("Hello world!");
        expect(calls, `use ${i}`).to.deep.equal(["find"]);
        expect(alice.setCookies, `use ${i}`).to.deep.equal([]);
      }
      if (await expectExpiresAt(harness, token, fromMs + 600, toMs + 600)) {
        expect((await alice.get("/get")).text).to.equal("");
      }
    });

    it("fastify: rolling false: a change is saved with a new expiry and the cookie is sent again", async () => {
      const { client } = await start(harness.store, { cookie: { maxAge: 600 }, rolling: false });
      const alice = client();
      await alice.get("/put");
      await pass(harness, 400);
      const [, fromMs, toMs] = await timed(() => alice.get("/regenerate"));
      expect(
        alice.setCookies.some((c) => c.startsWith(`${COOKIE_NAME}=${tokenOf(alice)}`)),
      ).to.equal(true);
      await expectExpiresAt(harness, tokenOf(alice), fromMs + 600, toMs + 600);
    });

    it("fastify: regenerate keeps the data under the new token; the old token is gone", async () => {
      const { client } = await start(harness.store);
      const alice = client();
      await alice.get("/put");
      const before = tokenOf(alice);
      await alice.get("/regenerate");
      expect(tokenOf(alice)).not.to.equal(before);
      expect(await found(before)).to.equal(false);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
    });

    it("fastify: a stored session whose cookie has expired is destroyed by the framework, and the browser's cookie cleared", async () => {
      const { client } = await start(harness.store);
      const alice = client();
      await alice.get("/put");
      const token = tokenOf(alice);
      const expired = {
        cookie: { expires: new Date(Date.now() - 1).toISOString(), originalMaxAge: null },
        message: "Hello world!",
      };
      await harness.store.save(
        token,
        Buffer.from(JSON.stringify(expired)),
        new Date(Date.now() + 60_000),
      );
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
      expect(await found(token)).to.equal(false);
      expect(alice.has(COOKIE_NAME)).to.equal(false);
    });

    for (const cookie of [
      { domain: "bad domain" },
      { sameSite: "bogus" as "lax" },
      { maxAge: 3e14 },
    ]) {
      it(`fastify: cookie options the cookie package refuses (${JSON.stringify(cookie)}) answer 500 through the error path, nothing is stored, the server carries on`, async () => {
        const { app, client } = await start(harness.store, { cookie });
        const alice = client();
        expect((await alice.get("/put")).status).to.equal(500);
        expect(app.errors.length).to.be.greaterThan(0);
        for (const error of app.errors.splice(0)) {
          expect(error).to.be.instanceOf(TypeError);
          expect((error as Error).message).to.match(/^Cannot save the session: expected `cookie\./);
        }
        expect((await harness.store.all()).size).to.equal(0);
        const { client: healthy } = await start(harness.store);
        const bob = healthy();
        await bob.get("/put");
        expect((await bob.get("/get")).text).to.equal("Hello world!");
      });
    }

    for (const kind of Object.keys(UNSAVEABLE)) {
      it(`fastify: a session the handler made unsaveable (${kind}) answers 500 through the error path and leaves the stored session as it was`, async () => {
        const { app, client } = await start(harness.store, {}, unsaveableRoutes);
        const alice = client();
        await alice.get("/put");
        const stored = (await harness.store.find(tokenOf(alice))).data;
        expect((await alice.get(`/put-${kind}`)).status).to.equal(500);
        expect(app.errors.length).to.be.greaterThan(0);
        for (const error of app.errors.splice(0)) expect(error).to.be.instanceOf(TypeError);
        expect((await harness.store.find(tokenOf(alice))).data).to.deep.equal(stored);
      });
    }
  });
}
