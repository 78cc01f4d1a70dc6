import assert from "node:assert/strict";
import { MemStore } from "scs-memstore";
import { ExpressSessionStore } from "scs-memstore/express";

const store = new MemStore(300_000);
const adapter = new ExpressSessionStore(store, { ttlMs: 60_000 });
await new Promise((done, fail) =>
  adapter.set("sid", { cookie: { expires: null } }, (error) => (error ? fail(error) : done())),
);
assert.equal(store.find("sid").exists, true);
const { RedisStore } = await import("scs-memstore/redis");
assert.equal(new RedisStore({ sendCommand: async () => null }).prefix, "scs:session:");
store.save("token", new TextEncoder().encode("hello"), new Date(Date.now() + 60_000));
const found = store.find("token");
assert.equal(found.exists && new TextDecoder().decode(found.data), "hello");
assert.throws(() => new MemStore(-1), RangeError);
store.close();

// koa-session on Koa 3 over the adapter: /put, then /get with the cookie.
const { default: Koa } = await import("koa");
const { default: session } = await import("koa-session");
const { KoaSessionStore, CorruptSessionError } = await import("scs-memstore/koa");
assert.equal(typeof CorruptSessionError, "function");
const koaStore = new MemStore(0);
const app = new Koa();
app.keys = ["secret"];
app.use(session({ store: new KoaSessionStore(koaStore), maxAge: 60_000 }, app));
app.use((ctx) => {
  if (ctx.path === "/put") ctx.session.message = "Hello world!";
  ctx.body = ctx.session.message ?? "";
});
const server = app.listen(0, "127.0.0.1");
await new Promise((listening) => server.once("listening", listening));
const base = `http://127.0.0.1:${server.address().port}`;
const put = await fetch(`${base}/put`);
const cookie = put.headers
  .getSetCookie()
  .map((c) => c.split(";")[0])
  .join("; ");
assert.equal(await (await fetch(`${base}/get`, { headers: { cookie } })).text(), "Hello world!");
assert.equal(koaStore.all().size, 1);
server.close();
console.log("ESM: ok, and koa-session on Koa 3 over KoaSessionStore");
