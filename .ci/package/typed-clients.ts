import Redis, { Cluster } from "ioredis";
import { createClient, createClientPool, createCluster, createSentinel } from "redis";
import type { IterableStore } from "scs-memstore";
import {
  RedisOfflineError,
  RedisStore,
  type RedisStoreClient,
  type RedisStoreOptions,
} from "scs-memstore/redis";

const url = "redis://127.0.0.1:1";
const options: RedisStoreOptions = { prefix: "app:", scanCount: 100, offlineTimeoutMs: 1_000 };
const stores: IterableStore[] = [
  new RedisStore(createClient({ url }), options),
  new RedisStore(createClientPool({ url }), options),
  new RedisStore(createCluster({ rootNodes: [{ url }] }), options),
  new RedisStore(
    createSentinel({ name: "primary", sentinelRootNodes: [{ host: "127.0.0.1", port: 1 }] }),
    options,
  ),
  new RedisStore(
    new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
    }),
    options,
  ),
  new RedisStore(
    new Cluster([{ port: 1 }], { lazyConnect: true, enableOfflineQueue: false }),
    options,
  ),
  new RedisStore(
    new Redis({
      sentinels: [{ port: 1 }],
      name: "primary",
      lazyConnect: true,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
    }),
    options,
  ),
];
const anyKind: RedisStoreClient = new Redis({ port: 1, lazyConnect: true });
const refused = [
  // @ts-expect-error a plain object is no client
  () => new RedisStore({ get: async () => null }),
  // ioredis with its offline queue, or resending unanswered commands: refused at run time
  () => new RedisStore(new Redis({ port: 1, lazyConnect: true })),
  () => new RedisStore(new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false })),
  () => new RedisStore(new Cluster([{ port: 1 }], { lazyConnect: true })),
];
for (const make of refused) {
  try {
    make();
    throw new Error("TypeScript: RedisStore took what its types refuse");
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}
const offline: Error = new RedisOfflineError(1_000);
if (stores.length < 6 || !anyKind || offline.name !== "RedisOfflineError")
  throw new Error("TypeScript: RedisStore");
console.log("every client kind to new RedisStore() with no cast: ok");
