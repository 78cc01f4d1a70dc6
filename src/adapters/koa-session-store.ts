import { checkOptions, describeValue } from "../arguments";
import type { Store } from "../store";
import { checkMaxSessionBytes, checkStore, checkTtl } from "./shared/adapter-options";
import { type Answer, mapAnswer, settled } from "./shared/callback-bridges";
import { dateInMs, MAX_DATE_MS } from "./shared/dates";
import { deleteFinding, recordMove } from "./shared/rotation";
import {
  type CorruptSessionError,
  encodeSession,
  expectField,
  isRecord,
  type SessionRecord,
  type SessionTooLargeError,
} from "./shared/session-codec";
import {
  checkOwnerOf,
  type DestroySessionsOptions,
  deleteSessionsOf,
  type ListedSession,
  listSessionsOf,
  type OwnerOf,
  ownerIn,
  saveOwned,
} from "./shared/session-owners";
import { findSession } from "./shared/stored-session";

/** Options of {@link KoaSessionStore}. */
export interface KoaSessionStoreOptions {
  /**
   * How long, in milliseconds, a `maxAge: "session"` session lives in the store after each save
   * (koa-session gives such a session no expiry of its own). An integer of 1 or more. Default:
   * `86_400_000` (one day).
   */
  ttlMs?: number;
  /**
   * The most bytes a session may take once encoded (UTF-8 JSON): an integer of 1 or more, or
   * `Infinity` for no bound. A larger session is not saved (see {@link SessionTooLargeError}),
   * and a larger stored value is refused unread, removed and reported as a
   * {@link CorruptSessionError}. It keeps one user's session from stalling the server for
   * everyone while it is encoded and checked.
   *
   * @defaultValue `1_048_576` (1 MiB)
   */
  maxSessionBytes?: number;
  /**
   * Who owns a session: given the session being saved (the fields of `ctx.session`, as a plain
   * object; leave it unchanged), the owner's id (typically the logged-in user's), or `undefined`
   * (or `null`) when nobody is logged in to it. Called on every save; a session is then listed by
   * {@link KoaSessionStore.sessionsOf} and ended by {@link KoaSessionStore.destroySessionsOf}
   * under the owner of its last save.
   *
   * When it throws, or answers anything but a non-empty string of well-formed Unicode, `undefined`
   * or `null` (a `TypeError`), the save stores nothing and `set` rejects: Koa answers through
   * your error handler. Needs a store that indexes sessions by owner (`MemStore`, `RedisStore`).
   * Default: none, and saves record no owner.
   */
  ownerOf?: OwnerOf<Record<string, unknown>>;
}

/**
 * Members of koa-session's `Session`. koa-session copies each stored key onto its `Session` with
 * `Reflect.set`, so a stored `toJSON` or `save` would shadow a method, and `maxAge` would run a
 * setter. Its own `toJSON` never writes any of them.
 */
const SESSION_MEMBERS = new Set([
  "__proto__",
  "toJSON",
  "save",
  "regenerate",
  "manuallyCommit",
  "commit",
  "maxAge",
  "length",
  "populated",
  "externalKey",
  "isNew",
]);

/** The private keys koa-session writes: the session's lifetime. It writes no other `_` key. */
const LIFETIME_KEYS = new Set(["_expire", "_maxAge", "_session"]);

