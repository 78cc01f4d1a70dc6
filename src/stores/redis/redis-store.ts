import {
  assertToken,
  checkNumber,
  checkOptions,
  checkSaveArguments,
  checkTouchArguments,
  describeValue,
  isToken,
  MAX_TIMER_DELAY_MS,
} from "../../arguments";
import {
  type FindResult,
  type IterableStore,
  MISSING,
  type OwnedSession,
  type OwnerIndexedStore,
} from "../../store";
import {
  DELETE_FOUND,
  type DeleteFinding,
  type DeleteFound,
  MARK_MOVED,
  MAX_MOVES_FOLLOWED,
} from "../delete-found";
import type { RedisStoreClient } from "./client-types";
import { connectionOf } from "./connect";
import { boundedConnection, isCrossSlot, type RedisConnection } from "./redis-connection";
import {
  DELETE,
  EXPIRY_IF_OWNED,
  FIND,
  FOLLOW_MOVE,
  INDEX,
  INDEXED,
  MARK_MOVED_TO,
  SAVE,
  SAVE_INDEXED,
  TOUCH,
} from "./scripts";

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /**
   * Put before every token to make its key. May be empty. On a cluster, braces in it (`{…}`)
   * would be a hash tag that puts every session in one slot.
   *
   * @defaultValue `"scs:session:"`
   */
  prefix?: string;
  /**
   * Put before an owner to make the key of the owner's index (see {@link RedisStore.sessionsOf}).
   * Neither it nor `prefix` may start with the other, so that no token's key is an index. When it
   * is left out and the default overlaps `prefix` (an empty `prefix`, say), the store has no
   * owner index: saves with an owner, `sessionsOf` and `deleteSessionsOf` reject.
   *
   * @defaultValue `"scs:owner:"`
   */
  ownerPrefix?: string;
  /** How many keys `all` asks SCAN for in each batch: an integer of 1 or more. Default: `100`. */
  scanCount?: number;
  /**
   * How long, in milliseconds, a call waits for a connection when the client has none (it is
   * reconnecting, the cluster node holding the key is down, or the sentinels have not yet
   * promoted a replica in place of a master that died) before it rejects with a
   * {@link RedisOfflineError}. Its command is then dropped unsent, so it never lands later to undo
   * a newer call. An integer from 1 to 2_147_483_647. Default: `5_000`.
   */
  offlineTimeoutMs?: number;
  /**
   * How long, in milliseconds, a call waits for Redis's answer once it has a connection (a server
   * that hangs, a network that drops packets without closing the connection): a call that has not
   * settled within `offlineTimeoutMs + commandTimeoutMs` rejects with a {@link RedisTimeoutError},
   * so that no request waits on Redis for ever. Its command may have been sent, and may still
   * run. `all()` is not bounded: it walks the whole store. An integer from 1 to 2_147_483_647,
   * and with `offlineTimeoutMs` at most that. Default: `5_000`.
   */
  commandTimeoutMs?: number;
}

/**
 * A session store on Redis, with the same contract as {@link MemStore}, for servers that run more
 * than one process or must keep sessions across restarts. Each session is one key at
 * `prefix + token` (a Redis string holding the bytes as they are, or a hash when it has an
 * owner), with its expiry held by Redis itself; a deleted session leaves a marker there until its
 * own expiry, so that no save brings it back.
 *
 * It works on a single Redis, on Redis Sentinel and on a Redis Cluster, through any of these
 * clients, recognised by their shape: a node-redis client, client pool, cluster or Sentinel client
 * (`createClient`, `createClientPool`, `createCluster`, `createSentinel` of `redis` 5 or 6), or an
 * ioredis `Redis` (with `sentinels` or without) or `Cluster` (`ioredis` 5 or 6). `find`, `save`,
 * `delete` and `touch` are one Lua script each on the session's key alone, sent to the master
 * that holds the key (on Sentinel or a cluster, never to a replica, so a `find` right after a
 * `save` sees it). A save with an owner also enters the session in the owner's index: in the same
 * script on one server (client, pool, Sentinel), in one more script on the index's key on a
 * cluster, where the two keys are in different slots.
 *
 * The caller owns the client: connect it before use and close it after; RedisStore opens no
 * connection of its own. Keys outside the prefix are never read, listed or changed. Every method
 * answers with a Promise; a Redis failure rejects with the client's error, and since each call is
 * one script (on a cluster, a save with an owner is two, the index first), nothing is ever
 * half-written. A call that finds no connection waits at most
 * `offlineTimeoutMs`, then rejects with a {@link RedisOfflineError}, its command never sent; one
 * that Redis does not answer rejects after `offlineTimeoutMs + commandTimeoutMs` with a
 * {@link RedisTimeoutError}.
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
 * await client.close(); // node-redis 5 and 6 (`quit()` is deprecated); `destroy()` drops pending replies
 * ```
 */
