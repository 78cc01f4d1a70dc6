import assert from "node:assert/strict";
import { Hono } from "hono";
import { sessionMiddleware } from "hono-sessions";
import { MemStore } from "scs-memstore";
import { HonoSessionStore } from "scs-memstore/hono";

const app = new Hono();
app.use(sessionMiddleware({ store: new HonoSessionStore(new MemStore(0)) }));
app.get("/put", (c) => {
  c.get("session").set("message", "Hello world!");
  return c.text("Stored.");
});
app.get("/get", (c) => c.text(c.get("session").get("message") ?? ""));
const cookie = (await app.request("/put")).headers.get("set-cookie").split(";")[0];
assert.equal(await (await app.request("/get", { headers: { cookie } })).text(), "Hello world!");
console.log("hono-sessions from ESM: ok");
