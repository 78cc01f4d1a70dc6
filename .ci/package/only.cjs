// In a project with only one client package (the first argument: ioredis or redis),
// scs-memstore/redis loads neither package itself, and a store over that client fails fast.
const assert = require("node:assert/strict");
const Module = require("node:module");

const only = process.argv[2];
const other = only === "ioredis" ? "redis" : "ioredis";
const loaded = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  loaded.push(request);
  return load.call(this, request, ...rest);
};
const { RedisOfflineError, RedisStore } = require("scs-memstore/redis");
Module._load = load;
assert.deepEqual(
  loaded.filter((name) => /^(redis|ioredis)(\/|$)/.test(name)),
  [],
);
assert.throws(() => require(other), { code: "MODULE_NOT_FOUND" });
const client =
  only === "ioredis"
    ? new (require("ioredis").Redis)({
        port: 1,
        lazyConnect: true,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
      })
    : require("redis").createClient({ url: "redis://127.0.0.1:1" });
client.on("error", () => {});
const store = new RedisStore(client, { offlineTimeoutMs: 200 });
store.find("token").then(
  () => assert.fail("find answered with no server"),
  (error) => {
    // ioredis: no connection within offlineTimeoutMs. node-redis: a client never connected.
    if (only === "ioredis") {
      assert.ok(error instanceof RedisOfflineError, String(error));
      client.disconnect();
    } else {
      assert.match(error.message, /closed/);
    }
    console.log(
      `CommonJS with only ${only}: ok, and scs-memstore/redis loaded neither client package`,
    );
  },
);