export class RedisStore implements IterableStore, OwnerIndexedStore, DeleteFinding {
  /** The key prefix in use. */
  readonly prefix: string;
  /** The prefix of the owners' index keys; `undefined` when the store has no owner index. */
  readonly ownerPrefix: string | undefined;
  private readonly connection: RedisConnection;
  /** Whether the one server refused a script on keys of two slots (see `save`). */
  private crossSlotRefused = false;
  private readonly scanCount: string;

  /**
   * @param client - A connected client: node-redis client, pool, cluster or Sentinel client, or
   *   ioredis `Redis` (with `sentinels` or without) or `Cluster`. It may also be reconnecting, or
   *   (ioredis) not yet connected with `lazyConnect`.
   *   An ioredis client must be made with `enableOfflineQueue: false` (and a `Redis` with
   *   `autoResendUnfulfilledCommands: false` too): with its defaults, ioredis keeps a command made
   *   as the connection drops and sends it once Redis is back, so the call hangs until then and a
   *   save lands over newer ones.
   * @param options - See {@link RedisStoreOptions}.
   * @throws TypeError when `client` is none of those clients, is an ioredis client made without
   *   the options above, is an ioredis `Cluster` with `scaleReads` other than `"master"`, or is an
   *   ioredis `Redis` with `sentinels` and a `role` other than `"master"`; or
   *   when `prefix` or `ownerPrefix` is not a string or `scanCount`, `offlineTimeoutMs` or
   *   `commandTimeoutMs` is not a number.
   * @throws RangeError when `scanCount` is not an integer of 1 or more, `offlineTimeoutMs` not
   *   an integer from 1 to 2_147_483_647, `commandTimeoutMs` not an integer from 1 to
   *   2_147_483_647 less `offlineTimeoutMs`, or `ownerPrefix` is given and it or `prefix` starts
   *   with the other.
   */
  constructor(client: RedisStoreClient, options: RedisStoreOptions = {}) {
    checkOptions(options);
    const {
      prefix = "scs:session:",
      scanCount = 100,
      offlineTimeoutMs = 5_000,
      commandTimeoutMs = 5_000,
    } = options;
    const ownerPrefix = options.ownerPrefix ?? "scs:owner:";
    for (const [name, value] of [
      ["prefix", prefix],
      ["ownerPrefix", ownerPrefix],
    ] as const) {
      if (typeof value !== "string") {
        throw new TypeError(`Expected \`${name}\` to be a string, got ${describeValue(value)}`);
      }
    }
    const overlap = prefix.startsWith(ownerPrefix) || ownerPrefix.startsWith(prefix);
    if (overlap && options.ownerPrefix !== undefined) {
      throw new RangeError(
        "Expected `ownerPrefix` and `prefix` not to start with one another, got " +
          `${describeValue(ownerPrefix)} and ${describeValue(prefix)}`,
      );
    }
    this.ownerPrefix = overlap ? undefined : ownerPrefix;
    this.scanCount = String(checkNumber(scanCount, "scanCount", { min: 1 }));
    checkNumber(offlineTimeoutMs, "offlineTimeoutMs", { min: 1, max: MAX_TIMER_DELAY_MS });
    checkNumber(commandTimeoutMs, "commandTimeoutMs", {
      min: 1,
      max: MAX_TIMER_DELAY_MS - offlineTimeoutMs,
    });
    this.connection = boundedConnection(
      connectionOf(client, offlineTimeoutMs),
      offlineTimeoutMs + commandTimeoutMs,
    );
    this.prefix = prefix;
  }

