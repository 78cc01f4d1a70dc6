import { expect } from "chai";
import { RedisStore, type RedisStoreClient } from "../../../src/redis";
import { Client as HttpClient } from "../../adapters/express-http";
import { startExampleServer, stopExampleServer } from "../../support/example-process";
import { useRedisServer } from "../../support/redis-server";
import { expectFailure } from "../store-contract";

// The specs on each kind of client are in redis-store.<deployment>-<library>.spec.ts.

describe("RedisStore", function () {
  this.timeout(30_000);

  describe("constructor", () => {
    const redis = useRedisServer();

    it("constructor: anything but a node-redis or ioredis client is a TypeError naming `client`", async () => {
      for (const bad of [undefined, null, {}, "redis://localhost", { get: () => null }]) {
        await expectFailure(
          () => new RedisStore(bad as RedisStoreClient),
          TypeError,
          /`client`.*node-redis.*ioredis.*got/,
        );
      }
    });

    it("constructor: a bad prefix, scanCount or offlineTimeoutMs is an error naming it", async () => {
      const client = redis.client();
      await expectFailure(
        () => new RedisStore(client, { prefix: 1 as unknown as string }),
        TypeError,
        /`prefix`/,
      );
      await expectFailure(
        () => new RedisStore(client, { scanCount: "5" as unknown as number }),
        TypeError,
        /`scanCount`/,
      );
      for (const scanCount of [0, -1, 2.5, Number.NaN]) {
        await expectFailure(
          () => new RedisStore(client, { scanCount }),
          RangeError,
          /`scanCount`.*got/,
        );
      }
      await expectFailure(
        () => new RedisStore(client, { offlineTimeoutMs: null as unknown as number }),
        TypeError,
        /`offlineTimeoutMs`.*number.*got `null`/,
      );
      for (const offlineTimeoutMs of [0, -1, 2.5, 2 ** 31, Number.POSITIVE_INFINITY]) {
        await expectFailure(
          () => new RedisStore(client, { offlineTimeoutMs }),
          RangeError,
          /`offlineTimeoutMs`.*from 1 to 2147483647.*got/,
        );
      }
    });

    it("constructor: the prefix defaults to scs:session:", () => {
      expect(new RedisStore(redis.client()).prefix).to.equal("scs:session:");
    });
  });

  describe("examples/server.ts with REDIS_URL", () => {
    const redis = useRedisServer();

    it("example server: two processes sharing one Redis share sessions", async () => {
      await redis.client().flushDb();
      const env = { REDIS_URL: redis.url(), SESSION_SECRET: "shared between the two" };
      const [first, second] = await Promise.all([startExampleServer(env), startExampleServer(env)]);
      try {
        expect(first.output()).to.match(/RedisStore/);
        const alice = new HttpClient(first.baseUrl);
        await alice.get("/put");
        expect(await alice.at(second.baseUrl).get("/get")).to.deep.equal({
          status: 200,
          text: "Hello world!",
        });
      } finally {
        expect(await stopExampleServer(first)).to.equal(0);
        expect(await stopExampleServer(second)).to.equal(0);
      }
    });
  });
});
