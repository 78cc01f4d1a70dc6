import { describe, it } from "node:test";
import type { Store as SessionStore } from "express-session";
import type { CreateSessionOptions } from "koa-session";
import { createClient } from "redis";
import {
  CorruptSessionError,
  type FindResult,
  type IterableStore,
  MemStore,
  type Store,
} from "scs-memstore";
import { ExpressSessionStore, type ExpressSessionStoreOptions } from "scs-memstore/express";
import { KoaSessionStore, type KoaSessionStoreOptions } from "scs-memstore/koa";
import { RedisStore, type RedisStoreOptions } from "scs-memstore/redis";
import { type StoreContractOptions, storeContract, type TestRunner } from "scs-memstore/testing";

const store: IterableStore = new MemStore(300_000, { maxSessions: 10 });
const plain: Store = store;
plain.save("token", new Uint8Array([7]), new Date(Date.now() + 60_000));
const found = plain.find("token") as FindResult;
if (!found.exists || found.data[0] !== 7) throw new Error("TypeScript: round trip failed");
const corrupt: unknown = new CorruptSessionError("not JSON");
if (!(corrupt instanceof Error)) throw new Error("TypeScript: CorruptSessionError is not an Error");
const live: boolean | Promise<boolean> = plain.touch("token", new Date(Date.now() + 60_000));
if (live !== true) throw new Error("TypeScript: touch of a live session did not answer true");
const options: ExpressSessionStoreOptions = { ttlMs: 1_000, disableTouch: false };
const sessionStore: SessionStore = new ExpressSessionStore(store, options);
sessionStore.destroy("token");
const redisOptions: RedisStoreOptions = { prefix: "app:" };
const redisStore: IterableStore = new RedisStore(createClient(), redisOptions);
if (typeof redisStore.all !== "function") throw new Error("TypeScript: RedisStore has no all()");
(store as MemStore).close();
// koa-session's store option takes the adapter with no cast.
const koaOptions: KoaSessionStoreOptions = { ttlMs: 1_000 };
const koaStore: NonNullable<CreateSessionOptions["store"]> = new KoaSessionStore(store, koaOptions);
const sessionOptions: CreateSessionOptions = { store: koaStore, maxAge: 60_000 };
if (sessionOptions.store !== koaStore)
  throw new Error("TypeScript: koa-session options lost the store");
// The contract suite takes node:test's own describe and it, with no cast.
const runner: TestRunner = { describe, it };
const contract: StoreContractOptions<MemStore> = {
  create: () => new MemStore(0),
  close: (s) => s.close(),
};
if (typeof storeContract !== "function" || !runner || !contract)
  throw new Error("TypeScript: testing");
console.log("TypeScript: ok");
