import session from "express-session";
import createMemoryStore from "memorystore";
import NodeCache from "node-cache";
import { createClient } from "redis";
import { MemStore, type MemStoreOptions, type Store } from "../src";
import { ExpressSessionStore } from "../src/express";
import { RedisStore } from "../src/redis";
import { MAX_SESSIONS, ONE_HOUR_MS, PAYLOAD, sessionObject } from "./settings";

/** One contender, seen through three operations. Each may answer now or with a Promise. */
export interface Peer {
  readonly name: string;
  /** Whether the operations answer with Promises (callback APIs are wrapped in them). */
  readonly async: boolean;
  save(token: string): unknown;
  /** Resolves to something truthy when the session is found. */
  find(token: string): unknown;
  delete(token: string): unknown;
  /** Moves a live session's expiry on, as a request that leaves it unchanged does. */
  touch(token: string): unknown;
  close(): unknown;
}

/** An hour from the start of the run: every benchmarked session outlives the benchmark. */
const EXPIRY = new Date(Date.now() + ONE_HOUR_MS);
const EXPIRY_MS = EXPIRY.getTime();
const TTL_S = ONE_HOUR_MS / 1_000;
/** Where a touch moves a session: two hours from the start of the run. */
const TOUCHED = new Date(EXPIRY_MS + ONE_HOUR_MS);

function storePeer(name: string, store: Store, close: () => unknown, async: boolean): Peer {
  return {
    name,
    async,
    save: (token) => store.save(token, PAYLOAD, EXPIRY),
    find: async
      ? async (token) => (await store.find(token)).exists
      : (token) => (store.find(token) as { exists: boolean }).exists,
    delete: (token) => store.delete(token),
    touch: (token) => store.touch(token, TOUCHED),
    close,
  };
}

type Callback = (error?: unknown, value?: unknown) => void;
const promised = (call: (callback: Callback) => void) =>
  new Promise((resolve, reject) =>
    call((error, value) => (error ? reject(error) : resolve(value))),
  );

/** Any express-session store, through its callback API, as express-session uses it. */
function expressPeer(name: string, store: session.Store, close: () => unknown = () => {}): Peer {
  const stored = sessionObject() as unknown as session.SessionData;
  const touched = sessionObject(2 * ONE_HOUR_MS) as unknown as session.SessionData;
  return {
    name,
    async: true,
    save: (sid) => promised((cb) => store.set(sid, stored, cb)),
    find: (sid) => promised((cb) => store.get(sid, cb)),
    delete: (sid) => promised((cb) => store.destroy(sid, cb)),
    touch: (sid) => promised((cb) => store.touch?.(sid, touched, cb)),
    close,
  };
}

function memStore(
  options: MemStoreOptions = {},
  name = "MemStore",
  cleanupIntervalMs = 300_000,
): Peer {
  const store = new MemStore(cleanupIntervalMs, options);
  return storePeer(name, store, () => store.close(), false);
}

/** The floor MemStore sits on: node-cache used directly, with the same copies in and out. */
function nodeCacheByHand(): Peer {
  const cache = new NodeCache({ useClones: false, checkperiod: 300 });
  return {
    name: "node-cache by hand",
    async: false,
    save: (token) => cache.set(token, Buffer.from(PAYLOAD), TTL_S),
    find: (token) => {
      const bytes = cache.get<Buffer>(token);
      return bytes !== undefined && Buffer.from(bytes);
    },
    delete: (token) => cache.del(token),
    touch: (token) => cache.ttl(token, 2 * TTL_S),
    close: () => cache.close(),
  };
}

/** The limit for an in-memory store in JavaScript: a Map, with expiry checked on read. */
function mapWithExpiry(): Peer {
  const map = new Map<string, { bytes: Buffer; expiryMs: number }>();
  return {
    name: "Map with expiry checks",
    async: false,
    save: (token) => map.set(token, { bytes: Buffer.from(PAYLOAD), expiryMs: EXPIRY_MS }),
    find: (token) => {
      const entry = map.get(token);
      if (entry === undefined) return false;
      if (entry.expiryMs > Date.now()) return Buffer.from(entry.bytes);
      map.delete(token);
      return false;
    },
    delete: (token) => map.delete(token),
    touch: (token) => {
      const entry = map.get(token);
      if (entry === undefined || entry.expiryMs <= Date.now()) return false;
      entry.expiryMs = TOUCHED.getTime();
      return true;
    },
    close: () => map.clear(),
  };
}

const MemoryStorePackage = createMemoryStore(session);

/** The `memorystore` package: lru-cache inside, pruned every `checkPeriodMs`. */
export function newMemorystore(checkPeriodMs = ONE_HOUR_MS) {
  return new MemoryStorePackage({ checkPeriod: checkPeriodMs });
}

async function redisClient(redisUrl: string) {
  const client = createClient({ url: redisUrl });
  client.on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  return client.connect();
}

/** Makes a fresh peer of each kind by name. */
export const PEERS = {
  MemStore: async () => memStore(),
  "MemStore with maxSessions": async () =>
    memStore({ maxSessions: MAX_SESSIONS }, "MemStore with maxSessions"),
  /** One node-cache instance and no cleanup pass, where `new MemStore(300_000)` has 32. */
  "MemStore, one shard": async () => memStore({}, "MemStore, one shard", 0),
  "node-cache by hand": async () => nodeCacheByHand(),
  "Map with expiry checks": async () => mapWithExpiry(),
  "express-session MemoryStore": async () =>
    expressPeer("express-session MemoryStore", new session.MemoryStore()),
  memorystore: async () => {
    const store = newMemorystore();
    return expressPeer("memorystore", store, () => store.stopInterval());
  },
  RedisStore: async (redisUrl: string) => {
    const client = await redisClient(redisUrl);
    return storePeer("RedisStore", new RedisStore(client), () => client.quit(), true);
  },
  "ExpressSessionStore(MemStore)": async () => {
    const store = new MemStore(300_000);
    return expressPeer("ExpressSessionStore(MemStore)", new ExpressSessionStore(store), () =>
      store.close(),
    );
  },
  "ExpressSessionStore(RedisStore)": async (redisUrl: string) => {
    const client = await redisClient(redisUrl);
    const adapter = new ExpressSessionStore(new RedisStore(client));
    return expressPeer("ExpressSessionStore(RedisStore)", adapter, () => client.quit());
  },
} satisfies Record<string, (redisUrl: string) => Promise<Peer>>;

export type PeerName = keyof typeof PEERS;
