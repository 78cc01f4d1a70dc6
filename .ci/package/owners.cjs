// CommonJS: the adapters take `ownerOf`, list an owner's sessions and end them (see check-package).
const assert = require("node:assert/strict");
const { MemStore } = require("scs-memstore");
const { ExpressSessionStore } = require("scs-memstore/express");
const { KoaSessionStore } = require("scs-memstore/koa");

async function main() {
  const memStore = new MemStore(0);
  const express = new ExpressSessionStore(memStore, { ownerOf: (session) => session.user });
  for (const sid of ["phone", "laptop"]) {
    await new Promise((resolve, reject) =>
      express.set(sid, { cookie: { originalMaxAge: null }, user: "alice" }, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  }
  const listed = await express.sessionsOf("alice");
  assert.deepEqual(listed.map(({ id }) => id).sort(), ["laptop", "phone"]);
  assert.ok(listed.every(({ expires }) => expires instanceof Date));
  assert.equal(await express.destroySessionsOf("alice", { except: "laptop" }), 1);

  const koa = new KoaSessionStore(memStore, { ownerOf: (session) => session.user });
  await koa.set("koa-key", { user: "bob", _expire: Date.now() + 60_000, _maxAge: 60_000 });
  assert.deepEqual(
    (await koa.sessionsOf("bob")).map(({ id }) => id),
    ["koa-key"],
  );
  assert.equal(await koa.destroySessionsOf("bob"), 1);
  assert.deepEqual(await koa.sessionsOf("bob"), []);

  const plain = { find() {}, save() {}, delete() {}, touch() {} };
  assert.throws(() => new KoaSessionStore(plain, { ownerOf: () => "x" }), TypeError);
  memStore.close();
  console.log("CommonJS: ownerOf, sessionsOf and destroySessionsOf: ok");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
