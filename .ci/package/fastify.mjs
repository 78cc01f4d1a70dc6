import assert from "node:assert/strict";
import fastifyCookie from "@fastify/cookie";
import fastifySession from "@fastify/session";
import Fastify from "fastify";
import { MemStore } from "scs-memstore";
import { CorruptSessionError, FastifySessionStore } from "scs-memstore/fastify";

const store = new MemStore(0);
store.save("token", new TextEncoder().encode("{}"), new Date(Date.now() + 60_000));
const adapter = new FastifySessionStore(store);
const error = await new Promise((done) => adapter.get("token", done));
assert.ok(error instanceof CorruptSessionError);
assert.equal(store.find("token").exists, false);
const app = Fastify();
await app.register(fastifyCookie);
await app.register(fastifySession, {
  secret: "a secret of at least thirty-two characters",
  store: adapter,
  cookie: { secure: false },
});
app.get("/put", async (request) => {
  request.session.message = "Hello world!";
  return "Stored.";
});
assert.equal((await app.inject("/put")).statusCode, 200);
assert.equal(store.all().size, 1);
await app.close();
console.log("ESM (fastify, without express-session): ok");
