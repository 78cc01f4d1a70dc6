import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import { RedisStore } from "../../../src/redis";
import { runExpressSpecs } from "../../adapters/express-http";
import { type Connected, SENTINEL_KINDS, type SentinelKind } from "../../support/redis-clients";
import { monitor } from "../../support/redis-monitor";
import { SENTINEL_MASTER_NAME, useRedisSentinelSet } from "../../support/redis-sentinel";
import { REAL_TIME_TOLERANCE_MS, redisExpiryOf } from "../../support/redis-server";
import { bytes, expectFound, expectMissing, runIterableStoreContract } from "../store-contract";
import { expectRoundTrip } from "./redis-store-on-kind";

const inMs = (ms: number): Date => new Date(Date.now() + ms);
/** Short, so that the failover spec is; the default is 5 s. */
const OFFLINE_TIMEOUT_MS = 1_000;
/** What a busy machine may add to a bound before a spec calls it broken. */
const SLACK_MS = 1_000;
/** How often the failover spec starts a save while the store has no master. */
const CALL_EVERY_MS = 50;
/** How long the sentinels may take to promote the replica, and the client to find it. */
const RECOVERY_WITHIN_MS = 20_000;

/** How one save made during a failover went. */
interface Attempt {
  readonly token: string;
  /** When it was made, in ms after the master was killed. */
  readonly madeMs: number;
  /** How long it took to settle. */
  readonly tookMs: number;
  readonly ok: boolean;
}

/**
 * Saves a new session every {@link CALL_EVERY_MS} from the moment the master is dead until one
 * succeeds, then waits for every save to settle: the store's calls while it has no master.
 */
async function saveThroughFailover(store: RedisStore, label: string): Promise<Attempt[]> {
  const killedMs = Date.now();
  const attempts: Promise<Attempt>[] = [];
  let recovered = false;
  while (!recovered && Date.now() - killedMs < RECOVERY_WITHIN_MS) {
    const token = `${label} during ${attempts.length}`;
    const madeMs = Date.now();
    const settle = (ok: boolean): Attempt => {
      recovered ||= ok;
      return { token, madeMs: madeMs - killedMs, tookMs: Date.now() - madeMs, ok };
    };
    attempts.push(
      store.save(token, bytes(attempts.length % 256), inMs(60_000)).then(
        () => settle(true),
        () => settle(false),
      ),
    );
    await sleep(CALL_EVERY_MS);
  }
  return Promise.all(attempts);
}

/** The shared suites a Sentinel spec file can run, each taking 15 to 20 s a client. */
export type SharedSuite = "contract" | "express";

/**
 * With `SCS_SENTINEL_SUITES=all` (run by hand), every shared suite runs on every Sentinel client:
 * what CI's time allows is one suite on one client a file.
 */
const EVERY_SUITE = process.env.SCS_SENTINEL_SUITES === "all";

/**
 * In a spec file: RedisStore over every Sentinel client of `library`, on one master, its replica
 * and three sentinels. Each client answers every method, reads on the master and nothing else;
 * the client of the current major runs the shared `suites` too (the store contract, or the
 * express-session HTTP specs). Then the master is killed under every client at once.
 */