/**
 * Plugs any {@link Store} of this package into `koa-session` 7 (Koa 2 and Koa 3) as its external
 * `store`. Sessions are stored as JSON in UTF-8 under the cookie's value (the session's external
 * key), until the session's own expiry.
 *
 * - Expiry: koa-session writes the session's expiry into the session (`_expire`, ms since the
 *   epoch) and hands `set` a `maxAge` ten seconds longer. The store keeps the session until
 *   `_expire`, to the millisecond: it is gone at `_expire`. A `maxAge: "session"` session has no
 *   `_expire`, and lives for `ttlMs` after each save.
 * - Rolling and renew: koa-session never asks only to extend a session. With `rolling` (or
 *   `renew`) it calls `set` with the whole session and a new `_expire`, and `set` saves it: a
 *   session lives on while it is used and is gone on time once idle.
 * - Errors: every method answers with a Promise, over stores that answer synchronously or with
 *   Promises. A store that throws or rejects rejects the call, which rejects koa-session's
 *   middleware: Koa answers 500 through your error handler (or `ctx.onerror`), and the server
 *   carries on.
 * - A stored session is checked fully before koa-session sees it (see {@link KoaSessionStore.get});
 *   one that fails is removed from the store and reported once, as a {@link CorruptSessionError}
 *   rejecting `get`, and the user's next request starts a fresh session.
 * - A destroyed session stays destroyed: no later save of its ID, not even by a request that
 *   loaded it before, brings it back. With the `ownerOf` option, `sessionsOf` lists a user's
 *   sessions and `destroySessionsOf` ends them ("log out everywhere").
 *
 * It imports nothing of Koa or koa-session: it fits their `store` option by its shape.
 *
 * @example
 * ```ts
 * import Koa from "koa";
 * import session from "koa-session";
 * import { MemStore } from "scs-memstore";
 * import { KoaSessionStore } from "scs-memstore/koa";
 *
 * const app = new Koa();
 * app.keys = ["a long random string"];
 * app.use(
 *   session({ store: new KoaSessionStore(new MemStore(300_000)), maxAge: 3_600_000 }, app),
 * );
 * ```
 */
export class KoaSessionStore {
  /** The wrapped store. */
  readonly store: Store;
  private readonly ttlMs: number;
  private readonly maxSessionBytes: number;
  private readonly ownerOf: OwnerOf<Record<string, unknown>> | undefined;
  /**
   * Requests (koa contexts) that deleted a session another request had destroyed while they held
   * it: none of their saves is stored (see {@link deleteFinding}).
   */
  private readonly revokedContexts = new WeakSet<object>();
  /** Whether any context was revoked: saves before the first skip the check. */
  private anyRevoked = false;
  /**
   * The key each request (koa context) deleted a live session under, until its next save under
   * another key records the move (a `regenerate()`).
   */
  private readonly deletedBy = new WeakMap<object, string>();
  /** Whether any context deleted a live session: saves before the first skip the lookup. */
  private anyDeleted = false;

  /**
   * @param store - Any store of this package, synchronous or Promise-based.
   * @param options - See {@link KoaSessionStoreOptions}.
   * @throws TypeError when `store` lacks any of `find`, `save`, `delete` and `touch`, `ttlMs` or
   *   `maxSessionBytes` is not a number, or `ownerOf` is not a function or is given over a store
   *   that does not index sessions by owner.
   * @throws RangeError when `ttlMs` is not an integer of 1 or more, or `maxSessionBytes` is
   *   neither an integer of 1 or more nor `Infinity`.
   */
  constructor(store: Store, options: KoaSessionStoreOptions = {}) {
    checkOptions(options);
    checkStore(store);
    this.store = store;
    this.ttlMs = checkTtl(options.ttlMs);
    this.maxSessionBytes = checkMaxSessionBytes(options.maxSessionBytes);
    this.ownerOf = checkOwnerOf(options.ownerOf, store);
  }

  /**
   * Reads the session stored under `key`, the session cookie's value. koa-session also passes its
   * configured `maxAge` and `{ ctx, rolling }`, which the store does not need.
   *
   * Before koa-session sees it, the stored session is checked against everything koa-session
   * reads: UTF-8 JSON holding an object; no key koa-session's `Session` owns (`toJSON`, `save`,
   * `maxAge`, `__proto__`, ...); no `_` key but the lifetime it writes, which is either
   * `_session: true` alone or a numeric `_expire` (a valid time) with a positive numeric
   * `_maxAge`; values nested at most 64 levels deep. A session that fails is deleted from the
   * store, and the call rejects with a {@link CorruptSessionError}.
   *
   * A session whose `_expire` has come (written by something other than this adapter, which
   * stores each session only until its `_expire`) is deleted and answers `null`, as the store
   * itself answers at that time: koa-session would refuse it and never delete it.
   *
   * @returns A fresh object with the session's fields, or `null` when there is none.
   * @throws CorruptSessionError (as a rejection) when the stored bytes are not a session.
   */
  get(key: string): Promise<Record<string, unknown> | null> {
    return promised(() =>
      mapAnswer(findSession(this.store, key, this.maxSessionBytes, checkSession), (session) => {
        if (session === null || !hasExpired(session)) return session;
        return mapAnswer(this.store.delete(key), () => null);
      }),
    );
  }

