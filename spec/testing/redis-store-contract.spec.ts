import { RedisStore } from "../../src/redis";
import { iterableStoreContract } from "../../src/testing";
import { CLIENT_KINDS, type ClientKind, type Connected } from "../support/redis-clients";
import { useServerDeployment } from "../support/redis-deployment";

describe("RedisStore on a single redis-server (scs-memstore/testing)", () => {
  const deployment = useServerDeployment();
  // One client of each library: the contract is the store's, the clients' differences are
  // checked by the specs of spec/stores/redis.
  const kinds = ["node-redis", "ioredis"].map((library) =>
    CLIENT_KINDS.find((kind) => kind.current && !kind.cluster && kind.library === library),
  );
  for (const kind of kinds as ClientKind[]) {
    describe(kind.name, () => {
      let connected: Connected | undefined;
      before(async () => {
        connected = await kind.connect(deployment().ports);
      });
      after(async () => {
        await connected?.close();
      });
      iterableStoreContract({ describe, it }, `RedisStore on ${kind.name}`, {
        create: async () => {
          await deployment().flush();
          return new RedisStore((connected as Connected).client);
        },
        // RedisStore gives Redis an expiry 2 ms away or less as it is, and Redis keeps a key
        // until its clock is past it: such a session may be found 1 ms after its expiry.
        clockToleranceMs: 1,
      });
    });
  }
});
