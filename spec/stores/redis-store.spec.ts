import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { RedisStore, type RedisStoreClient } from "../../src/redis";
import { Client as HttpClient, runExpressSpecs } from "../adapters/express-http";
import { startExampleServer, stopExampleServer } from "../support/example-process";
import { type Client, connect, startRedisServer, useRedisServer } from "../support/redis-server";
import {
  ALL_BYTE_VALUES,
  bytes,
  expectFailure,
  expectFound,
  expectMissing,
  runIterableStoreContract,
} from "./store-contract";

/** Redis keeps its own clock, so time is real: waits are short and edges get this much slack. */
const REAL_TIME_TOLERANCE_MS = 50;
const inMs = (ms: number): Date => new Date(Date.now() + ms);

/** A client that records every command before sending it. */
function recording(client: Client): RedisStoreClient & { commands: string[][] } {
  const commands: string[][] = [];
  return {
    commands,
    sendCommand: (args, options) => {
      commands.push(args.map(String));
      return client.sendCommand(args, options);
    },
  };
}

describe("RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  const redis = useRedisServer();

  const harness = async () => {
    await redis.client().flushDb();
    return {
      store: new RedisStore(redis.client()),
      toleranceMs: REAL_TIME_TOLERANCE_MS,
      advance: (ms: number) => sleep(ms),
      close: () => {},
    };
  };

  runIterableStoreContract("RedisStore", harness);
  runExpressSpecs("RedisStore", harness);

  describe("RedisStore", () => {
    let client: Client;
    beforeEach(async () => {
      client = redis.client();
      await client.flushDb();
    });

    describe("constructor", () => {
      it("constructor: a client without sendCommand is a TypeError naming `client`", async () => {
        for (const bad of [undefined, null, {}, "redis://localhost"]) {
          await expectFailure(
            () => new RedisStore(bad as RedisStoreClient),
            TypeError,
            /`client`.*got/,
          );
        }
      });

      it("constructor: a bad prefix or scanCount is an error naming it", async () => {
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
      });

      it("constructor: the prefix defaults to scs:session:", () => {
        expect(new RedisStore(client).prefix).to.equal("scs:session:");
      });
    });

    describe("keys and expiry", () => {
      it("save: one Redis string at prefix + token, holding the bytes as they are", async () => {
        await new RedisStore(client).save("token", ALL_BYTE_VALUES, inMs(60_000));
        const raw = await client.sendCommand(["GET", "scs:session:token"], {
          typeMapping: { 36: Buffer },
        });
        expect(Buffer.compare(raw as unknown as Buffer, ALL_BYTE_VALUES)).to.equal(0);
        expect(await client.type("scs:session:token")).to.equal("string");
      });

      it("save: Redis holds the expiry, 1 ms before the session's, so it is gone at its expiry", async () => {
        const expiry = inMs(60_000);
        await new RedisStore(client).save("token", bytes(1), expiry);
        expect(await client.pExpireTime("scs:session:token")).to.equal(expiry.getTime() - 1);
        const farFuture = new Date(8.64e15);
        await new RedisStore(client).save("far", bytes(1), farFuture);
        expect(await client.pExpireTime("scs:session:far")).to.equal(8.64e15 - 1);
      });

      it("save: a sub-second expiry expires on time in Redis itself", async () => {
        await new RedisStore(client).save("token", bytes(1), inMs(100));
        expect(await client.pTTL("scs:session:token")).to.be.within(1, 100);
        await sleep(100 + REAL_TIME_TOLERANCE_MS);
        expect(await client.exists("scs:session:token")).to.equal(0);
      });

      it("save: an expiry already past deletes the key and sets nothing", async () => {
        const store = recording(client);
        await new RedisStore(store).save("token", bytes(1), inMs(60_000));
        await new RedisStore(store).save("token", bytes(2), inMs(-1));
        expect(await client.exists("scs:session:token")).to.equal(0);
        expect(store.commands.map((c) => c[0])).to.deep.equal(["SET", "DEL"]);
      });

      it("bad arguments are rejected before anything is sent", async () => {
        const store = recording(client);
        const redisStore = new RedisStore(store);
        await expectFailure(() => redisStore.find(""), TypeError, /`token`/);
        await expectFailure(
          () => redisStore.save("t", "x" as unknown as Uint8Array, inMs(1)),
          TypeError,
          /`data`/,
        );
        await expectFailure(
          () => redisStore.save("t", bytes(1), new Date(Number.NaN)),
          RangeError,
          /`expiry`/,
        );
        await expectFailure(() => redisStore.delete("\uD800"), TypeError, /`token`/);
        expect(store.commands).to.deep.equal([]);
      });
    });

    describe("prefixes", () => {
      it("prefix: keys of other prefixes and other applications are never read, listed or changed", async () => {
        const others = {
          "app:user:1": "alice",
          "scs:session": "no colon",
          "scs:sessionX": "longer",
          "other:scs:session:a": "inner",
        };
        for (const [key, value] of Object.entries(others)) await client.set(key, value);
        const store = new RedisStore(client);
        await store.save("a", bytes(1), inMs(60_000));
        expect([...(await store.all()).keys()]).to.deep.equal(["a"]);
        expectMissing(await store.find("X"));
        await store.delete("a");
        for (const [key, value] of Object.entries(others))
          expect(await client.get(key)).to.equal(value);
      });

      it("prefix: glob characters in the prefix match only themselves in all()", async () => {
        const store = new RedisStore(client, { prefix: "s*[a]?\\:" });
        await store.save("mine", bytes(1), inMs(60_000));
        await client.set("sXXa!\\:theirs", "x");
        await client.set("s*a?\\:theirs", "x");
        expect([...(await store.all()).keys()]).to.deep.equal(["mine"]);
      });

      it("prefix: two prefixes in one Redis keep their sessions apart", async () => {
        const one = new RedisStore(client, { prefix: "one:" });
        const two = new RedisStore(client, { prefix: "two:" });
        await one.save("token", bytes(1), inMs(60_000));
        await two.save("token", bytes(2), inMs(60_000));
        expectFound(await one.find("token"), bytes(1));
        expectFound(await two.find("token"), bytes(2));
        await one.delete("token");
        expectFound(await two.find("token"), bytes(2));
      });
    });

    describe("all", () => {
      it("all: walks the prefix with SCAN in batches, never KEYS", async () => {
        const recorder = recording(client);
        const store = new RedisStore(recorder, { scanCount: 3 });
        for (let i = 0; i < 25; i++) await store.save(`s${i}`, bytes(i), inMs(60_000));
        recorder.commands.length = 0;
        const sessions = await store.all();
        expect(sessions.size).to.equal(25);
        expectFound({ exists: true, data: sessions.get("s24") as Uint8Array }, bytes(24));
        const names = recorder.commands.map((c) => c[0]);
        expect(names).not.to.include("KEYS");
        expect(names.filter((n) => n === "SCAN").length).to.be.greaterThan(1);
        expect(recorder.commands.find((c) => c[0] === "SCAN")).to.include.members([
          "MATCH",
          "scs:session:*",
          "COUNT",
          "3",
        ]);
      });
    });

    describe("failures", () => {
      it("a Redis server that goes down makes every method reject with the client's error", async () => {
        const doomed = await startRedisServer();
        const doomedClient = await connect(doomed.url);
        const store = new RedisStore(doomedClient);
        await store.save("token", bytes(1), inMs(60_000));
        await doomed.stop();
        for (const call of [
          () => store.find("token"),
          () => store.save("token", bytes(2), inMs(60_000)),
          () => store.delete("token"),
          () => store.all(),
        ]) {
          await expectFailure(call, Error, /./);
        }
        doomedClient.destroy();
      });
    });
  });

  describe("examples/server.ts with REDIS_URL", () => {
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