  /**
   * Saves the whole session under `key` until its `_expire` (ms since the epoch), or for `ttlMs`
   * when it is a `maxAge: "session"` session (`_session: true`). koa-session also passes a
   * `maxAge` ten seconds longer than the session's, and `{ changed, ctx, rolling }`; neither
   * changes what is stored (koa-session writes a new `_expire` on every save, so every save is a
   * write, never a touch), but a request that deleted a session destroyed meanwhile stores
   * nothing (see `destroy`). An `_expire` already past removes the session. The session is saved
   * under the owner `ownerOf` names; a destroyed session stays destroyed (the save changes
   * nothing, and is no error).
   *
   * @throws TypeError (as a rejection) when the session has neither `_session: true` nor a
   *   numeric `_expire` (koa-session's own arithmetic on a `maxAge` that is not a number), or
   *   when it does not serialize to JSON (a `BigInt`, a cycle).
   * @throws RangeError (as a rejection) when `_expire` is not a valid time.
   * @throws SessionTooLargeError (as a rejection) when the session encodes to more than
   *   `maxSessionBytes`; nothing is saved.
   * @throws what `ownerOf` throws, and a TypeError when it answers what is not an owner.
   */
  set(
    key: string,
    session: Record<string, unknown>,
    _maxAgeMs?: unknown,
    options?: { ctx?: unknown },
  ): Promise<void> {
    return promised(() => {
      if (this.revokedBy(options)) return undefined;
      const expiry = this.expiryOf(session);
      const owner = ownerIn(this.ownerOf, session);
      const encoded = encodeSession(session, this.maxSessionBytes);
      const save = () => saveOwned(this.store, key, encoded, expiry, owner);
      return this.anyDeleted ? mapAnswer(this.recordMoveTo(key, options), save) : save();
    });
  }

  /**
   * Deletes the session stored under `key`. koa-session also calls it with keys it never stored
   * (`ctx.session = null` or `regenerate()` on a request without a session): deleting an unknown
   * key does nothing.
   *
   * koa-session passes the request's `ctx`. When another request had destroyed the session
   * meanwhile (a logout while this request held it), nothing this request saves afterwards is
   * stored: a `regenerate()` moves the session's fields to a new key, and the new key is not
   * stored either. The request goes on as usual; its changes are simply not kept. A `regenerate()`
   * of a live session records the move when it saves the new key, so that another request that
   * held the session and regenerates it too (a login sent twice) keeps its own move. (Over a
   * store of another package, whose delete does not say what it found, the new key is stored as
   * usual.)
   */
  destroy(key: string, options?: { ctx?: unknown }): Promise<void> {
    return promised(() => {
      const ctx = options?.ctx;
      if (typeof ctx !== "object" || ctx === null) {
        return mapAnswer(this.store.delete(key), () => undefined);
      }
      // A regenerate() deletes a session the request still holds (a logout has none): a move, to
      // a key made after the delete, which the next save records.
      const moving = isRecord((ctx as { session?: unknown }).session);
      return mapAnswer(deleteFinding(this.store, key, moving ? "" : undefined), (found) => {
        if (found === "deleted") {
          this.revokedContexts.add(ctx);
          this.anyRevoked = true;
        } else if (found === "live" && moving) {
          this.deletedBy.set(ctx, key);
          this.anyDeleted = true;
        }
      });
    });
  }

  /**
   * Records a move to `key` when the request of koa-session's `options` deleted a live session
   * under another key before (its `regenerate()`).
   */
  private async recordMoveTo(key: string, options: { ctx?: unknown } | undefined): Promise<void> {
    const ctx = options?.ctx;
    if (typeof ctx !== "object" || ctx === null) return;
    const movedFrom = this.deletedBy.get(ctx);
    if (movedFrom === undefined || movedFrom === key) return;
    this.deletedBy.delete(ctx);
    await recordMove(this.store, movedFrom, key);
  }

