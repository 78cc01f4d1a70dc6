// scs-memstore/hono loads nothing of any framework: it works where only hono-sessions is installed.
const assert = require("node:assert/strict");

assert.throws(() => require.resolve("express-session"), { code: "MODULE_NOT_FOUND" });
const { HonoSessionStore } = require("scs-memstore/hono");
const { MemStore } = require("scs-memstore");
assert.equal(new HonoSessionStore(new MemStore(0)).getSessionById("unknown"), null);
const loaded = Object.keys(require.cache).filter((path) =>
  /node_modules\/(hono|express)/.test(path),
);
assert.deepEqual(loaded, []);
console.log("scs-memstore/hono without express-session, loading no framework: ok");
