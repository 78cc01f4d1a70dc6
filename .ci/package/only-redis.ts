// With only redis installed, and lib check on: each node-redis client to new RedisStore(), no cast.
import { createClient, createClientPool, createCluster } from "redis";
import { RedisStore } from "scs-memstore/redis";

const clients = [createClient(), createClientPool(), createCluster({ rootNodes: [] })];
for (const client of clients) {
  if (!(new RedisStore(client) instanceof RedisStore)) throw new Error("no store");
}
console.log("TypeScript with only redis (lib check on): ok");
