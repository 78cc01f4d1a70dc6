import {
  assertToken,
  checkNumber,
  checkSaveArguments,
  checkTouchArguments,
  describeValue,
  MAX_TIMER_DELAY_MS,
} from "../../arguments";
import { type FindResult, type IterableStore, MISSING } from "../../store";
import type { RedisStoreClient } from "./client-types";
import { connectionOf } from "./connect";
import type { RedisConnection } from "./redis-connection";

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * Put before every token to make its key. Default: `"scs:session:"`. May be empty. On a
   * cluster, braces in it (`{…}`) would be a hash tag that puts every session in one slot.
   */
  prefix?: string;
  /** How many keys `all` asks SCAN for in each batch: an integer of 1 or more. Default: `100`. */
  scanCount?: number;
  /**
   * How long, in milliseconds, a call waits for a connection when the client has none (it is
   * reconnecting, or the cluster node holding the key is down) before it rejects with a
   * {@link RedisOfflineError}. Its command is then dropped unsent, so it never lands later to undo
   * a newer call. An integer from 1 to 2_147_483_647. Default: `5_000`.
   */
  offlineTimeoutMs?: number;
}

/**
 * A session store on Redis, with the same contract as {@link MemStore}, for servers that run more
 * than one process or must keep sessions across restarts. Each session is one Redis string at
 * `prefix + token`, holding the bytes as they are, with its expiry held by Redis itself.
 *
 * It works on a single Redis, and on a Redis Cluster, through any of these clients, recognised by
 * their shape: a node-redis client, client pool or cluster (`createClient`, `createClientPool`,
 * `createCluster` of `redis` 5 or 6), or an ioredis `Redis` or `Cluster` (`ioredis` 5 or 6).
 * `find`, `save`, `delete` and `touch` are one single-key command each, sent to the master that
 * holds the key (on a cluster, never to a replica, so a `find` right after a `save` sees it).
 *
 * The caller owns the client: connect it before use and quit it after; RedisStore opens no
 * connection of its own. Keys outside the prefix are never read, listed or changed. Every method
 * answers with a Promise; a Redis failure rejects with the client's error, and since each call is
 * one Redis command, nothing is ever half-written. A call that finds no connection waits at most
 * `offlineTimeoutMs`, then rejects with a {@link RedisOfflineError}, its command never sent.
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { RedisStore } from "scs-memstore/redis";
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = new RedisStore(client, { prefix: "scs:session:" });
 * await store.save("token", new Uint8Array([1, 2, 3]), new Date(Date.now() + 60_000));
 * console.log(await store.find("token")); // { exists: true, data: <Buffer 01 02 03> }
 * await client.quit();
 * ```
 */
export class RedisStore implements IterableStore {
  /** The key prefix in use. */
  readonly prefix: string;
  private readonly connection: RedisConnection;
  private readonly scanCount: string;

  /**
   * @param client - A connected client: node-redis client, pool or cluster, or ioredis `Redis` or
   *   `Cluster`. It may also be reconnecting, or (ioredis) not yet connected with `lazyConnect`.
   *   An ioredis client must be made with `enableOfflineQueue: false` (and a `Redis` with
   *   `autoResendUnfulfilledCommands: false` too): with its defaults, ioredis keeps a command made
   *   as the connection drops and sends it once Redis is back, so the call hangs until then and a
   *   save lands over newer ones.
   * @param options - See {@link RedisStoreOptions}.
   * @throws TypeError when `client` is none of those clients, is an ioredis client made without
   *   the options above, or is an ioredis `Cluster` with `scaleReads` other than `"master"`; or
   *   when `prefix` is not a string or `scanCount` or `offlineTimeoutMs` is not a number.
   * @throws RangeError when `scanCount` is not an integer of 1 or more, or `offlineTimeoutMs` not
   *   an integer from 1 to 2_147_483_647.
   */
  constructor(client: RedisStoreClient, options: RedisStoreOptions = {}) {
    const { prefix = "scs:session:", scanCount = 100, offlineTimeoutMs = 5_000 } = options;
    if (typeof prefix !== "string") {
      throw new TypeError(`Expected \`prefix\` to be a string, got ${describeValue(prefix)}`);
    }
    this.scanCount = String(checkNumber(scanCount, "scanCount", { min: 1 }));
    checkNumber(offlineTimeoutMs, "offlineTimeoutMs", { min: 1, max: MAX_TIMER_DELAY_MS });
    this.connection = connectionOf(client, offlineTimeoutMs);
    this.prefix = prefix;
  }

