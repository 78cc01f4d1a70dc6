const assert = require("node:assert/strict");
const Module = require("node:module");
const loaded = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  loaded.push(request);
  return load.call(this, request, ...rest);
};
const { FastifySessionStore } = require("scs-memstore/fastify");
Module._load = load;
const packages = loaded.filter((name) => !name.startsWith(".") && !name.startsWith("node:"));
assert.deepEqual(packages, ["scs-memstore/fastify"], `loaded: ${packages}`);
assert.throws(() => require.resolve("express-session"), { code: "MODULE_NOT_FOUND" });

const { MemStore } = require("scs-memstore");
const store = new MemStore(0);
const app = require("fastify")();
app.register(require("@fastify/cookie"));
app.register(require("@fastify/session"), {
  secret: "a secret of at least thirty-two characters",
  store: new FastifySessionStore(store),
  cookie: { secure: false, maxAge: 60_000 },
});
app.get("/put", async (request) => {
  request.session.message = "Hello world!";
  return "Stored.";
});
app.get("/get", async (request) => request.session.message ?? "");
(async () => {
  const put = await app.inject("/put");
  const cookie = put.headers["set-cookie"].split(";")[0];
  const got = await app.inject({ url: "/get", headers: { cookie } });
  assert.equal(got.body, "Hello world!");
  assert.equal(store.all().size, 1);
  await app.close();
  console.log("CommonJS (fastify, without express-session): ok");
})();
