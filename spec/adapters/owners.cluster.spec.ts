import { setTimeout as sleep } from "node:timers/promises";
import { RedisStore } from "../../src/redis";
import { CLIENT_KINDS, type Connected } from "../support/redis-clients";
import { useClusterDeployment } from "../support/redis-deployment";
import { REAL_TIME_TOLERANCE_MS } from "../support/redis-server";
import { OWNER_DRIVERS } from "./owners-drivers";
import { runOwnerSpecs } from "./owners-suite";

// The owner's index and its sessions hash to different slots, so on different masters.
for (const kind of CLIENT_KINDS.filter(({ cluster, current }) => cluster && current)) {
  describe(`owners on RedisStore over a Redis Cluster, ${kind.name}`, function () {
    this.timeout(30_000);
    const deployment = useClusterDeployment();
    let connected: Connected | undefined;
    before(async () => {
      connected = await kind.connect(deployment().ports);
    });
    after(async () => {
      await connected?.close();
    });
    const harness = async () => {
      await deployment().flush();
      return {
        store: new RedisStore((connected as Connected).client),
        toleranceMs: REAL_TIME_TOLERANCE_MS,
        advance: (ms: number) => sleep(ms),
        close: () => {},
      };
    };
    for (const driver of OWNER_DRIVERS)
      runOwnerSpecs(driver, `RedisStore on ${kind.name}`, harness);
  });
}
