import { RESP_TYPES, type RedisArgument, type TypeMapping } from "redis";
import { assertToken, checkSaveArguments, checkTouchArguments, describeValue } from "../arguments";
import type { FindResult, IterableStore } from "../store";

const MISSING: FindResult = Object.freeze({ exists: false, data: undefined });
/** Bulk strings come back as Buffers, so any byte value survives. */
const AS_BUFFERS = { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } };

/**
 * What RedisStore needs of a client: a connected node-redis client (`createClient()` from
 * `redis`) or client pool. Cluster clients are not supported.
 */
export interface RedisStoreClient {
  /** node-redis's raw command call. */
  sendCommand(args: RedisArgument[], options?: { typeMapping?: TypeMapping }): Promise<unknown>;
}

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** Put before every token to make its key. Default: `"scs:session:"`. May be empty. */
  prefix?: string;
  /** How many keys `all` asks SCAN for in each batch: an integer of 1 or more. Default: `100`. */
  scanCount?: number;
}

/**
 * A session store on Redis, with the same contract as {@link MemStore}, for servers that run more
 * than one process or must keep sessions across restarts. Each session is one Redis string at
 * `prefix + token`, holding the bytes as they are, with its expiry held by Redis itself.
 *
 * The caller owns the client: connect it before use and quit it after; RedisStore opens no
 * connection of its own. Keys outside the prefix are never read, listed or changed. Every method
 * answers with a Promise; a Redis failure rejects with the client's error, and since each call is
 * one Redis command, nothing is ever half-written.
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
  private readonly client: RedisStoreClient;
  private readonly scanCount: string;
  private readonly keyPattern: string;

  /**
   * @param client - A connected node-redis client (or pool).
   * @param options - See {@link RedisStoreOptions}.
   * @throws TypeError when `client` has no `sendCommand` method, `prefix` is not a string or
   *   `scanCount` is not a number.
   * @throws RangeError when `scanCount` is not an integer of 1 or more.
   */
  constructor(client: RedisStoreClient, options: RedisStoreOptions = {}) {
    if (typeof (client as Partial<RedisStoreClient> | null)?.sendCommand !== "function") {
      throw new TypeError(
        `Expected \`client\` to be a node-redis client, got ${describeValue(client)}`,
      );
    }
    const { prefix = "scs:session:", scanCount = 100 } = options;
    if (typeof prefix !== "string") {
      throw new TypeError(`Expected \`prefix\` to be a string, got ${describeValue(prefix)}`);
    }
    if (typeof scanCount !== "number") {
      throw new TypeError(`Expected \`scanCount\` to be a number, got ${describeValue(scanCount)}`);
    }
    if (!Number.isSafeInteger(scanCount) || scanCount < 1) {
      throw new RangeError(
        `Expected \`scanCount\` to be an integer from 1 and up, got ${describeValue(scanCount)}`,
      );
    }
    this.client = client;
    this.prefix = prefix;
    this.scanCount = String(scanCount);
    this.keyPattern = `${prefix.replace(/[*?[\]\\]/g, "\\$&")}*`;
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
    const stored = await this.client.sendCommand(["GET", this.prefix + token], AS_BUFFERS);
    // Replies are views into the socket's read buffer: copy, so a kept session does not pin it.
    return stored === null ? MISSING : { exists: true, data: Buffer.from(stored as Buffer) };
  }

  /**
   * Stores a session until `expiry`, replacing any stored under `token`: one `SET ... PXAT`. An
   * expiry that is not after the current time deletes the key instead (one `DEL`).
   *
   * Redis keeps a key until its clock is past the expiry; the key is given `expiry - 1 ms`, so that
   * the session is gone at `expiry`, as in every store of this package. The expiry is absolute, so
   * the clocks of the Redis server and of this process should agree (NTP).
   *
   * @throws TypeError or RangeError (as a rejection, before anything is sent) for the same bad
   *   arguments as {@link MemStore.save}.
   */
  async save(token: string, data: Uint8Array, expiry: Date): Promise<void> {
    const expiryMs = checkSaveArguments(token, data, expiry);
    const key = this.prefix + token;
    if (expiryMs <= Date.now()) {
      await this.client.sendCommand(["DEL", key]);
      return;
    }
    // A copy: node-redis writes queued commands on a later tick, after the caller may have
    // changed its array.
    const bytes = Buffer.from(data);
    await this.client.sendCommand(["SET", key, bytes, "PXAT", String(expiryMs - 1)]);
  }

  /**
   * Removes a session: one `DEL`. Deleting an unknown or expired token does nothing.
   *
   * @throws TypeError (as a rejection, before anything is sent) when `token` is not a non-empty
   *   string of well-formed Unicode.
   */
  async delete(token: string): Promise<void> {
    assertToken(token);
    await this.client.sendCommand(["DEL", this.prefix + token]);
  }

  /**
   * Moves a live session's expiry to `expiry` without reading or rewriting its data: one
   * `PEXPIREAT`, with the same `expiry - 1 ms` as {@link RedisStore.save}. An expiry that is not
   * after the current time deletes the key instead (one `DEL`).
   *
   * @returns `true` when the session was live and now expires at `expiry`; `false` for an unknown,
   *   deleted or expired token (which stays gone) and for an expiry that removed the session.
   * @throws TypeError or RangeError (as a rejection, before anything is sent) for a bad `token` or
   *   `expiry`, as {@link RedisStore.save}.
   */
  async touch(token: string, expiry: Date): Promise<boolean> {
    const expiryMs = checkTouchArguments(token, expiry);
    const key = this.prefix + token;
    if (expiryMs <= Date.now()) {
      await this.client.sendCommand(["DEL", key]);
      return false;
    }
    return (await this.client.sendCommand(["PEXPIREAT", key, String(expiryMs - 1)])) === 1;
  }

  /**
   * Lists the live sessions under the prefix: `SCAN ... MATCH prefix*` in batches of `scanCount`
   * keys (never `KEYS`), with one `MGET` per batch. Sessions that expire during the walk are left
   * out.
   *
   * @returns A new `Map` from token to a copy of the session's bytes.
   */
  async all(): Promise<Map<string, Uint8Array>> {
    const sessions = new Map<string, Uint8Array>();
    let cursor = "0";
    do {
      const [next, keys] = (await this.client.sendCommand([
        "SCAN",
        cursor,
        "MATCH",
        this.keyPattern,
        "COUNT",
        this.scanCount,
      ])) as [string, string[]];
      cursor = next;
      if (keys.length === 0) continue;
      const values = (await this.client.sendCommand(
        ["MGET", ...keys],
        AS_BUFFERS,
      )) as (Buffer | null)[];
      keys.forEach((key, i) => {
        const value = values[i];
        if (value) sessions.set(key.slice(this.prefix.length), Buffer.from(value));
      });
    } while (cursor !== "0");
    return sessions;
  }
}
