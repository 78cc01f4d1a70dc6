import { useRedisServer } from "../support/redis-server";
import { redisStoreHarness } from "./adapter-suite";
import { OWNER_DRIVERS } from "./owners-drivers";
import { runOwnerSpecs } from "./owners-suite";

describe("owners on RedisStore over one redis-server", () => {
  const harness = redisStoreHarness(useRedisServer());
  for (const driver of OWNER_DRIVERS) runOwnerSpecs(driver, "RedisStore", harness);
});
