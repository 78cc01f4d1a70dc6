import { expect } from "chai";
import { RedisStore, type RedisStoreClient } from "../../../src/redis";
import { Client as HttpClient } from "../../adapters/express-http";
import { startExampleServer, stopExampleServer } from "../../support/example-process";
import {
  connect,
  type RedisServer,
  requireRedis,
  startRedisServer,
  useRedisServer,
} from "../../support/redis-server";
import { bytes, expectFailure, expectFound, expectMissing } from "../store-contract";

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

  describe("on a Redis without PEXPIRETIME (before 7.0)", () => {
    // The delete script reads the session's expiry with PEXPIRETIME where Redis has it, and
    // with PTTL before 7.0: a server whose PEXPIRETIME is renamed away answers as an older one.
    let server: RedisServer | undefined;
    let client: Awaited<ReturnType<typeof connect>> | undefined;
    before(async function () {
      requireRedis(this, ["redis-server"]);
      server = await startRedisServer({ args: ["--rename-command", "PEXPIRETIME", ""] });
      client = await connect(server.url);
    });
    after(async () => {
      await client?.close();
      await server?.stop();
    });

    it("delete: the marker still expires with the session, and a later save leaves it gone", async () => {
      const redis = client as NonNullable<typeof client>;
      const store = new RedisStore(redis);
      const ttlMs = 60_000;
      await store.save("token", bytes(1), new Date(Date.now() + ttlMs));
      const sentMs = Date.now();
      await store.delete("token");
      expect(await redis.hGetAll("scs:session:token")).to.deep.equal({ deleted: "1" });
      const leftMs = await redis.pTTL("scs:session:token");
      // Left to the marker: the session's time left (less the time since the save), never more.
      expect(leftMs)
        .to.be.at.most(ttlMs)
        .and.above(ttlMs - (Date.now() - sentMs) - 1_000);
      await store.save("token", bytes(2), new Date(Date.now() + ttlMs));
      expectMissing(await store.find("token"));
      await store.save("other", bytes(3), new Date(Date.now() + ttlMs));
      expectFound(await store.find("other"), bytes(3));
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
