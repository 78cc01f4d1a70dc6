import { expect } from "chai";
import { CorruptSessionError, type IterableStore, SessionTooLargeError } from "../../src";
import type { HarnessFactory, StoreHarness } from "../stores/store-contract";
import { memStoreHarness } from "../support/fake-clock";
import { promiseMemStoreHarness } from "../support/promise-store";
import { useRedisServer } from "../support/redis-server";
import {
  eachServedSpec,
  type FrameworkDriver,
  redisStoreHarness,
  type SessionSettings,
} from "./adapter-suite";
import { expressDriver } from "./express-http";
import { fastifyDriver } from "./fastify-http";
import { honoDriver, withMessage } from "./hono-http";
import { koaDriver } from "./koa-http";

/** Each framework, and a stored session of its own holding `message`. */
const FRAMEWORKS: [FrameworkDriver, (message: string) => Record<string, unknown>][] = [
  [expressDriver, (message) => ({ ...expressDriver.validSession(), message })],
  [fastifyDriver, (message) => ({ ...fastifyDriver.validSession(), message })],
  [koaDriver, (message) => ({ ...koaDriver.validSession(), message })],
  [honoDriver, (message) => ({ ...honoDriver.validSession(), ...withMessage(message) })],
];

const encode = (session: unknown) => Buffer.from(JSON.stringify(session), "utf8");
const inAnHour = () => new Date(Date.now() + 3_600_000);

/** `maxSessionBytes` on every adapter, over one store. */
function runSizeSpecs<S extends IterableStore>(storeName: string, makeHarness: HarnessFactory<S>) {
  for (const [driver, sessionWith] of FRAMEWORKS) {
    describe(`${driver.name} over ${storeName}: maxSessionBytes`, () => {
      let harness: StoreHarness<S>;
      const served = eachServedSpec(makeHarness, (made) => {
        harness = made;
      });
      const serve = async (settings: SessionSettings) =>
        served(await driver.serve(harness.store, settings));
      const stored = async (token: string) =>
        Buffer.from((await harness.store.find(token)).data ?? []).toString("latin1");

      /**
       * A browser whose session holds `message`, stored as its framework saves it (@fastify/session
       * and hono-sessions save it again on a read), and the bytes stored.
       */
      async function browserWithSession(message: string) {
        const { client } = await serve({ maxSessionBytes: Number.POSITIVE_INFINITY });
        const alice = client();
        await alice.get("/put");
        const token = driver.tokenOf(alice);
        await harness.store.save(token, encode(sessionWith(message)), inAnHour());
        expect((await alice.get("/get")).text).to.equal(message);
        const data = (await harness.store.find(token)).data;
        return { alice, token, bytes: Buffer.from(data ?? []) };
      }

      it(`${driver.name}: a save over maxSessionBytes stores nothing, leaves the stored session as it was, and takes the error path with a SessionTooLargeError`, async () => {
        const { alice, token, bytes } = await browserWithSession("");
        // Room for the stored session, not for "Hello world!" in it.
        const maxSessionBytes = bytes.length + 1;
        const { app } = await serve({ maxSessionBytes });
        const browser = alice.at(app.baseUrl);
        expect(await browser.get("/get")).to.deep.equal({ status: 200, text: "" });
        expect(app.errors).to.deep.equal([]);
        const before = await stored(token);
        // express-session saves once the response has started: Express can only cut it off.
        const put = await browser.get("/put").catch(() => undefined);
        if (driver !== expressDriver) {
          expect(put).to.deep.equal({ status: 500, text: "Internal Server Error\n" });
        }
        expect(app.errors).to.have.length(1);
        const error = app.errors[0] as SessionTooLargeError;
        expect(error).to.be.instanceOf(SessionTooLargeError);
        expect(error.code).to.equal("ERR_SESSION_TOO_LARGE");
        expect(error.maxSessionBytes).to.equal(maxSessionBytes);
        expect(error.sizeBytes).to.be.greaterThan(maxSessionBytes);
        expect(error.message).to.include(`${error.sizeBytes} bytes`);
        expect(error.message).to.include(`maxSessionBytes (${maxSessionBytes})`);
        expect(await stored(token)).to.equal(before);
        app.errors.length = 0;
        expect(await browser.get("/get")).to.deep.equal({ status: 200, text: "" });
        expect(app.errors).to.deep.equal([]);
      });

      for (const [kind, spoil] of [
        ["a session", (bytes: Buffer) => bytes],
        ["bytes that are not UTF-8", (bytes: Buffer) => Buffer.alloc(bytes.length, 0xff)],
      ] as const) {
        it(`${driver.name}: a stored value over maxSessionBytes (${kind}) is refused before it is decoded, removed, and reported once; the next request starts afresh`, async () => {
          const { alice, token, bytes } = await browserWithSession("");
          const maxSessionBytes = bytes.length - 1;
          const { app } = await serve({ maxSessionBytes });
          await harness.store.save(token, spoil(bytes), inAnHour());
          const browser = alice.at(app.baseUrl);
          expect(await browser.get("/get")).to.deep.equal({
            status: 500,
            text: "Internal Server Error\n",
          });
          expect(app.errors).to.have.length(1);
          const error = app.errors[0] as CorruptSessionError;
          expect(error).to.be.instanceOf(CorruptSessionError);
          expect(error.problem).to.equal(
            `expected at most ${maxSessionBytes} bytes (maxSessionBytes), got ${bytes.length}`,
          );
          app.errors.length = 0;
          expect((await harness.store.find(token)).exists).to.equal(false);
          expect(await browser.get("/get")).to.deep.equal({ status: 200, text: "" });
          expect(app.errors).to.deep.equal([]);
        });
      }

      it(`${driver.name}: a stored session of exactly maxSessionBytes is read; one over the default 1 MiB is not`, async () => {
        const message = "x".repeat(1_048_576);
        const { alice, bytes } = await browserWithSession(message);
        const exact = await serve({ maxSessionBytes: bytes.length });
        expect(await alice.at(exact.app.baseUrl).get("/get")).to.deep.equal({
          status: 200,
          text: message,
        });
        expect(exact.app.errors).to.deep.equal([]);
        const byDefault = await serve({});
        expect((await alice.at(byDefault.app.baseUrl).get("/get")).status).to.equal(500);
        const [error, ...more] = byDefault.app.errors.splice(0);
        expect(error).to.be.instanceOf(CorruptSessionError);
        expect(more).to.deep.equal([]);
      });
    });
  }
}

runSizeSpecs("MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
runSizeSpecs("MemStore behind Promises", promiseMemStoreHarness);
describe("maxSessionBytes over RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  runSizeSpecs("RedisStore", redisStoreHarness(useRedisServer()));
});
