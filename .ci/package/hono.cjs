const assert = require("node:assert/strict");
const { Hono } = require("hono");
const { sessionMiddleware } = require("hono-sessions");
const { MemStore } = require("scs-memstore");
const { HonoSessionStore, CorruptSessionError } = require("scs-memstore/hono");

const store = new MemStore(0);
const errors = [];
const app = new Hono();
app.use(sessionMiddleware({ store: new HonoSessionStore(store), expireAfterSeconds: 60 }));
app.get("/put", (c) => {
  c.get("session").set("message", "Hello world!");
  return c.text("Stored.");
});
app.get("/get", (c) => c.text(c.get("session").get("message") ?? ""));
app.onError((error, c) => {
  errors.push(error);
  return c.text("Internal Server Error", 500);
});

(async () => {
  const cookie = (await app.request("/put")).headers.get("set-cookie").split(";")[0];
  assert.equal(await (await app.request("/get", { headers: { cookie } })).text(), "Hello world!");
  const token = cookie.slice("session=".length);
  store.save(token, Buffer.from("{}"), new Date(Date.now() + 60_000));
  assert.equal((await app.request("/get", { headers: { cookie } })).status, 500);
  assert.ok(errors[0] instanceof CorruptSessionError);
  assert.equal(store.find(token).exists, false);
  console.log("hono-sessions from CommonJS: ok");
})();
