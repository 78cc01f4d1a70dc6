// What the specs of Redis outages share: how calls are started and timed while Redis is down, and
// the bounds they are held to.
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "chai";
import type { RedisStore } from "../../src/redis";
import { inMs } from "../../src/testing/real-time";
import { bytes, expectFound } from "../stores/store-contract";

/** Short, so that the specs are: the default is 5 s. */
export const OFFLINE_TIMEOUT_MS = 500;
/** What a busy machine may add to a bound before a spec calls it broken. */
export const SLACK_MS = 1_000;

/** Starts every call at once; resolves with how each settled, and after how long. */
export async function settleAll(calls: (() => Promise<unknown>)[]) {
  const startedMs = Date.now();
  return Promise.all(
    calls.map((call) =>
      call().then(
        () => ({ error: undefined as unknown, afterMs: Date.now() - startedMs }),
        (error: unknown) => ({ error, afterMs: Date.now() - startedMs }),
      ),
    ),
  );
}

/**
 * ioredis Cluster's own schedule for a command whose master is down (its defaults): it tries the
 * slot again on another node up to `maxRedirections` (16) times, each `retryDelayOnFailover`
 * (100 ms) after the last.
 */
export const IOREDIS_REDIRECTIONS = 16;
export const IOREDIS_RETRY_DELAY_MS = 100;

/**
 * How long a chain of `count` timers of `delayMs` takes on this machine now, each set when the one
 * before fires: what a client's own retry schedule takes here, on a busy machine (where every
 * timer fires late) as on a quiet one.
 */
export async function timerChainMs(count: number, delayMs: number): Promise<number> {
  const startedMs = Date.now();
  for (let i = 0; i < count; i++) await sleep(delayMs);
  return Date.now() - startedMs;
}

/** Retries `call` until it resolves, for at most `withinMs`; resolves with its answer. */
export async function eventually<T>(call: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(50);
    }
  }
}

/** Every call of the store on `token`, each expected to fail while Redis is down. */
export function callsOn(store: RedisStore, token: string): (() => Promise<unknown>)[] {
  return [
    () => store.find(token),
    () => store.save(token, bytes(2), inMs(60_000)),
    () => store.touch(token, inMs(120_000)),
    () => store.delete(token),
  ];
}

/**
 * Saves under `token` every millisecond or so, from just before `stop` is called until 150 ms
 * after, so that some calls meet the connection as it closes. Checks that every call settles
 * within `offlineTimeoutMs` (and some slack), none left to the client. Then, once `restart` has
 * brought Redis back, another client writes a newer session under the token before the store's
 * client has reconnected: none of the calls the store has settled may land over it later.
 */
export async function expectNoCallOutlivesItsConnection(
  store: RedisStore,
  token: string,
  stop: () => Promise<void>,
  restart: () => Promise<void>,
  writeNewer: (key: string, value: string) => Promise<void>,
): Promise<void> {
  const calls: Promise<number>[] = [];
  const startedMs = Date.now();
  const stopped = stop();
  while (Date.now() - startedMs < 150) {
    const callMs = Date.now();
    const settledAfter = () => Date.now() - callMs;
    calls.push(
      store.save(token, bytes(calls.length % 250), inMs(60_000)).then(settledAfter, settledAfter),
    );
    await sleep(1);
  }
  await stopped;
  const boundMs = OFFLINE_TIMEOUT_MS + SLACK_MS;
  const settled = await Promise.race([Promise.all(calls), sleep(boundMs + 1_000, "unsettled")]);
  expect(settled, "every call settles, none waits for Redis to come back").not.to.equal(
    "unsettled",
  );
  for (const afterMs of settled as number[]) expect(afterMs).to.be.at.most(boundMs);

  await restart();
  await writeNewer(`scs:session:${token}`, "newer");
  expectFound(await eventually(() => store.find(token), 15_000), Buffer.from("newer"));
  await sleep(500); // what a client resends, it resends once reconnected
  expectFound(await store.find(token), Buffer.from("newer"));
}