  /** Whether the request of koa-session's `options` moved a session destroyed meanwhile. */
  private revokedBy(options: { ctx?: unknown } | undefined): boolean {
    if (!this.anyRevoked) return false;
    const ctx = options?.ctx;
    return typeof ctx === "object" && ctx !== null && this.revokedContexts.has(ctx);
  }

  /**
   * Lists the live sessions of `owner`: those whose last save `ownerOf` gave to that owner, each
   * with its session ID (koa-session's external key, `ctx.session.externalKey`) and expiry.
   * Expired and destroyed sessions are never listed, nor one saved since under another owner. Its
   * cost grows with the owner's sessions, not with the store's.
   *
   * @param owner - The owner, as `ownerOf` answers it.
   * @returns A new array, in no particular order; empty when the owner has no live session.
   * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
   *   Unicode, or the wrapped store does not index sessions by owner.
   */
  sessionsOf(owner: string): Promise<ListedSession[]> {
    return listSessionsOf(this.store, owner);
  }

  /**
   * Destroys every live session of `owner` but the one named by `options.except` ("log out
   * everywhere else"), as for good as `ctx.session = null`: a request still running on one of
   * them cannot save it back. A session saved meanwhile under another owner is left alone.
   *
   * @param owner - The owner, as `ownerOf` answers it.
   * @param options - `except`: the session ID to keep, such as `ctx.session.externalKey`.
   * @returns How many sessions were destroyed.
   * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
   *   Unicode, `except` is neither undefined nor a session ID, or the wrapped store does not index
   *   sessions by owner.
   */
  destroySessionsOf(owner: string, options?: DestroySessionsOptions): Promise<number> {
    return deleteSessionsOf(this.store, owner, options);
  }

  private expiryOf(session: Record<string, unknown>): Date {
    if (session._session === true) return dateInMs(this.ttlMs);
    const expire = session._expire;
    if (typeof expire !== "number") {
      throw new TypeError(
        `Expected \`session._expire\` to be a number of ms since the epoch, got ${describeValue(expire)} (koa-session's maxAge is ${describeValue(session._maxAge)})`,
      );
    }
    if (!isTimeMs(expire)) {
      throw new RangeError(
        `Expected \`session._expire\` to be a valid time in ms since the epoch, got ${describeValue(expire)}`,
      );
    }
    return new Date(expire);
  }
}

/**
 * Checks every field of a stored session that koa-session reads (see {@link KoaSessionStore.get}).
 * Its own keys are looked up by name, and the top-level keys gone through for other `_` keys: a
 * session has no more of them than its JSON text has quotes, where a search of the text stops.
 */
function checkSession(stored: SessionRecord): SessionRecord {
  for (const key of SESSION_MEMBERS) {
    if (Object.hasOwn(stored, key)) {
      expectField(false, key, "absent (koa-session owns it)", stored[key]);
    }
  }
  for (const key in stored) {
    if (!Object.hasOwn(stored, key)) continue;
    expectField(
      !key.startsWith("_") || LIFETIME_KEYS.has(key),
      key,
      "absent (koa-session owns it)",
      stored[key],
    );
  }
  const { _expire, _maxAge, _session } = stored;
  if (_session !== undefined) {
    expectField(_session === true, "_session", "true", _session);
    for (const key of ["_expire", "_maxAge"]) {
      expectField(stored[key] === undefined, key, "absent with `_session`", stored[key]);
    }
  } else {
    expectField(isTimeMs(_expire), "_expire", "a time in ms since the epoch", _expire);
    expectField(
      typeof _maxAge === "number" && _maxAge > 0 && Date.now() + _maxAge <= MAX_DATE_MS,
      "_maxAge",
      "a positive number of ms, ending by the last valid Date",
      _maxAge,
    );
  }
  return stored;
}

/** Whether koa-session would refuse the session as expired (this store drops it at `_expire`). */
function hasExpired(session: SessionRecord): boolean {
  return typeof session._expire === "number" && session._expire <= Date.now();
}

/** Whether `value` is a number of ms since the epoch that a `Date` can hold. */
function isTimeMs(value: unknown): value is number {
  return typeof value === "number" && Math.abs(value) <= MAX_DATE_MS;
}

/** {@link settled} as a Promise: one resolved at once when the store answered at once. */
function promised<T>(work: () => Answer<T>): Promise<T> {
  return Promise.resolve(settled(work));
}
