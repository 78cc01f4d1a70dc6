// Every entry point of the installed package, from CommonJS: each loads, with its named exports,
// and the classes are the ones the frameworks' own packages expect.
const assert = require("node:assert/strict");
const { MemStore, CorruptSessionError, RedisOfflineError } = require("scs-memstore");

for (const exported of [MemStore, CorruptSessionError, RedisOfflineError]) {
  assert.equal(typeof exported, "function");
}
assert.equal(new CorruptSessionError("x").code, "ERR_CORRUPT_SESSION");
// Never closed: its cleanup timer must not keep this process alive (timeout 20 in check-package).
const store = new MemStore(300_000);
store.save("token", Buffer.from("kept"), new Date(Date.now() + 60_000));
assert.equal(store.find("token").data.toString(), "kept");

const { ExpressSessionStore } = require("scs-memstore/express");
assert.equal(
  new ExpressSessionStore(new MemStore(0)) instanceof require("express-session").Store,
  true,
);

const { KoaSessionStore } = require("scs-memstore/koa");
// koa-session 7's CommonJS build exports an object: its function is `.default`.
const session = require("koa-session").default;
const Koa = require("koa");
const koaApp = new Koa();
koaApp.keys = ["secret"];
koaApp.use(session({ store: new KoaSessionStore(new MemStore(0)) }, koaApp));

const { RedisStore } = require("scs-memstore/redis");
assert.equal(require("scs-memstore/redis").RedisOfflineError, RedisOfflineError);

// The contract suite loads with neither mocha nor chai installed.
const { storeContract, iterableStoreContract } = require("scs-memstore/testing");
assert.equal(typeof storeContract, "function");
assert.equal(typeof iterableStoreContract, "function");
assert.throws(() => require.resolve("mocha"), { code: "MODULE_NOT_FOUND" });

const sent = [];
const redisStore = new RedisStore({
  sendCommand: async (args) => {
    sent.push(args[0]);
    return null;
  },
});
redisStore.find("token").then((found) => {
  assert.equal(found.exists, false);
  assert.deepEqual(sent, ["EVALSHA"]);
  console.log("CommonJS: ok, and the open store's cleanup timer let the process exit");
});
