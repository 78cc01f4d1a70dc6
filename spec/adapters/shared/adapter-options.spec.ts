import { expect } from "chai";
import { MemStore } from "../../../src";
import {
  checkMaxSessionBytes,
  checkStore,
  checkTtl,
  ONE_DAY_MS,
} from "../../../src/adapters/shared/adapter-options";
import { DEFAULT_MAX_SESSION_BYTES } from "../../../src/adapters/shared/session-codec";
import { ExpressSessionStore } from "../../../src/express";
import { FastifySessionStore } from "../../../src/fastify";
import { HonoSessionStore } from "../../../src/hono";
import { KoaSessionStore } from "../../../src/koa";

const methods = {
  find: () => undefined,
  save: () => undefined,
  delete: () => undefined,
  touch: () => undefined,
};

describe("adapter options", () => {
  it("every adapter: options that are not an object are a TypeError naming `options`", () => {
    const store = new MemStore(0);
    const adapters = [ExpressSessionStore, FastifySessionStore, HonoSessionStore, KoaSessionStore];
    for (const Adapter of adapters) {
      for (const options of [null, 5, "ttlMs"]) {
        expect(() => new Adapter(store, options as never), Adapter.name).to.throw(
          TypeError,
          /^Expected `options` to be an object, got /,
        );
      }
    }
    expect(() => new MemStore(0, null as never)).to.throw(TypeError, /`options`/);
    store.close();
  });

  it("checkStore: takes anything with the four methods", () => {
    const store = new MemStore(0);
    expect(() => checkStore(store)).not.to.throw();
    store.close();
    expect(() => checkStore({ ...methods })).not.to.throw();
  });

  it("checkStore: anything lacking one of find, save, delete and touch is a TypeError naming it", () => {
    const lacking = (Object.keys(methods) as (keyof typeof methods)[]).map((name) => ({
      ...methods,
      [name]: "not a method",
    }));
    for (const store of [...lacking, undefined, null, 1, {}]) {
      expect(() => checkStore(store)).to.throw(
        TypeError,
        /^Expected `store` to be a Store with find, save, delete and touch methods, got `/,
      );
    }
    expect(() => checkStore(null)).to.throw(
      "Expected `store` to be a Store with find, save, delete and touch methods, got `null` (null)",
    );
  });

  it("checkTtl: one day when undefined, the option when valid, an error naming ttlMs otherwise", () => {
    expect(ONE_DAY_MS).to.equal(24 * 60 * 60 * 1_000);
    expect(checkTtl(undefined)).to.equal(ONE_DAY_MS);
    expect(checkTtl(1)).to.equal(1);
    expect(() => checkTtl(0)).to.throw(RangeError, /`ttlMs`/);
    expect(() => checkTtl(1.5)).to.throw(RangeError, /`ttlMs`/);
    expect(() => checkTtl(Number.POSITIVE_INFINITY)).to.throw(RangeError, /`ttlMs`/);
    expect(() => checkTtl("1")).to.throw(TypeError, /`ttlMs`/);
  });

  it("checkMaxSessionBytes: 1 MiB when undefined, the option when valid, Infinity included, an error naming it otherwise", () => {
    expect(DEFAULT_MAX_SESSION_BYTES).to.equal(1_048_576);
    expect(checkMaxSessionBytes(undefined)).to.equal(DEFAULT_MAX_SESSION_BYTES);
    expect(checkMaxSessionBytes(1)).to.equal(1);
    expect(checkMaxSessionBytes(Number.POSITIVE_INFINITY)).to.equal(Number.POSITIVE_INFINITY);
    expect(() => checkMaxSessionBytes(0)).to.throw(RangeError, /`maxSessionBytes`/);
    expect(() => checkMaxSessionBytes(2.5)).to.throw(RangeError, /`maxSessionBytes`/);
    expect(() => checkMaxSessionBytes(null)).to.throw(TypeError, /`maxSessionBytes`/);
  });
});
