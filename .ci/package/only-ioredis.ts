// With only ioredis installed, and lib check on: each ioredis client to new RedisStore(), no cast.
import { Cluster, Redis } from "ioredis";
import { RedisStore } from "scs-memstore/redis";

const clients = [
  new Redis({ lazyConnect: true, enableOfflineQueue: false, autoResendUnfulfilledCommands: false }),
  new Cluster([{ port: 1 }], { lazyConnect: true, enableOfflineQueue: false }),
];
for (const client of clients) {
  if (!(new RedisStore(client) instanceof RedisStore)) throw new Error("no store");
}
console.log("TypeScript with only ioredis (lib check on): ok");
