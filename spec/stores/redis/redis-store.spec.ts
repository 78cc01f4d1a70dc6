import { install } from "@sinonjs/fake-timers";
import { expect } from "chai";
import { RedisStore, type RedisStoreClient, type RedisStoreOptions } from "../../../src/redis";
import {
  EXPIRY_IF_OWNED,
  INDEX,
  INDEXED,
  SAVE,
  SAVE_INDEXED,
  type Script,
  TOUCH,
} from "../../../src/stores/redis/scripts";
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

const ONE_DAY_MS = 86_400_000;

/** One script call a stub client was sent: the script, its keys and its arguments. */
interface SentScript {
  readonly script: string;
  readonly keys: string[];
  readonly args: string[];
}

const SCRIPT_NAMES = new Map<string, string>(
  (
    Object.entries({ EXPIRY_IF_OWNED, INDEX, INDEXED, SAVE, SAVE_INDEXED, TOUCH }) as [
      string,
      Script,
    ][]
  ).map(([name, script]) => [script.sha, name]),
);

/** A script call as EVALSHA's arguments after its name: sha, key count, keys, arguments. */
function sentScript(args: readonly (string | Buffer)[]): SentScript {
  const [sha, count, ...rest] = args.map(String);
  const keyCount = Number(count);
  return {
    script: SCRIPT_NAMES.get(sha as string) ?? (sha as string),
    keys: rest.slice(0, keyCount),
    args: rest.slice(keyCount),
  };
}

/**
 * A node-redis client's shape that answers each script call with `answer` (by the script's name,
 * as in {@link SCRIPT_NAMES}, and its first key), and records them all.
 */