  /**
   * Looks up a session: one script on its key.
   *
   * @returns `{ exists: true, data }` with a copy of the stored bytes while the session is live;
   *   `{ exists: false, data: undefined }` for an unknown, deleted or expired token.
   * @throws TypeError (as a rejection, before anything is sent) when `token` is not a non-empty
   *   string of well-formed Unicode.
   */
  async find(token: string): Promise<FindResult> {
    assertToken(token);
    const stored = await this.connection.evaluate(FIND, [this.prefix + token], [], true);
    // Replies are views into the socket's read buffer: copy, so a kept session does not pin it.
    return isBytes(stored) ? { exists: true, data: Buffer.from(stored) } : MISSING;
  }

  /**
   * Stores a session until `expiry`, replacing any stored under `token`, unless a delete left its
   * marker there (the call then changes nothing): one script on the session's key. An expiry
   * that is not after the current time removes the session instead (the marker, if any, stays).
   *
   * With `owner`, the session is also entered in the owner's index (see
   * {@link RedisStore.sessionsOf}): on one server, by the same script, so in the same round trip;
   * on a cluster (or behind a proxy that refuses a script on keys of two slots), first, by one
   * more script on the index's key, so that a live session is never missing from the index even
   * if the process stops between the two. Without an owner, a save costs nothing more.
   *
   * Redis keeps a key until its clock is past the expiry; the key is given `expiry - 1 ms`, so that
   * the session is gone at `expiry`, as in every store of this package. Redis deletes a key at once
   * when the time it is given is not after its own clock, so an expiry 2 ms away or less (the
   * millisecond may turn before Redis runs the command) is given as it is: the session is then
   * kept up to 1 ms late rather than lost while live. A command that reaches Redis later than
   * 1 ms before the expiry (a save or touch sent a few ms before it, on a slow network or a busy
   * server) removes the session at once, up to 1 ms early. The expiry is absolute, so the clocks
   * of the Redis server and of this process should agree (NTP).
   *
   * @param owner - The session's owner (typically a user id): a non-empty string of well-formed
   *   Unicode, or `undefined` for none.
   * @throws TypeError or RangeError (as a rejection, before anything is sent) for the same bad
   *   arguments as {@link MemStore.save}, and a TypeError naming `owner` for a bad owner, or for
   *   any owner when this store has no owner index (see {@link RedisStoreOptions.ownerPrefix}).
   */
  async save(token: string, data: Uint8Array, expiry: Date, owner?: string): Promise<void> {
    const expiryMs = checkSaveArguments(token, data, expiry);
    const ownerKey = owner === undefined ? undefined : this.ownerKeyOf(owner);
    const key = this.prefix + token;
    const nowMs = Date.now();
    if (expiryMs <= nowMs) {
      await this.connection.evaluate(SAVE, [key], [EMPTY, REMOVE]);
      return;
    }
    // A copy: clients write queued commands on a later tick, after the caller may have changed
    // its array.
    const bytes = Buffer.from(data);
    const redisExpiry = redisExpiryOf(expiryMs, nowMs);
    if (ownerKey === undefined) {
      await this.connection.evaluate(SAVE, [key], [bytes, redisExpiry]);
      return;
    }
    const score = indexScoreOf(expiryMs, nowMs);
    const args = [bytes, redisExpiry, owner as string, String(expiryMs), score];
    if (this.connection.oneServer && !this.crossSlotRefused) {
      // One server: the index entry and the session in one script, all or nothing.
      try {
        await this.connection.evaluate(
          SAVE_INDEXED,
          [key, ownerKey],
          [...args, token, INDEX_MARGIN_MS],
        );
        return;
      } catch (error) {
        // A proxy that shards the keys behind one address refuses it, unrun: two scripts then.
        if (!isCrossSlot(error)) throw error;
        this.crossSlotRefused = true;
      }
    }
    // The index first: a live session of the owner is never missing from it, even if this
    // process stops between the two calls.
    await this.index(ownerKey, token, score);
    await this.connection.evaluate(SAVE, [key], args);
  }

  /**
   * Removes a session for good: one script on its key, that puts a marker in place of the
   * session, which Redis expires when the session would have. Until then no save brings the
   * session back, and `find`, `touch` and `all` answer as for an unknown token. Deleting an
   * unknown, expired or already deleted token does nothing.
   *
   * @throws TypeError (as a rejection, before anything is sent) when `token` is not a non-empty
   *   string of well-formed Unicode.
   */
  async delete(token: string): Promise<void> {
    assertToken(token);
    await this.connection.evaluate(DELETE, [this.prefix + token], []);
  }

