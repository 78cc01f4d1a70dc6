import { memStoreHarness } from "../support/fake-clock";
import { PromiseStore } from "../support/promise-store";
import { useRedisServer } from "../support/redis-server";
import { redisStoreHarness, runAdapterSpecs } from "./adapter-suite";
import { fastifyDriver } from "./fastify-http";

runAdapterSpecs(fastifyDriver, "MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
runAdapterSpecs(fastifyDriver, "MemStore behind Promises", () => {
  const harness = memStoreHarness(0, {}, { dateOnly: true });
  return { ...harness, store: new PromiseStore(harness.store) };
});
describe("@fastify/session over RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  runAdapterSpecs(fastifyDriver, "RedisStore", redisStoreHarness(useRedisServer()));
});
