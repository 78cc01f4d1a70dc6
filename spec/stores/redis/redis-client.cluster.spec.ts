import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { RedisStore } from "../../../src/redis";
import { inMs } from "../../../src/testing/real-time";
import { CLIENT_KINDS, type ClientKind, type Connected } from "../../support/redis-clients";
import { useRedisCluster } from "../../support/redis-cluster";
import {
  callsOn,
  eventually,
  expectNoCallOutlivesItsConnection,
  IOREDIS_REDIRECTIONS,
  IOREDIS_RETRY_DELAY_MS,
  OFFLINE_TIMEOUT_MS,
  SLACK_MS,
  settleAll,
  timerChainMs,
} from "../../support/redis-outage";
import { connect, requireRedis } from "../../support/redis-server";
import { bytes, expectFound, expectMissing } from "../store-contract";

// A file of its own, so that mocha's workers can run these beside the single-server outages.
describe("RedisStore clients", function () {
  this.timeout(60_000);

  describe("when Redis goes down", () => {
    before(function () {
      requireRedis(this, ["redis-server", "redis-cli"]);
    });

    describe("on a Redis Cluster of 3 masters", () => {
      const cluster = useRedisCluster({ nodeTimeoutMs: 1_000 });

      /** Two tokens of `kind`'s own: one whose key is on the master at `port`, one elsewhere. */
      async function tokensAround(
        kind: ClientKind,
        port: number,
      ): Promise<[on: string, off: string]> {
        let on: string | undefined;
        let off: string | undefined;
        for (let i = 0; on === undefined || off === undefined; i++) {
          const token = `${kind.name} ${i}`;
          const master = await cluster().masterOf(`scs:session:${token}`);
          if (master.port === port) on ??= token;
          else off ??= token;
        }
        return [on, off];
      }

      for (const kind of CLIENT_KINDS.filter((k) => k.cluster)) {
        it(`${kind.name}: calls made as every node goes down settle in bounded time, and none lands once the cluster is back`, async () => {
          await cluster().flush();
          const { client, close }: Connected = await kind.connect(cluster().masterPorts);
          try {
            const store = new RedisStore(client, { offlineTimeoutMs: OFFLINE_TIMEOUT_MS });
            await expectNoCallOutlivesItsConnection(
              store,
              "token",
              async () => {
                for (const node of cluster().nodes) await node.stop();
              },
              async () => {
                for (const node of cluster().nodes) await node.start();
              },
              async (key, value) => {
                const master = await cluster().masterOf(key);
                const raw = await connect(`redis://127.0.0.1:${master.port}`);
                await raw.set(key, value);
                await raw.quit();
              },
            );
          } finally {
            await close();
            for (const node of cluster().nodes) await node.start();
          }
        });

        it(`${kind.name}: a master going down, then every node, makes calls reject in bounded time, unsent; once the client has reconnected, the store works`, async () => {
          await cluster().flush();
          const [down] = cluster().nodes;
          const { client, close }: Connected = await kind.connect(cluster().masterPorts);
          try {
            const store = new RedisStore(client, { offlineTimeoutMs: OFFLINE_TIMEOUT_MS });
            const [onDown, elsewhere] = await tokensAround(kind, down?.port as number);
            await store.save(elsewhere, bytes(1), inMs(60_000));

            await down?.stop();
            await sleep(100);
            // The key's master is gone: the call waits for it at most offlineTimeoutMs, or, once
            // ioredis has the command, as long as ioredis's own redirections take. Their timers
            // run late on a busy machine, so the bound is what the same chain of timers takes
            // here and now, run beside the calls.
            const chain = timerChainMs(IOREDIS_REDIRECTIONS, IOREDIS_RETRY_DELAY_MS);
            const settled = await settleAll([...callsOn(store, onDown), () => store.all()]);
            const boundMs = Math.max(OFFLINE_TIMEOUT_MS, await chain) + 2 * SLACK_MS;
            for (const { error, afterMs } of settled) {
              expect(error).to.be.instanceOf(Error);
              expect(afterMs).to.be.at.most(boundMs);
            }
            await down?.start();
            expectMissing(await eventually(() => store.find(onDown), 15_000));
            await store.save(onDown, bytes(3), inMs(60_000));
            expectFound(await store.find(onDown), bytes(3));
            expectFound(await store.find(elsewhere), bytes(1));

            for (const node of cluster().nodes) await node.stop();
            await sleep(100);
            for (const { error, afterMs } of await settleAll(callsOn(store, elsewhere))) {
              expect(error).to.be.instanceOf(Error);
              expect(afterMs).to.be.at.most(OFFLINE_TIMEOUT_MS + SLACK_MS);
            }
            for (const node of cluster().nodes) await node.start();
            expectMissing(await eventually(() => store.find(elsewhere), 15_000));
            await store.save(onDown, bytes(4), inMs(60_000));
            expectFound(await store.find(onDown), bytes(4));
            expect([...(await store.all()).keys()]).to.deep.equal([onDown]);
          } finally {
            await close();
            for (const node of cluster().nodes) await node.start();
          }
        });
      }
    });
  });
});