  /**
   * {@link RedisStore.delete}, answering what it found: see {@link DeleteFound}. A marker of a
   * move is followed to the token it moved to, one script on that key's slot a move. With
   * `movedTo`, the marker a live session leaves records a move to it (`""`: to a token not known
   * yet), in the same script, as {@link MARK_MOVED} does.
   */
  async [DELETE_FOUND](token: string, movedTo?: string): Promise<DeleteFound> {
    assertToken(token);
    if (movedTo !== undefined && movedTo !== "") assertToken(movedTo, "movedTo");
    const args = movedTo === undefined ? [] : ["", movedTo];
    let reply = await this.connection.evaluate(DELETE, [this.prefix + token], args);
    if (!Array.isArray(reply) && Number(reply) === 1) return "live";
    for (let moves = 0; moves < MAX_MOVES_FOLLOWED; moves++) {
      // A marker answers -1 (a session destroyed) or [movedTo]; anything else, 0.
      if (!Array.isArray(reply)) {
        if (Number(reply) === -1) return "deleted";
        return moves > 0 ? "moved" : "none";
      }
      const to = String(reply[0]);
      if (to === "") return "moved"; // to an ID its request has not made known yet
      reply = await this.connection.evaluate(FOLLOW_MOVE, [this.prefix + to], []);
    }
    return "deleted";
  }

  /**
   * Records that the session deleted under `token` was moved to `movedTo`: see
   * {@link MARK_MOVED}. One script on the key of `token`.
   */
  async [MARK_MOVED](token: string, movedTo: string): Promise<void> {
    assertToken(token);
    assertToken(movedTo, "movedTo");
    await this.connection.evaluate(MARK_MOVED_TO, [this.prefix + token], [movedTo]);
  }

  /**
   * Moves a live session's expiry to `expiry` without reading or rewriting its data: one script
   * on its key, with the same `expiry - 1 ms` as {@link RedisStore.save} (and the same rule for an
   * expiry 2 ms away or less, so a session never answered `true` is already gone). An expiry
   * that is not after the current time removes the session instead.
   *
   * A session with an owner is indexed up to a little past the expiry it was saved with (twice
   * as far away, at most a day more). A touch beyond that raises its index entry first: two
   * more scripts, about once per session lifetime for a session touched on every request.
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
      await this.connection.evaluate(TOUCH, [key], [REMOVE, String(expiryMs)]);
      return false;
    }
    const args = [redisExpiryOf(expiryMs, nowMs), String(expiryMs)];
    let reply = await this.connection.evaluate(TOUCH, [key], args);
    // The session has an owner and the expiry goes past its index entry: raise that first. A
    // save under another owner meanwhile asks again, for that owner.
    for (let tries = 0; Array.isArray(reply) && tries < MAX_OWNER_CHANGES; tries++) {
      const owner = String(reply[0]);
      const score = indexScoreOf(expiryMs, nowMs);
      await this.index(this.ownerKeyOf(owner), token, score);
      reply = await this.connection.evaluate(TOUCH, [key], [...args, owner, score]);
    }
    if (Array.isArray(reply)) {
      throw new Error(`The owner of session ${describeValue(token)} kept changing during touch`);
    }
    return Number(reply) === 1;
  }

  /**
   * Lists the live sessions of `owner`: one script on the owner's index (a sorted set at
   * `ownerPrefix + owner`, in its own slot), then one on each indexed session's key, in flight
   * together, that answers its expiry only while it is a live session of this owner. So a
   * session saved since under another owner, or none, or deleted, or expired, is left out, and
   * the cost grows with the owner's index, never with the whole store. Index entries of sessions
   * that are gone are dropped by the owner's later saves once past their time.
   *
   * @returns A new array of `{ token, expiry }`, in no particular order.
   * @throws TypeError (as a rejection, before anything is sent) when `owner` is not a non-empty
   *   string of well-formed Unicode, or this store has no owner index.
   */
  async sessionsOf(owner: string): Promise<OwnedSession[]> {
    const tokens = await this.indexed(owner);
    const expiries = await Promise.all(
      tokens.map((token) =>
        this.connection.evaluate(EXPIRY_IF_OWNED, [this.prefix + token], [owner]),
      ),
    );
    const nowMs = Date.now();
    const sessions: OwnedSession[] = [];
    tokens.forEach((token, i) => {
      const expiryMs = Number(expiries[i] ?? Number.NaN);
      if (expiryMs > nowMs) sessions.push({ token, expiry: new Date(expiryMs) });
    });
    return sessions;
  }