export function describeSentinel(
  library: SentinelKind["library"],
  suites: readonly SharedSuite[],
): void {
  const kinds = SENTINEL_KINDS.filter((kind) => kind.library === library);
  describe(`RedisStore on Redis Sentinel (a master, a replica, three sentinels), ${library} clients`, function () {
    this.timeout(30_000);
    const connected = new Map<SentinelKind, Connected>();
    // Registered before the deployment's own, so that the clients close before the sentinels
    // stop (a node-redis 5 client left without sentinels prints its errors).
    after(async () => {
      for (const { close } of connected.values()) await close();
    });
    const set = useRedisSentinelSet();
    before(async function () {
      this.timeout(20_000);
      for (const kind of kinds) {
        connected.set(kind, await kind.connect(set().sentinelPorts, SENTINEL_MASTER_NAME));
      }
    });
    const clientOf = (kind: SentinelKind) => (connected.get(kind) as Connected).client;

    for (const kind of kinds) {
      describe(`RedisStore on ${kind.name}`, () => {
        const harness = async () => {
          await set().raw(["FLUSHALL"]);
          return {
            store: new RedisStore(clientOf(kind)),
            toleranceMs: REAL_TIME_TOLERANCE_MS,
            advance: (ms: number) => sleep(ms),
            close: () => {},
            expiryOf: (token: string) => redisExpiryOf((args) => set().raw(args), token),
          };
        };
        const runs = (suite: SharedSuite) =>
          EVERY_SUITE || (kind.current && suites.includes(suite));
        if (runs("contract")) runIterableStoreContract(`RedisStore on ${kind.name}`, harness);
        if (runs("express")) runExpressSpecs(`RedisStore on ${kind.name}`, harness);

        it("every method answers as the contract says: found, missing, touched or not, listed", async () => {
          await set().raw(["FLUSHALL"]);
          await expectRoundTrip(new RedisStore(clientOf(kind)));
        });

        it("find, save, all: every command goes to the master, none to the replica, and a find sees the save just before", async () => {
          const [masterPort, replicaPort] = set().dataPorts;
          const seen = await monitor([masterPort, replicaPort]);
          try {
            const store = new RedisStore(clientOf(kind));
            for (let i = 0; i < 20; i++) {
              await store.save(`t${i}`, bytes(i), inMs(60_000));
              expectFound(await store.find(`t${i}`), bytes(i));
            }
            expect((await store.all()).size).to.equal(20);
            const sent = (await seen.take()).filter((c) =>
              ["EVALSHA", "EVAL", "SCAN"].includes(c.name),
            );
            expect(sent.length).to.be.at.least(41);
            for (const { port, name } of sent) expect(port, name).to.equal(masterPort);
          } finally {
            await seen.stop();
          }
        });
      });
    }

    describe("when the master dies", () => {
      it(`once a sentinel has promoted the replica, every client's calls succeed again, each call in between settled within offlineTimeoutMs, and no save the replica had is lost`, async function () {
        this.timeout(RECOVERY_WITHIN_MS + 20_000);
        await set().raw(["FLUSHALL"]);
        const stores = kinds.map(
          (kind) => new RedisStore(clientOf(kind), { offlineTimeoutMs: OFFLINE_TIMEOUT_MS }),
        );
        for (const [i, store] of stores.entries()) {
          for (let j = 0; j < 20; j++) await store.save(`${i} before ${j}`, bytes(j), inMs(60_000));
        }
        // Replication is asynchronous: only what the replica has survives the master.
        await set().replicated();

        await set().killMaster();
        const attempts = await Promise.all(
          stores.map((store, i) => saveThroughFailover(store, String(i))),
        );
        await set().promoted(RECOVERY_WITHIN_MS);

        for (const [i, store] of stores.entries()) {
          const name = kinds[i]?.name;
          const made = attempts[i] as Attempt[];
          expect(
            made.some((attempt) => attempt.ok),
            `${name} recovers`,
          ).to.equal(true);
          for (const { madeMs, tookMs } of made) {
            expect(tookMs, `${name}: a save made ${madeMs} ms after the kill`).to.be.at.most(
              OFFLINE_TIMEOUT_MS + SLACK_MS,
            );
          }
          for (let j = 0; j < 20; j++) expectFound(await store.find(`${i} before ${j}`), bytes(j));
          // A save acknowledged during the failover is on the new master; a rejected one never
          // lands, not even once the client has found the new master.
          await sleep(500);
          for (const { token, ok } of made) {
            const found = await store.find(token);
            if (ok) expect(found.exists, `${name}: ${token} was acknowledged`).to.equal(true);
            else expectMissing(found);
          }
          await store.save(`${i} after`, bytes(1), inMs(60_000));
          expectFound(await store.find(`${i} after`), bytes(1));
        }
      });
    });
  });
}
