// In a project with only one client package (the first argument): scs-memstore/redis from ESM.
import assert from "node:assert/strict";
import { RedisStore } from "scs-memstore/redis";

const only = process.argv[2];
const clients = await import(only);
const client =
  only === "ioredis"
    ? new clients.Redis({
        port: 1,
        lazyConnect: true,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
      })
    : clients.createClient({ url: "redis://127.0.0.1:1" });
assert.equal(new RedisStore(client, { prefix: "esm:" }).prefix, "esm:");
console.log(`ESM with only ${only}: ok`);