  /**
   * Looks up a session: one `GET`.
   *
   * @returns `{ exists: true, data }` with a copy of the stored bytes while the session is live;
   *   `{ exists: false, data: undefined }` for an unknown, deleted or expired token.
   * @throws TypeError (as a rejection, before anything is sent) when `token` is not a non-empty
   *   string of well-formed Unicode.
   */
  async find(token: string): Promise<FindResult> {
    assertToken(token);
    const stored = await this.connection.get(this.prefix + token);
    // Replies are views into the socket's read buffer: copy, so a kept session does not pin it.
    return stored === null ? MISSING : { exists: true, data: Buffer.from(stored) };
  }

  /**
   * Stores a session until `expiry`, replacing any stored under `token`: one `SET ... PXAT`. An
   * expiry that is not after the current time deletes the key instead (one `DEL`).
   *
   * Redis keeps a key until its clock is past the expiry; the key is given `expiry - 1 ms`, so that
   * the session is gone at `expiry`, as in every store of this package. Redis deletes a key at once
   * when the time it is given is not after its own clock, so an expiry 2 ms away or less (the
   * millisecond may turn before Redis runs the command) is given as it is: the session is then
   * kept up to 1 ms late rather than lost while live. The expiry is absolute, so the clocks of the
   * Redis server and of this process should agree (NTP).
   *
   * @throws TypeError or RangeError (as a rejection, before anything is sent) for the same bad
   *   arguments as {@link MemStore.save}.
   */
  async save(token: string, data: Uint8Array, expiry: Date): Promise<void> {
    const expiryMs = checkSaveArguments(token, data, expiry);
    const key = this.prefix + token;
    const nowMs = Date.now();
    if (expiryMs <= nowMs) {
      await this.connection.del(key);
      return;
    }
    // A copy: clients write queued commands on a later tick, after the caller may have changed
    // its array.
    const bytes = Buffer.from(data);
    await this.connection.set(key, bytes, redisExpiryOf(expiryMs, nowMs));
  }

  /**
   * Removes a session: one `DEL`. Deleting an unknown or expired token does nothing.
   *
   * @throws TypeError (as a rejection, before anything is sent) when `token` is not a non-empty
   *   string of well-formed Unicode.
   */
  async delete(token: string): Promise<void> {
    assertToken(token);
    await this.connection.del(this.prefix + token);
  }

  /**
   * Moves a live session's expiry to `expiry` without reading or rewriting its data: one
   * `PEXPIREAT`, with the same `expiry - 1 ms` as {@link RedisStore.save} (and the same rule for an
   * expiry 2 ms away or less, so a session never answered `true` is already gone). An expiry that
   * is not after the current time deletes the key instead (one `DEL`).
   *
   * @returns `true` when the session was live and now expires at `expiry`; `false` for an unknown,
   *   deleted or expired token (which stays gone) and for an expiry that removed the session.
   * @throws TypeError or RangeError (as a rejection, before anything is sent) for a bad `token` or
   *   `expiry`, as {@link RedisStore.save}.
   */
  async touch(token: string, expiry: Date): Promise<boolean> {
    const expiryMs = checkTouchArguments(token, expiry);
    const key = this.prefix + token;
    const nowMs = Date.now();
    if (expiryMs <= nowMs) {
      await this.connection.del(key);
      return false;
    }
    return this.connection.pexpireAt(key, redisExpiryOf(expiryMs, nowMs));
  }

  /**
   * Lists the live sessions under the prefix, with `SCAN ... MATCH prefix*` in batches of
   * `scanCount` keys (never `KEYS`). On a single server: one `MGET` per batch. On a cluster: a
   * SCAN walk of every master, and one `GET` per key, routed by the client; no command spans two
   * slots. Sessions that expire during the walk are left out.
   *
   * On a cluster that is resharding, a key that moves between masters during the walk can be
   * missed (the walk is a snapshot per master, not of the cluster).
   *
   * @returns A new `Map` from token to a copy of the session's bytes.
   */
  async all(): Promise<Map<string, Uint8Array>> {
    const sessions = new Map<string, Uint8Array>();
    await this.connection.scan(this.prefix, this.scanCount, (key, value) => {
      sessions.set(key.slice(this.prefix.length), Buffer.from(value));
    });
    return sessions;
  }
}

/**
 * The time, in ms since the epoch, to give Redis for a session that expires at `expiryMs` (after
 * `nowMs`): see {@link RedisStore.save}.
 */
function redisExpiryOf(expiryMs: number, nowMs: number): string {
  return String(expiryMs - 1 > nowMs + 1 ? expiryMs - 1 : expiryMs);
}
