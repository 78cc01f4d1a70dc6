const assert = require("node:assert/strict");
const Module = require("node:module");
const loaded = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  loaded.push(request);
  return load.call(this, request, ...rest);
};
const { KoaSessionStore } = require("scs-memstore/koa");
Module._load = load;
const frameworks = loaded.filter((name) =>
  /^(koa|koa-session|express-session|redis)(\/|$)/.test(name),
);
assert.deepEqual(frameworks, [], "scs-memstore/koa requires no framework");

const { MemStore } = require("scs-memstore");
const Koa = require("koa");
const { createSession } = require("koa-session");
const store = new MemStore(0);
const app = new Koa();
app.keys = ["secret"];
app.use(async (ctx, next) => {
  try {
    await next();
  } catch {
    ctx.status = 500;
  }
});
app.use(createSession({ store: new KoaSessionStore(store), rolling: true }, app));
app.use((ctx) => {
  if (ctx.path === "/put") ctx.session.message = "Hello world!";
  ctx.body = ctx.session.message || "";
});
const server = app.listen(0, "127.0.0.1", async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const put = await fetch(`${base}/put`);
  const cookie = put.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  assert.equal(await (await fetch(`${base}/get`, { headers: { cookie } })).text(), "Hello world!");
  // A corrupt stored session: one 500, removed, then a fresh session.
  const [key] = store.all().keys();
  store.save(key, Buffer.from('{"toJSON":1}'), new Date(Date.now() + 60_000));
  assert.equal((await fetch(`${base}/get`, { headers: { cookie } })).status, 500);
  assert.equal(store.find(key).exists, false);
  assert.equal((await fetch(`${base}/get`, { headers: { cookie } })).status, 200);
  server.close();
  console.log("Koa 2, CommonJS, no express-session: ok, and scs-memstore/koa loaded no framework");
});
