import type { SessionData, Store as SessionStore } from "hono-sessions";
import { checkOptions, describeValue, isToken } from "../arguments";
import type { Store } from "../store";
import { checkMaxSessionBytes, checkStore, checkTtl } from "./shared/adapter-options";
import { type Answer, asError, isPromiseLike, mapAnswer, settled } from "./shared/callback-bridges";
import { dateInMs } from "./shared/dates";
import { deleteFinding, RecentIds, recordMove } from "./shared/rotation";
import {
  CorruptSessionError,
  encodeSession,
  isDateString,
  isRecord,
  jsonMayHoldKey,
  MAX_SESSION_DEPTH,
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

/** Options of {@link HonoSessionStore}. */
export interface HonoSessionStoreOptions {
  /**
   * How long, in milliseconds, a session lives after its last save when its `_expire` is `null`:
   * every brand-new session until the end of its first request, and every session when
   * `expireAfterSeconds` is not set (hono-sessions then means "never expires"). An integer of 1 or
   * more. Default: `86_400_000` (one day).
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
   * Who owns a session: given a reader of the session being saved, whose `get(key)` answers what
   * the app's `session.get(key)` reads (`null` for a key it does not hold; a flash value is read
   * without being removed), the owner's id (typically the logged-in user's), or `undefined` (or
   * `null`) when nobody is logged in to it. Called on every save; a session is then listed by
   * {@link HonoSessionStore.sessionsOf} and ended by {@link HonoSessionStore.destroySessionsOf}
   * under the owner of its last save.
   *
   * When it throws, or answers anything but a non-empty string of well-formed Unicode, `undefined`
   * or `null` (a `TypeError`), the save stores nothing and rejects: Hono answers 500 through
   * `onError`. Needs a store that indexes sessions by owner (`MemStore`, `RedisStore`). Default:
   * none, and saves record no owner.
   */
  ownerOf?: OwnerOf<HonoSessionReader>;
}

/** What {@link HonoSessionStoreOptions.ownerOf} is given: a read-only view of the session. */
export interface HonoSessionReader {
  /** The value stored under `key`, as hono-sessions' `session.get(key)` answers it; `null` if none. */
  get(key: string): unknown;
}

/** An `_expire` hono-sessions reads as expired. */
const EXPIRED = new Date(0).toISOString();

/** A read that failed, waiting to be raised by the next store call of the same request. */
interface FailedRead {
  readonly sessionId: string;
  readonly error: Error;
}

/**
 * Plugs any {@link Store} of this package into `hono-sessions` (its `sessionMiddleware`'s `store`).
 * Sessions are stored as JSON in UTF-8 until their `_expire`, to the millisecond, or for `ttlMs`
 * when `_expire` is `null`.
 *
 * - Works over stores that answer synchronously (answered without a Promise) and over stores that
 *   answer with Promises.
 * - hono-sessions has no touch: every extension of a session (`autoExtendExpiration`) arrives as a
 *   full `persistSessionData` with a new `_expire`, which is saved whole. The stored data must
 *   carry the expiry hono-sessions checks, so a {@link Store.touch} that moves only the store's
 *   expiry would leave a stale `_expire` behind, and the next request would end the session.
 * - A stored session is checked fully before hono-sessions sees it: every field it and its hashing
 *   (ohash) read. One that fails is removed from the store and reported once, as a
 *   {@link CorruptSessionError} through Hono's `onError` (a 500); the user's next request starts
 *   a fresh session. A store that fails a read is reported the same way, and the stored session is
 *   kept: a store that is down does not log users out.
 * - Every failure is a rejected Promise holding an `Error` (a store's non-`Error` rejection is
 *   wrapped, with the value as `cause`): Hono passes only `Error`s to `onError`.
 * - Sessions are checked on the way in too: one that hono-sessions could not read back is refused
 *   with a `TypeError` (a 500), and the stored session stays as it was.
 * - A destroyed session stays destroyed: no later save of its ID, not even by a request that
 *   loaded it before, brings it back. With the `ownerOf` option, `sessionsOf` lists a user's
 *   sessions and `destroySessionsOf` ends them ("log out everywhere").
 *
 * It imports nothing of hono-sessions at run time: only its types.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { type Session, sessionMiddleware } from "hono-sessions";
 * import { MemStore } from "scs-memstore";
 * import { HonoSessionStore } from "scs-memstore/hono";
 *
 * const app = new Hono<{ Variables: { session: Session<{ message: string }> } }>();
 * app.use(
 *   sessionMiddleware({
 *     store: new HonoSessionStore(new MemStore(300_000)),
 *     expireAfterSeconds: 3_600, // an hour after the last request
 *     cookieOptions: { path: "/", httpOnly: true, sameSite: "Lax" },
 *   }),
 * );
 * ```
 */
export class HonoSessionStore implements SessionStore {
  /** The wrapped store. */
  readonly store: Store;
  private readonly ttlMs: number;
  private readonly maxSessionBytes: number;
  private readonly ownerOf: OwnerOf<HonoSessionReader> | undefined;
  /**
   * hono-sessions swallows whatever `getSessionById` throws, so a failed read is raised by the
   * request's next store call instead. Set and cleared within one synchronous run (see
   * `failedReadSession`), so it never reaches another request.
   */
  private failedRead: FailedRead | undefined;
  /**
   * IDs of sessions another request destroyed while a request held them, and the IDs a key
   * rotation of such a session moved it to: nothing is stored under them (see
   * {@link deleteFinding}).
   */
  private readonly revokedIds = new RecentIds();
  /**
   * IDs of live sessions a key rotation deleted, until its save of the new ID, which follows the
   * delete at once, names the ID it moved to.
   */
  private readonly movingIds = new RecentIds();
  /**
   * IDs of sessions a request marked for deletion (`session.deleteSession()`, a logout), until
   * hono-sessions deletes them: how the adapter tells a logout from a key rotation, which
   * hono-sessions deletes the same way.
   */
  private readonly loggingOut = new RecentIds();
  /**
   * The `_delete` of every session this adapter reads: one getter and one setter for all of them,
   * so that sessions read alike share their shape (see `checkedSession`).
   */
  private readonly deleteAccessor: PropertyDescriptor;
  /** `checkedSession`, bound to this adapter. */
  private readonly checked = (stored: Record<string, unknown>, json: string) =>
    this.checkedSession(stored, json);

  /**
   * @param store - Any store of this package, synchronous or Promise-based.
   * @param options - See {@link HonoSessionStoreOptions}.
   * @throws TypeError when `store` lacks any of `find`, `save`, `delete` and `touch`, `ttlMs` or
   *   `maxSessionBytes` is not a number, or `ownerOf` is not a function or is given over a store
   *   that does not index sessions by owner.
   * @throws RangeError when `ttlMs` is not an integer of 1 or more, or `maxSessionBytes` is
   *   neither an integer of 1 or more nor `Infinity`.
   */
  constructor(store: Store, options: HonoSessionStoreOptions = {}) {
    checkOptions(options);
    checkStore(store);
    this.store = store;
    this.ttlMs = checkTtl(options.ttlMs);
    this.maxSessionBytes = checkMaxSessionBytes(options.maxSessionBytes);
    this.ownerOf = checkOwnerOf(options.ownerOf, store);
    const loggingOut = this.loggingOut;
    this.deleteAccessor = {
      enumerable: true,
      configurable: true,
      get(this: object) {
        return deleting.has(this) ? deleting.get(this) : false;
      },
      set(this: Record<string, unknown>, value: unknown) {
        deleting.set(this, value);
        if (value && typeof this._id === "string") loggingOut.add(this._id);
      },
    };
  }

  /**
   * Reads a session: a fresh object for each call, or `null` when there is none (unknown, deleted
   * or expired), or when `sessionId` is not a token a store can hold (the cookie is the client's).
   * The session is checked first: `_data` an object of `{ value, flash }` entries (`flash` a
   * boolean), `_expire` null or a date string, `_delete` false, `_accessed` null or a string, `_id`
   * absent or a string, nesting at most 64 levels, and no `constructor` key that ohash cannot hash
   * (`null`, or an object whose `name` is an object). Its `_delete` is an accessor that reads and
   * serializes as the value it holds: a logout (`session.deleteSession()`) sets it, which tells
   * {@link HonoSessionStore.deleteSession} a logout from a key rotation.
   *
   * When the stored bytes are not a session (removed from the store), or the store fails (the
   * session is kept), the answer is a session that has already expired: hono-sessions then calls
   * {@link HonoSessionStore.deleteSession}, which rejects with the {@link CorruptSessionError} or
   * the store's error, and Hono answers 500 through `onError`. Nothing else is stored.
   */
  getSessionById(sessionId?: string): SessionData | null | Promise<SessionData | null> {
    if (!isToken(sessionId)) return null;
    const failed = (error: unknown) => this.failedReadSession(sessionId, error);
    let found: Answer<SessionData | null>;
    try {
      found = findSession(this.store, sessionId, this.maxSessionBytes, this.checked);
    } catch (error) {
      return failed(error);
    }
    return isPromiseLike(found) ? Promise.resolve(found).then(undefined, failed) : found;
  }

  /**
   * Stores a new session: a brand-new one (hono-sessions calls this before the request's handler,
   * with `_expire: null`, so it is kept for `ttlMs` until the save at the end of the request), or
   * the whole session under its new ID after a key rotation. A rotation of a session that another
   * request destroyed while this one held it (a logout meanwhile) stores nothing, under the new
   * ID or the old: the request goes on as usual, and its changes are simply not kept. A rotation
   * of a live session records the move, so that another request that held the session and
   * rotates it too keeps its own move. (Over a store of another package, whose delete does not
   * say what it found, it is stored as usual.)
   */
  createSession(sessionId: string, initialData: SessionData): void | Promise<void> {
    // hono-sessions sets `_id` to the ID it read the session under (this one, for a new session).
    const from = initialData._id;
    if (from === sessionId || typeof from !== "string") return this.save(sessionId, initialData);
    if (!this.revokedIds.empty && this.revokedIds.has(from)) {
      // A key rotation of a session another request destroyed while this one held it.
      this.revokedIds.add(sessionId);
      return;
    }
    if (this.movingIds.empty || !this.movingIds.take(from))
      return this.save(sessionId, initialData);
    return settled(() =>
      mapAnswer(recordMove(this.store, from, sessionId), () => this.save(sessionId, initialData)),
    );
  }

  /**
   * Saves the whole session until its `_expire` (for `ttlMs` when `null`), under the owner
   * `ownerOf` names; an `_expire` already past removes it, and a deleted session stays deleted
   * (the save changes nothing, and is no error). `_id` is not stored: hono-sessions sets it on
   * every read.
   *
   * Rejects with a `TypeError`, and changes nothing, when the session would fail the check
   * {@link HonoSessionStore.getSessionById} makes when reading it back (a value with a
   * `constructor: null` key, nesting over 64 levels), and for values JSON cannot hold (a `BigInt`,
   * a cycle), and with a {@link SessionTooLargeError} when it encodes to more than
   * `maxSessionBytes`. Any other failure is the store's or `ownerOf`'s, as an `Error`.
   */
  persistSessionData(sessionId: string, sessionData: SessionData): void | Promise<void> {
    if (!this.revokedIds.empty && this.revokedIds.has(sessionId)) return;
    return this.save(sessionId, sessionData);
  }

  /**
   * Deletes a session; deleting an unknown one is not an error. Right after a failed read of the
   * same session in the same request, rejects with that read's error instead (see
   * {@link HonoSessionStore.getSessionById}), and leaves the store alone.
   */
  deleteSession(sessionId: string): void | Promise<void> {
    const failedRead = this.failedRead;
    if (failedRead !== undefined && failedRead.sessionId === sessionId) {
      this.failedRead = undefined;
      return Promise.reject(failedRead.error);
    }
    // Anything but a logout is a key rotation (or the removal of a session hono-sessions read as
    // expired): the marker records a move, to an ID the rotation's save names next.
    const loggingOut = !this.loggingOut.empty && this.loggingOut.take(sessionId);
    return settled(() =>
      mapAnswer(deleteFinding(this.store, sessionId, loggingOut ? undefined : ""), (found) => {
        if (found === "deleted") this.revokedIds.add(sessionId);
        else if (found === "live" && !loggingOut) this.movingIds.add(sessionId);
      }),
    );
  }

  /**
   * Lists the live sessions of `owner`: those whose last save `ownerOf` gave to that owner, each
   * with its session ID (the `_id` hono-sessions gives the session, which the cookie holds,
   * sealed when an `encryptionKey` is set) and expiry. Expired and deleted sessions are never
   * listed, nor one saved since under another owner. Its cost grows with the owner's sessions,
   * not with the store's.
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
   * Deletes every live session of `owner` but the one named by `options.except` ("log out
   * everywhere else"), as for good as `session.deleteSession()`: a request still running on one of
   * them cannot save it back. A session saved meanwhile under another owner is left alone.
   *
   * @param owner - The owner, as `ownerOf` answers it.
   * @param options - `except`: the session ID to keep, such as the current session's `_id`.
   * @returns How many sessions were deleted.
   * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
   *   Unicode, `except` is neither undefined nor a session ID, or the wrapped store does not index
   *   sessions by owner.
   */
  destroySessionsOf(owner: string, options?: DestroySessionsOptions): Promise<number> {
    return deleteSessionsOf(this.store, owner, options);
  }

  private save(sessionId: string, session: SessionData): void | Promise<void> {
    return settled(() => {
      const encoded = encodeSession({ ...session, _id: undefined }, this.maxSessionBytes);
      assertSession(
        session,
        encoded.json,
        (problem) =>
          new TypeError(`Cannot store a session hono-sessions could not read: ${problem}`),
      );
      const expiry = session._expire === null ? dateInMs(this.ttlMs) : new Date(session._expire);
      const owner = this.ownerOf && ownerIn(this.ownerOf, readerOf(session));
      return saveOwned(this.store, sessionId, encoded, expiry, owner);
    });
  }

  /**
   * Checks a stored session before hono-sessions sees it, and hands it over with `_delete` as an
   * accessor: `session.deleteSession()` (a logout) sets it, which tells the delete that follows
   * a logout from a key rotation. It reads and serializes as the `false` (or `true`) it holds.
   *
   * @throws CorruptSessionError when it is not a session hono-sessions can read.
   */
  private checkedSession(stored: Record<string, unknown>, json: string): SessionData {
    assertSession(stored, json, (problem) => new CorruptSessionError(problem));
    // The session as hono-sessions writes it, its four fields and no other, in its order: built
    // afresh with `_delete` in place. Turning `_delete` into an accessor on the object parsed
    // leaves V8 a shape of that one object alone, and every later read of it (hono-sessions
    // hashes the whole session twice a request) is the slower: a tenth of a request's time.
    const keys = Object.keys(stored);
    if (
      keys.length === 4 &&
      keys[0] === "_data" &&
      keys[1] === "_expire" &&
      keys[2] === "_delete" &&
      keys[3] === "_accessed"
    ) {
      const session = { _data: stored._data, _expire: stored._expire } as Record<string, unknown>;
      Object.defineProperty(session, "_delete", this.deleteAccessor);
      session._accessed = stored._accessed;
      return session as unknown as SessionData;
    }
    // Any other shape (an `_id`, a field of another version, another order) is kept as it is.
    Object.defineProperty(stored, "_delete", this.deleteAccessor);
    return stored;
  }

  /**
   * A session that hono-sessions reads as expired, standing in for one that could not be read.
   * hono-sessions reads its `_expire`, and in the same synchronous run (no `await` in between)
   * calls `deleteSession` with the same ID: reading `_expire` arms the failure for that call, and
   * a microtask disarms it once the run is over, so no other request can ever meet it.
   */
  private failedReadSession(sessionId: string, error: unknown): SessionData {
    const failedRead: FailedRead = { sessionId, error: asError(error) };
    const arm = () => {
      this.failedRead = failedRead;
      // A Promise job, not queueMicrotask: fake timers (as in a user's tests) replace that.
      void Promise.resolve().then(() => {
        if (this.failedRead === failedRead) this.failedRead = undefined;
      });
    };
    return {
      _data: {},
      get _expire() {
        arm();
        return EXPIRED;
      },
      _delete: false,
      _accessed: null,
    };
  }
}

/** What was set as `_delete` on a session an adapter read: `false` until then. */
const deleting = new WeakMap<object, unknown>();

/** A read-only view of `session`, as the app's `session.get` reads it. */
function readerOf(session: SessionData): HonoSessionReader {
  const entries: Record<string, { value?: unknown } | undefined> = session._data;
  return { get: (key) => (Object.hasOwn(entries, key) ? entries[key]?.value : null) ?? null };
}

/** @param json - The session's JSON text, which its nesting has been checked on. */
function assertSession(
  session: unknown,
  json: string,
  failure: (problem: string) => Error,
): asserts session is SessionData {
  const problem = sessionProblem(session, json);
  if (problem !== undefined) throw failure(problem);
}

/**
 * What makes `session` unreadable to hono-sessions, if anything. Each field it reads must have
 * the type it writes (`Session#get` reads `_data` entries, `sessionValid` parses `_expire`, a
 * truthy `_delete` deletes the session), and ohash, which hashes the whole session on every
 * request, must not throw on it. Its nesting is checked on `json`, its JSON text, which is also
 * searched for a `constructor` key before the session is walked for one.
 */
function sessionProblem(session: unknown, json: string): string | undefined {
  if (!isRecord(session)) return expected("session", "an object", session);
  const { _data, _expire, _delete, _accessed, _id } = session;
  if (!isRecord(_data)) return expected("_data", "an object", _data);
  // Object.keys, indexed: faster than for...in over the thousands of keys of a large session.
  const keys = Object.keys(_data);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const entry = _data[key];
    if (!isRecord(entry) || typeof entry.flash !== "boolean") {
      return expected(`_data.${key.slice(0, 40)}`, "an object with a boolean `flash`", entry);
    }
  }
  if (_expire !== null && !isDateString(_expire)) {
    return expected("_expire", "null or a date string", _expire);
  }
  if (_delete !== false) return expected("_delete", "false", _delete);
  if (_accessed !== null && typeof _accessed !== "string") {
    return expected("_accessed", "null or a string", _accessed);
  }
  if (_id !== undefined && typeof _id !== "string") return expected("_id", "a string", _id);
  return jsonMayHoldKey(json, CONSTRUCTOR_KEY) ? hashProblem(session) : undefined;
}

const CONSTRUCTOR_KEY = ["constructor"];

/**
 * What would make ohash's `hash` throw on `value`, which it reads to the bottom: an own
 * `constructor` key it cannot take a class name from (`null`, or an object whose `name` is an
 * object, which ohash turns into a string). `value` nests no deeper than {@link MAX_SESSION_DEPTH}.
 */
function hashProblem(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const isArray = Array.isArray(value);
  if (!isArray && Object.hasOwn(value, "constructor")) {
    const named: unknown = Reflect.get(value, "constructor");
    if (!isClassLike(named)) return expected("constructor", "hashable by ohash", named);
  }
  for (const child of isArray ? value : Object.values(value)) {
    const problem = hashProblem(child);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/** Whether ohash can take `value` for a class (`value.name`) without throwing. */
function isClassLike(value: unknown): boolean {
  if (value === null) return false;
  return !isRecord(value) || typeof value.name !== "object" || value.name === null;
}

function expected(field: string, what: string, got: unknown): string {
  return `expected \`${field}\` to be ${what}, got ${describeValue(got)}`;
}