  /**
   * Deletes for good, as {@link RedisStore.delete}, every live session of `owner` but the one
   * named by `exceptToken`: one script on the owner's index, then one on each indexed session's
   * key, that deletes it only while it is a live session of this owner.
   *
   * @param exceptToken - A token to leave alone, such as the current request's session.
   * @returns How many sessions were deleted.
   * @throws TypeError (as a rejection, before anything is sent) when `owner` is not a non-empty
   *   string of well-formed Unicode, `exceptToken` is neither `undefined` nor a token, or this
   *   store has no owner index.
   */
  async deleteSessionsOf(owner: string, exceptToken?: string): Promise<number> {
    if (exceptToken !== undefined && !isToken(exceptToken)) {
      throw new TypeError(
        "Expected `exceptToken` to be undefined or a non-empty string of well-formed Unicode, " +
          `got ${describeValue(exceptToken)}`,
      );
    }
    const tokens = (await this.indexed(owner)).filter((token) => token !== exceptToken);
    const deleted = await Promise.all(
      tokens.map((token) => this.connection.evaluate(DELETE, [this.prefix + token], [owner])),
    );
    return deleted.filter((reply) => Number(reply) === 1).length;
  }

  /** The tokens in `owner`'s index. */
  private async indexed(owner: string): Promise<string[]> {
    const reply = await this.connection.evaluate(INDEXED, [this.ownerKeyOf(owner)], []);
    return (reply as unknown[]).map(String);
  }

  /** Enters `token` in the index at `ownerKey` with `score` (see {@link indexScoreOf}). */
  private async index(ownerKey: string, token: string, score: string): Promise<void> {
    await this.connection.evaluate(INDEX, [ownerKey], [token, score, INDEX_MARGIN_MS]);
  }

  /**
   * The key of `owner`'s index.
   *
   * @throws TypeError when `owner` is not a non-empty string of well-formed Unicode, or the store
   *   has no owner index.
   */
  private ownerKeyOf(owner: unknown): string {
    if (!isToken(owner)) {
      throw new TypeError(
        `Expected \`owner\` to be a non-empty string of well-formed Unicode, got ${describeValue(owner)}`,
      );
    }
    if (this.ownerPrefix === undefined) {
      throw new TypeError(
        `Expected a store with an owner index for \`owner\` ${describeValue(owner)}: its prefix ` +
          `${describeValue(this.prefix)} overlaps the default \`ownerPrefix\`, so set one`,
      );
    }
    return this.ownerPrefix + owner;
  }

  /**
   * Lists the live sessions under the prefix, with `SCAN ... MATCH prefix*` in batches of
   * `scanCount` keys (never `KEYS`). On a single server: one script per batch that reads every
   * key of it. On a cluster: a SCAN walk of every master, and one script per key, routed by the
   * client; no command spans two slots. Markers, keys that hold no session, and sessions that
   * expire during the walk are left out.
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

/** What save sends as bytes when it only removes: nothing is stored. */
const EMPTY = "";
/** Redis's expiry when the call removes the session. */
const REMOVE = "";
/** How many changes of owner during one touch it follows before giving up. */
const MAX_OWNER_CHANGES = 5;
/** The most an index entry is kept past its session's expiry, in ms (see `indexScoreOf`). */
const ONE_DAY_MS = 86_400_000;
/**
 * How long past its score an index entry is kept, in ms: a session may outlive its score by the
 * difference between the clocks of the two masters (its own and its index's).
 */
const INDEX_MARGIN_MS = "60000";

/**
 * The score of a session's entry in its owner's index: past `expiryMs`, so that touches up to it
 * need not raise it: twice as far from now, at most a day more.
 */
function indexScoreOf(expiryMs: number, nowMs: number): string {
  return String(expiryMs + Math.min(expiryMs - nowMs, ONE_DAY_MS));
}

function isBytes(reply: unknown): reply is Buffer {
  return Buffer.isBuffer(reply);
}
