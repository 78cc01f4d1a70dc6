import { expect } from "chai";
import { MemStore, type Store } from "../../src";
import type { FrameworkDriver, ServedApp } from "../adapters/adapter-suite";
import { expressDriver } from "../adapters/express-http";
import { fastifyDriver } from "../adapters/fastify-http";
import { honoDriver, withMessage } from "../adapters/hono-http";
import { koaDriver } from "../adapters/koa-http";
import { Client } from "../support/http-client";
import { PromiseStore } from "../support/promise-store";

/** Values of `message` that are not text: each must read as no message at all. */
const WRONG_TYPES: unknown[] = [
  42,
  { toString: 1 },
  { toString: {} },
  ["Hello"],
  true,
  null,
  { value: "Hello world!", flash: false },
];

/** Each example app, and a stored session of its framework holding `message`. */
const EXAMPLES: [FrameworkDriver, (message: unknown) => Record<string, unknown>][] = [
  [expressDriver, (message) => ({ ...expressDriver.validSession(), message })],
  [fastifyDriver, (message) => ({ ...fastifyDriver.validSession(), message })],
  [koaDriver, (message) => ({ ...koaDriver.validSession(), message })],
  [honoDriver, (message) => ({ ...honoDriver.validSession(), ...withMessage(message) })],
];

const encode = (session: unknown) => Buffer.from(JSON.stringify(session), "utf8");
const inAnHour = () => new Date(Date.now() + 3_600_000);

for (const [storeName, makeStore] of [
  ["MemStore", () => new MemStore(0)],
  ["MemStore behind Promises", () => new PromiseStore(new MemStore(0))],
] as [string, () => Store][]) {
  for (const [driver, sessionWith] of EXAMPLES) {
    describe(`examples: the ${driver.name} example over ${storeName}, with stored data it did not write`, () => {
      let store: Store;
      let app: ServedApp;
      beforeEach(async () => {
        store = makeStore();
        app = await driver.serve(store, {});
      });
      afterEach(() => app.close());

      it(`${driver.name} example: a stored message that is not text reads as none, on every request, and /put replaces it`, async () => {
        for (const message of WRONG_TYPES) {
          const label = JSON.stringify(message);
          const alice = new Client(app.baseUrl);
          await alice.get("/put");
          await store.save(driver.tokenOf(alice), encode(sessionWith(message)), inAnHour());
          expect(await alice.get("/get"), label).to.deep.equal({ status: 200, text: "" });
          expect(await alice.get("/get"), `${label}, again`).to.deep.equal({
            status: 200,
            text: "",
          });
          expect((await alice.get("/put")).status, label).to.equal(200);
          expect(await alice.get("/get"), label).to.deep.equal({
            status: 200,
            text: "Hello world!",
          });
        }
        expect(app.errors).to.deep.equal([]);
      });

      it(`${driver.name} example: an error answers 500 through the error handler, with no internal text`, async () => {
        const alice = new Client(app.baseUrl);
        await alice.get("/put");
        const [corrupt] = driver.corruptSessions;
        await store.save(driver.tokenOf(alice), encode(corrupt), inAnHour());
        expect(await alice.get("/get")).to.deep.equal({
          status: 500,
          text: "Internal Server Error\n",
        });
        expect(app.errors).to.have.length(1);
        expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "" });
      });
    });
  }
}
