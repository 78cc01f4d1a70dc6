// ESM: the adapters take `ownerOf`, list an owner's sessions and end them (see check-package).
import assert from "node:assert/strict";
import { MemStore } from "scs-memstore";
import { FastifySessionStore } from "scs-memstore/fastify";
import { HonoSessionStore } from "scs-memstore/hono";

const memStore = new MemStore(0);
const hono = new HonoSessionStore(memStore, { ownerOf: (session) => session.get("user") });
const inAMinute = new Date(Date.now() + 60_000).toISOString();
for (const sid of ["phone", "laptop"]) {
  await hono.persistSessionData(sid, {
    _data: { user: { value: "alice", flash: false } },
    _expire: inAMinute,
    _delete: false,
    _accessed: null,
  });
}
assert.deepEqual((await hono.sessionsOf("alice")).map(({ id }) => id).sort(), ["laptop", "phone"]);
assert.equal(await hono.destroySessionsOf("alice", { except: "phone" }), 1);

// Sessions saved through any adapter are listed by every adapter over the same store.
const fastify = new FastifySessionStore(memStore, { ownerOf: (session) => session.get("user") });
assert.deepEqual(
  (await fastify.sessionsOf("alice")).map(({ id }) => id),
  ["phone"],
);
await assert.rejects(fastify.sessionsOf(""), TypeError);
memStore.close();
console.log("ESM: ownerOf, sessionsOf and destroySessionsOf: ok");