function stubClient(answer: (call: SentScript) => unknown) {
  const sent: SentScript[] = [];
  const client = {
    sendCommand: async (args: (string | Buffer)[]) => {
      const call = sentScript(args.slice(1));
      sent.push(call);
      return answer(call);
    },
  };
  return { client: client as unknown as RedisStoreClient, sent };
}

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

    it("constructor: a bad prefix, scanCount, offlineTimeoutMs or commandTimeoutMs is an error naming it", async () => {
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
      await expectFailure(
        () => new RedisStore(client, null as unknown as RedisStoreOptions),
        TypeError,
        /`options`.*got `null`/,
      );
      await expectFailure(
        () => new RedisStore(client, { commandTimeoutMs: "5" as unknown as number }),
        TypeError,
        /`commandTimeoutMs`.*number/,
      );
      for (const commandTimeoutMs of [0, -1, 2.5, 2 ** 31 - 5_000, Number.NaN]) {
        await expectFailure(
          () => new RedisStore(client, { commandTimeoutMs }),
          RangeError,
          /`commandTimeoutMs`.*from 1 to 2147478647.*got/,
        );
      }
      expect(new RedisStore(client, { commandTimeoutMs: 2 ** 31 - 1 - 5_000 })).to.be.instanceOf(
        RedisStore,
      );
    });

    it("constructor: the prefix defaults to scs:session:", () => {
      expect(new RedisStore(redis.client()).prefix).to.equal("scs:session:");
    });

    it("constructor: an ownerPrefix that is not a string is a TypeError naming it", async () => {
      await expectFailure(
        () => new RedisStore(redis.client(), { ownerPrefix: 1 as unknown as string }),
        TypeError,
        /^Expected `ownerPrefix` to be a string, got `1` \(number\)$/,
      );
    });

    it("constructor: an ownerPrefix and a prefix that start with one another are a RangeError naming both", async () => {
      for (const [prefix, ownerPrefix] of [
        ["a:", "a:b:"],
        ["a:b:", "a:"],
        ["same:", "same:"],
        ["", "o:"],
      ] as const) {
        await expectFailure(
          () => new RedisStore(redis.client(), { prefix, ownerPrefix }),
          RangeError,
          new RegExp(
            "^Expected `ownerPrefix` and `prefix` not to start with one another, " +
              `got \`'${ownerPrefix}'\` \\(string\\) and \`'${prefix}'\` \\(string\\)$`,
          ),
        );
      }
      // One may end with the other.
      for (const [prefix, ownerPrefix] of [
        ["s:", "o:s:"],
        ["o:s:", "s:"],
      ] as const) {
        expect(new RedisStore(redis.client(), { prefix, ownerPrefix }).ownerPrefix).to.equal(
          ownerPrefix,
        );
      }
    });

    it("constructor: ownerPrefix defaults to scs:owner:, or to no owner index when that overlaps the prefix", () => {
      expect(new RedisStore(redis.client()).ownerPrefix).to.equal("scs:owner:");
      expect(new RedisStore(redis.client(), { prefix: "app:" }).ownerPrefix).to.equal("scs:owner:");
      for (const prefix of ["", "scs:", "scs:owner:sessions:"]) {
        expect(new RedisStore(redis.client(), { prefix }).ownerPrefix, prefix).to.equal(undefined);
      }
    });

    it("owner index: a store without one rejects any owner with a TypeError saying why, nothing written", async () => {
      const client = redis.client();
      await client.flushDb();
      const store = new RedisStore(client, { prefix: "" });
      const why =
        /^Expected a store with an owner index for `owner` `'alice'` \(string\): its prefix `''` \(string\) overlaps the default `ownerPrefix`, so set one$/;
      await expectFailure(
        () => store.save("t", bytes(1), new Date(Date.now() + 60_000), "alice"),
        TypeError,
        why,
      );
      await expectFailure(() => store.sessionsOf("alice"), TypeError, why);
      await expectFailure(() => store.deleteSessionsOf("alice"), TypeError, why);
      expect(await client.dbSize()).to.equal(0);
      await store.save("t", bytes(1), new Date(Date.now() + 60_000));
      expectFound(await store.find("t"), bytes(1));
    });
  });

  describe("expiries as Redis holds them", () => {
    const redis = useRedisServer();
    // The store's clock is stopped an hour ahead of Redis's, so that an expiry "now" to the
    // store is still an hour away to Redis: what the store sends is all that decides whether
    // Redis keeps the key.
    const nowMs = Date.now() + 3_600_000;
    let clock: ReturnType<typeof install> | undefined;
    beforeEach(async () => {
      await redis.client().flushDb();
      clock = install({ now: nowMs, toFake: ["Date"] });
    });
    afterEach(() => clock?.uninstall());

    it("save, touch: an expiry at the current time removes the session", async () => {
      const client = redis.client();
      const store = new RedisStore(client);
      await store.save("saved", bytes(1), new Date(nowMs + 60_000));
      await store.save("saved", bytes(2), new Date(nowMs));
      expect(await client.exists("scs:session:saved")).to.equal(0);
      await store.save("touched", bytes(1), new Date(nowMs + 60_000));
      expect(await store.touch("touched", new Date(nowMs))).to.equal(false);
      expect(await client.exists("scs:session:touched")).to.equal(0);
    });

    it("save with an owner: the index entry is scored past the expiry by the time to it, a day at most, and the index kept 60 s past its top score", async () => {
      const client = redis.client();
      const store = new RedisStore(client);
      const soon = nowMs + 60_000;
      await store.save("soon", bytes(1), new Date(soon), "alice");
      expect(Number(await client.zScore("scs:owner:alice", "soon"))).to.equal(soon + 60_000);
      expect(await client.hmGet("scs:session:soon", ["expires", "indexed"])).to.deep.equal([
        String(soon),
        String(soon + 60_000),
      ]);
      expect(await client.pExpireTime("scs:owner:alice")).to.equal(soon + 120_000);
      const far = nowMs + 10 * ONE_DAY_MS;
      await store.save("far", bytes(2), new Date(far), "alice");
      expect(Number(await client.zScore("scs:owner:alice", "far"))).to.equal(far + ONE_DAY_MS);
      expect(await client.pExpireTime("scs:owner:alice")).to.equal(far + ONE_DAY_MS + 60_000);
    });
  });

  describe("on a stub client: what the store makes of the replies", () => {
    it("touch: an owner that changed is indexed before the session is touched again, and so on", async () => {
      let owners = ["alice", "bob"];
      const { client, sent } = stubClient(({ script }) => {
        if (script !== "TOUCH") return 1;
        const [owner, ...rest] = owners;
        owners = rest;
        return owner === undefined ? 1 : [owner];
      });
      const store = new RedisStore(client);
      expect(await store.touch("t", new Date(Date.now() + 60_000))).to.equal(true);
      expect(sent.map((c) => [c.script, ...c.keys])).to.deep.equal([
        ["TOUCH", "scs:session:t"],
        ["INDEX", "scs:owner:alice"],
        ["TOUCH", "scs:session:t"],
        ["INDEX", "scs:owner:bob"],
        ["TOUCH", "scs:session:t"],
      ]);
      // Each touch after an index names the owner indexed and the score written.
      const [, aliceIndexed, aliceTouch, bobIndexed, bobTouch] = sent;
      expect(aliceTouch?.args.slice(2)).to.deep.equal(["alice", aliceIndexed?.args[1]]);
      expect(bobTouch?.args.slice(2)).to.deep.equal(["bob", bobIndexed?.args[1]]);
    });

    it("touch: an owner that keeps changing is followed five times, then the touch rejects naming the token", async () => {
      const { client, sent } = stubClient(({ script }) => (script === "TOUCH" ? ["bob"] : 1));
      const store = new RedisStore(client);
      await expectFailure(
        () => store.touch("t", new Date(Date.now() + 60_000)),
        Error,
        /^The owner of session `'t'` \(string\) kept changing during touch$/,
      );
      expect(sent.filter((c) => c.script === "INDEX")).to.have.length(5);
      expect(sent.filter((c) => c.script === "TOUCH")).to.have.length(6);
    });

    it("sessionsOf: a session whose expiry is the current time is left out", async () => {
      const nowMs = Date.now();
      const expiries: Record<string, string | null> = {
        "scs:session:now": String(nowMs),
        "scs:session:later": String(nowMs + 1),
        "scs:session:gone": null,
      };
      const { client } = stubClient(({ script, keys }) =>
        script === "INDEXED" ? ["now", "later", "gone"] : expiries[keys[0] as string],
      );
      const clock = install({ now: nowMs, toFake: ["Date"] });
      try {
        expect(await new RedisStore(client).sessionsOf("alice")).to.deep.equal([
          { token: "later", expiry: new Date(nowMs + 1) },
        ]);
      } finally {
        clock.uninstall();
      }
    });

    it("find, delete, sessionsOf and a save that removes send the key and nothing more: no bytes", async () => {
      const { client, sent } = stubClient(({ script }) => (script === "INDEXED" ? [] : null));
      const store = new RedisStore(client);
      await store.find("t");
      await store.delete("t");
      await store.sessionsOf("alice");
      await store.save("t", bytes(1, 2, 3), new Date(Date.now() - 1));
      expect(sent.map((c) => [c.keys, c.args])).to.deep.equal([
        [["scs:session:t"], []],
        [["scs:session:t"], []],
        [["scs:owner:alice"], []],
        [["scs:session:t"], ["", ""]],
      ]);
    });

    it("save with an owner on a cluster: the index by a script on its own key first, then the session", async () => {
      const sent: SentScript[] = [];
      const cluster = {
        slots: [],
        nodeClient: () => ({ sendCommand: async () => null }),
        sendCommand: async (_key: unknown, _isReadonly: unknown, args: (string | Buffer)[]) => {
          sent.push(sentScript(args.slice(1)));
          return 1;
        },
      };
      const store = new RedisStore(cluster as unknown as RedisStoreClient);
      await store.save("t", bytes(1), new Date(Date.now() + 60_000), "alice");
      expect(sent.map((c) => [c.script, ...c.keys])).to.deep.equal([
        ["INDEX", "scs:owner:alice"],
        ["SAVE", "scs:session:t"],
      ]);
      expect(sent[1]?.args.slice(2, 3)).to.deep.equal(["alice"]);
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
