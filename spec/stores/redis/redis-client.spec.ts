import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { Cluster as IoCluster5, Redis as IoRedis5 } from "ioredis";
import { Cluster as IoCluster6, Redis as IoRedis6 } from "ioredis6";
import {
  RedisOfflineError,
  RedisStore,
  type RedisStoreClient,
  RedisTimeoutError,
} from "../../../src/redis";
import { inMs } from "../../../src/testing/real-time";
import { CLIENT_KINDS, type ClientKind, IOREDIS_NEEDS } from "../../support/redis-clients";
import {
  callsOn,
  eventually,
  expectNoCallOutlivesItsConnection,
  OFFLINE_TIMEOUT_MS,
  SLACK_MS,
  settleAll,
} from "../../support/redis-outage";
import {
  connect,
  type RedisServer,
  requireRedis,
  startRedisServer,
} from "../../support/redis-server";
import { bytes, expectFailure, expectFound, expectMissing } from "../store-contract";

describe("RedisStore clients", function () {
  this.timeout(60_000);

  describe("recognising the client", () => {
    it("constructor: a node-redis sentinel shape without _execute, whose sendCommand takes isReadonly first, is a TypeError naming `client`", async () => {
      const sentinel = { sendCommand: async () => null, getMasterNode: () => ({}) };
      await expectFailure(
        () => new RedisStore(sentinel as unknown as RedisStoreClient),
        TypeError,
        /`client`.*got/,
      );
    });

    for (const [version, Cluster] of [
      [5, IoCluster5],
      [6, IoCluster6],
    ] as const) {
      it(`constructor: an ioredis ${version} Cluster that reads replicas (scaleReads) is a TypeError naming \`client\``, async () => {
        for (const scaleReads of ["slave", "all", () => null] as const) {
          const cluster = new Cluster([{ port: 1 }], {
            lazyConnect: true,
            enableOfflineQueue: false,
            scaleReads,
          });
          await expectFailure(
            () => new RedisStore(cluster),
            TypeError,
            /`client` to read from masters.*`scaleReads`/,
          );
        }
        const masters = new Cluster([{ port: 1 }], {
          lazyConnect: true,
          enableOfflineQueue: false,
          scaleReads: "master",
        });
        expect(new RedisStore(masters).prefix).to.equal("scs:session:");
      });
    }

    type IoRedisOptions = {
      enableOfflineQueue?: boolean;
      autoResendUnfulfilledCommands?: boolean;
      sentinels?: { host: string; port: number }[];
      name?: string;
      role?: "master" | "slave";
    };
    for (const [version, redis, Cluster] of [
      [5, (options: IoRedisOptions) => new IoRedis5(options), IoCluster5],
      [6, (options: IoRedisOptions) => new IoRedis6(options), IoCluster6],
    ] as const) {
      const Redis = (options: IoRedisOptions) =>
        redis({ lazyConnect: true, ...options } as IoRedisOptions);
      it(`constructor: an ioredis ${version} client with an offline queue (its default) is a TypeError naming \`client\``, async () => {
        for (const client of [
          Redis({}),
          Redis({ autoResendUnfulfilledCommands: false }),
          new Cluster([{ port: 1 }], { lazyConnect: true }),
        ]) {
          await expectFailure(
            () => new RedisStore(client),
            TypeError,
            /`client` to reject the commands it cannot send.*`enableOfflineQueue: false`/,
          );
        }
      });

      it(`constructor: an ioredis ${version} Redis that resends unanswered commands (its default) is a TypeError naming \`client\``, async () => {
        const client = Redis({ enableOfflineQueue: false });
        await expectFailure(
          () => new RedisStore(client),
          TypeError,
          /`client` not to resend.*`autoResendUnfulfilledCommands: false`/,
        );
        const needed = Redis(IOREDIS_NEEDS);
        expect(new RedisStore(needed).prefix).to.equal("scs:session:");
      });

      it(`constructor: any number of stores on one ioredis ${version} Redis add one close listener to it`, () => {
        const client = Redis(IOREDIS_NEEDS);
        const before = client.listenerCount("close");
        const warnings: Error[] = [];
        const warned = (warning: Error) => warnings.push(warning);
        process.on("warning", warned);
        try {
          for (let i = 0; i < 20; i++) new RedisStore(client, { prefix: `app${i}:` });
        } finally {
          process.off("warning", warned);
        }
        expect(client.listenerCount("close")).to.equal(before + 1);
        expect(warnings.map(String)).to.deep.equal([]);
      });

      it(`constructor: an ioredis ${version} Redis that asks the sentinels for a replica (role) is a TypeError naming \`client\``, async () => {
        const sentinels = [{ host: "127.0.0.1", port: 1 }];
        const replica = Redis({ ...IOREDIS_NEEDS, sentinels, name: "m", role: "slave" });
        await expectFailure(
          () => new RedisStore(replica),
          TypeError,
          /`client` to connect to the master.*`role` `'slave'`/,
        );
        const master = Redis({ ...IOREDIS_NEEDS, sentinels, name: "m" });
        expect(new RedisStore(master).prefix).to.equal("scs:session:");
        // Without sentinels, role means nothing to ioredis.
        expect(new RedisStore(Redis({ ...IOREDIS_NEEDS, role: "slave" })).prefix).to.equal(
          "scs:session:",
        );
      });
    }
  });

  describe("node-redis Sentinel: what is sent again", () => {
    /**
     * A node-redis Sentinel client's shape, answering each command with the next of `answers`
     * (an Error is thrown). As node-redis does, `_execute` finds the master again and runs `fn`
     * again when `fn` throws a `READONLY` error, and throws any other error.
     */
    function stubSentinel(answers: unknown[]) {
      const sent: string[] = [];
      /** How many keys each command named: EVALSHA's second argument. */
      const keyCounts: string[] = [];
      const sentinel = {
        getMasterNode: () => ({ host: "127.0.0.1", port: 1 }),
        async _execute<T>(_isReadonly: unknown, fn: (client: unknown) => Promise<T>): Promise<T> {
          for (;;) {
            const client = {
              sendCommand: async (args: string[]) => {
                sent.push(String(args[0]));
                keyCounts.push(String(args[2]));
                const answer = answers.shift();
                if (answer instanceof Error) throw answer;
                return answer;
              },
            };
            try {
              return await fn(client);
            } catch (error) {
              if (!(error instanceof Error && error.message.startsWith("READONLY"))) throw error;
            }
          }
        },
      };
      return { store: new RedisStore(sentinel as unknown as RedisStoreClient), sent, keyCounts };
    }

    it("save: a READONLY answer (a master turned replica, the command not run) sends it again, to the new master", async () => {
      const readOnly = new Error("READONLY You can't write against a read only replica.");
      const { store, sent } = stubSentinel([readOnly, 1]);
      await store.save("token", bytes(1), inMs(60_000));
      expect(sent).to.deep.equal(["EVALSHA", "EVALSHA"]);
    });

    it("save: any other error (the command may have run) rejects, and nothing is sent again", async () => {
      const { store, sent } = stubSentinel([new Error("Socket closed unexpectedly"), 1]);
      await expectFailure(
        () => store.save("token", bytes(1), inMs(60_000)),
        Error,
        /Socket closed/,
      );
      expect(sent).to.deep.equal(["EVALSHA"]);
    });

    it("save with an owner: a server that refuses a script on two slots (CROSSSLOT, unrun) gets the index, then the session, from then on", async () => {
      const crossSlot = new Error("CROSSSLOT Keys in request don't hash to the same slot");
      const { store, keyCounts } = stubSentinel([crossSlot, 1, 1, 1, 1]);
      await store.save("token", bytes(1), inMs(60_000), "alice");
      await store.save("token", bytes(2), inMs(60_000), "alice");
      expect(keyCounts).to.deep.equal(["2", "1", "1", "1", "1"]);
    });

    it("save with an owner: any other error of the one script rejects, and nothing more is sent", async () => {
      const { store, keyCounts } = stubSentinel([new Error("OOM command not allowed"), 1, 1]);
      await expectFailure(
        () => store.save("token", bytes(1), inMs(60_000), "alice"),
        Error,
        /^OOM/,
      );
      expect(keyCounts).to.deep.equal(["2"]);
    });
  });

  describe("when Redis goes down", () => {
    /** How long a call waits for an answer once sent, in the specs of a server that hangs. */
    const COMMAND_TIMEOUT_MS = 300;

    before(function () {
      requireRedis(this, ["redis-server", "redis-cli"]);
    });

    /**
     * Stops the server under a connected store: calls reject within offlineTimeoutMs, and once
     * the server is back and the client has reconnected, the store works and the rejected save
     * has not landed.
     */
    async function expectOutageBounded(kind: ClientKind, options: Record<string, unknown> = {}) {
      let server: RedisServer = await startRedisServer();
      const { client, close } = await kind.connect([server.port], options);
      try {
        const store = new RedisStore(client, { offlineTimeoutMs: OFFLINE_TIMEOUT_MS });
        await store.save("kept", bytes(1), inMs(60_000));
        await server.stop();
        await sleep(100); // long enough for the client to see its connection close
        const settled = await settleAll([...callsOn(store, "late"), () => store.all()]);
        for (const { error, afterMs } of settled) {
          expect(error).to.be.instanceOf(RedisOfflineError);
          expect((error as RedisOfflineError).code).to.equal("ERR_REDIS_OFFLINE");
          expect(afterMs).to.be.at.most(OFFLINE_TIMEOUT_MS + SLACK_MS);
        }
        server = await startRedisServer({ port: server.port });
        // The rejected save was dropped: no queue sends it ahead of this once the client is back.
        expectMissing(await eventually(() => store.find("late"), 15_000));
        await store.save("after", bytes(3), inMs(60_000));
        expectFound(await store.find("after"), bytes(3));
      } finally {
        await close();
        await server.stop();
      }
    }

    for (const kind of CLIENT_KINDS.filter((k) => !k.cluster)) {
      it(`${kind.name}: calls to a server that hangs reject with RedisTimeoutError after offlineTimeoutMs + commandTimeoutMs; once it answers again, the store works`, async () => {
        const server = await startRedisServer();
        const { client, close } = await kind.connect([server.port]);
        try {
          const store = new RedisStore(client, {
            offlineTimeoutMs: OFFLINE_TIMEOUT_MS,
            commandTimeoutMs: COMMAND_TIMEOUT_MS,
          });
          await store.save("kept", bytes(1), inMs(60_000));
          server.freeze();
          const settled = await settleAll(callsOn(store, "late"));
          for (const { error, afterMs } of settled) {
            expect(error).to.be.instanceOf(RedisTimeoutError);
            expect((error as RedisTimeoutError).code).to.equal("ERR_REDIS_TIMEOUT");
            expect((error as RedisTimeoutError).waitedMs).to.equal(
              OFFLINE_TIMEOUT_MS + COMMAND_TIMEOUT_MS,
            );
            expect(afterMs).to.be.within(
              OFFLINE_TIMEOUT_MS + COMMAND_TIMEOUT_MS - 5,
              OFFLINE_TIMEOUT_MS + COMMAND_TIMEOUT_MS + SLACK_MS,
            );
          }
          server.thaw();
          expectFound(await eventually(() => store.find("kept"), 15_000), bytes(1));
          await store.save("after", bytes(3), inMs(60_000));
          expectFound(await store.find("after"), bytes(3));
        } finally {
          await close();
          await server.stop();
        }
      });

      it(`${kind.name}: calls while the server is down reject within offlineTimeoutMs, unsent; once the client has reconnected, the store works`, async () => {
        await expectOutageBounded(kind);
      });

      it(`${kind.name}: calls made as the server goes down settle in bounded time, and none lands once it is back`, async () => {
        let server: RedisServer = await startRedisServer();
        const { client, close } = await kind.connect([server.port]);
        try {
          const store = new RedisStore(client, { offlineTimeoutMs: OFFLINE_TIMEOUT_MS });
          await expectNoCallOutlivesItsConnection(
            store,
            "token",
            () => server.stop(),
            async () => {
              server = await startRedisServer({ port: server.port });
            },
            async (key, value) => {
              const raw = await connect(server.url);
              await raw.set(key, value);
              await raw.quit();
            },
          );
        } finally {
          await close();
          await server.stop();
        }
      });

      if (kind.library === "ioredis") {
        it(`${kind.name} with a shorter commandTimeout: a save it times out still never lands`, async () => {
          // ioredis rejects a command at its commandTimeout but keeps it queued, and sends it on
          // reconnection; RedisStore never hands it one while it has no connection.
          await expectOutageBounded(kind, { commandTimeout: OFFLINE_TIMEOUT_MS / 5 });
        });
      }
    }
  });
});
