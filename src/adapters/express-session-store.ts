import session, { type SessionData } from "express-session";
import { checkFlag, checkOptions, describeValue } from "../arguments";
import type { IterableStore, Store } from "../store";
import { checkMaxSessionBytes, checkStore, checkTtl } from "./shared/adapter-options";
import { answer, mapAnswer } from "./shared/callback-bridges";
import { isCookieDomain, isCookiePath, isPriority, isSameSite } from "./shared/cookie-attributes";
import { dateInMs, MAX_DATE_MS } from "./shared/dates";
import { deleteFinding } from "./shared/rotation";
import {
  type CorruptSessionError,
  encodeSession,
  expectField,
  isDateString,
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
import { decodeStored, findSession } from "./shared/stored-session";

/** The request express-session hands its store's `regenerate`. */
type ExpressRequest = Parameters<session.Store["regenerate"]>[0];

/**
 * The request an express-session `Session` holds, or an object of its own for a plain object (a
 * direct call), which no WeakSet holds.
 */
function requestOf(sessionData: SessionData): object {
  const req = (sessionData as { req?: unknown }).req;
  return typeof req === "object" && req !== null ? req : sessionData;
}

/** Options of {@link ExpressSessionStore}. */
export interface ExpressSessionStoreOptions {
  /**
   * How long, in milliseconds, a session lives when its cookie has no expiry (a browser-session
   * cookie, no `maxAge`). An integer of 1 or more. Default: `86_400_000` (one day).
   */
  ttlMs?: number;
  /**
   * When `true`, {@link ExpressSessionStore.touch} does nothing and sends nothing to the store, and
   * a session then expires at the expiry of its last save, however often it is used. Saves one
   * store call on every request that leaves the session unchanged. Default: `false`.
   */
  disableTouch?: boolean;
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
   * Who owns a session: given the session as a handler sees it (the fields of `req.session`), the
   * owner's id (typically the logged-in user's), or `undefined` (or `null`) when nobody is logged
   * in to it. Called on every save; a session is then listed by
   * {@link ExpressSessionStore.sessionsOf} and ended by
   * {@link ExpressSessionStore.destroySessionsOf} under the owner of its last save.
   *
   * When it throws, or answers anything but a non-empty string of well-formed Unicode, `undefined`
   * or `null` (a `TypeError`), the save stores nothing and the error reaches express-session's
   * callback: express answers through its error handler. Needs a store that indexes sessions by
   * owner (`MemStore`, `RedisStore`). Default: none, and saves record no owner.
   */
  ownerOf?: OwnerOf<SessionData>;
}

/**
 * Keys that a stored cookie must not have: express-session's `Cookie` copies every stored key onto
 * itself, and these would replace its methods or its prototype, or (`_expires`, the field behind
 * its `expires` accessor, which its `toJSON` never writes) its expiry, unchecked and depending on
 * the order of the keys.
 */
const FORBIDDEN_COOKIE_KEYS = new Set([
  ...Object.getOwnPropertyNames(Object.prototype),
  "serialize",
  "toJSON",
  "data",
  "_expires",
]);

/**
 * Plugs any {@link Store} of this package into `express-session`. Sessions are stored as JSON in
 * UTF-8 until the cookie's expiry (`cookie.expires`, set from `maxAge`), or for `ttlMs` when the
 * cookie has none.
 *
 * - Works over stores that answer synchronously and over stores that answer with Promises; either
 *   way callbacks are called asynchronously, and nothing is ever thrown into express-session. A
 *   callback that throws (a handler's `req.session.save` callback whose response Express refuses)
 *   is called once more with what it threw, which sends it on to Express's error handler, rather
 *   than taking the process down.
 * - `touch` is one {@link Store.touch}: the stored session is neither read nor rewritten, so a
 *   `set` in flight at the same time is never undone.
 * - A stored session is checked fully before express-session sees it: every cookie field it reads
 *   must have the type it expects. One that fails is removed from the store and reported once, as
 *   a {@link CorruptSessionError} passed to the callback (express answers that request through its
 *   error handler); the user's next request starts a fresh session.
 * - `all`, `length` and `clear` exist only when the wrapped store is an {@link IterableStore}.
 * - A destroyed session stays destroyed: no later save of its ID, not even by a request that
 *   loaded it before, brings it back. With the `ownerOf` option, `sessionsOf` lists a user's
 *   sessions and `destroySessionsOf` ends them ("log out everywhere").
 *
 * This adapter extends express-session's own `Store` (its `createSession`, `load` and
 * `regenerate` need express-session's `Session` and `Cookie`), so it loads `express-session`.
 *
 * @example
 * ```ts
 * import express from "express";
 * import session from "express-session";
 * import { MemStore } from "scs-memstore";
 * import { ExpressSessionStore } from "scs-memstore/express";
 *
 * const app = express();
 * app.use(
 *   session({
 *     store: new ExpressSessionStore(new MemStore(300_000)),
 *     secret: "a long random string",
 *     resave: false,
 *     saveUninitialized: false,
 *   }),
 * );
 * ```
 */
export class ExpressSessionStore extends session.Store {
  /** The wrapped store. */
  readonly store: Store;
  private readonly ttlMs: number;
  private readonly disableTouch: boolean;
  private readonly maxSessionBytes: number;
  private readonly ownerOf: OwnerOf<SessionData> | undefined;
  /**
   * Requests that moved, with `regenerate`, a session another request had destroyed while they
   * held it: none of their saves is stored (see {@link deleteFinding}).
   */
  private readonly revokedRequests = new WeakSet<object>();
  /** Whether any request was revoked: saves before the first skip the check. */
  private anyRevoked = false;

  /**
   * Lists every live session: an object from session ID to session. Present only when the wrapped
   * store is an {@link IterableStore}. Sessions that are corrupt are left out (and removed).
   */
  override all?: (
    callback: (error: unknown, sessions?: { [sid: string]: SessionData }) => void,
  ) => void;

  /** Counts the live sessions. Present only when the wrapped store is an {@link IterableStore}. */
  override length?: (callback: (error: unknown, length?: number) => void) => void;

  /** Deletes every live session. Present only when the wrapped store is an {@link IterableStore}. */
  override clear?: (callback?: (error?: unknown) => void) => void;

  /**
   * @param store - Any store of this package, synchronous or Promise-based.
   * @param options - See {@link ExpressSessionStoreOptions}.
   * @throws TypeError when `store` lacks any of `find`, `save`, `delete` and `touch`, `ttlMs` or
   *   `maxSessionBytes` is not a number, `disableTouch` is not a boolean, or `ownerOf` is not a
   *   function or is given over a store that does not index sessions by owner.
   * @throws RangeError when `ttlMs` is not an integer of 1 or more, or `maxSessionBytes` is
   *   neither an integer of 1 or more nor `Infinity`.
   */
  constructor(store: Store, options: ExpressSessionStoreOptions = {}) {
    super();
    checkOptions(options);
    checkStore(store);
    this.store = store;
    this.ttlMs = checkTtl(options.ttlMs);
    this.disableTouch = checkFlag(options.disableTouch, "disableTouch");
    this.maxSessionBytes = checkMaxSessionBytes(options.maxSessionBytes);
    this.ownerOf = checkOwnerOf(options.ownerOf, store);
    if (isIterableStore(store)) {
      this.all = (callback) => answer(() => this.allSessions(store), callback);
      this.length = (callback) => answer(async () => (await store.all()).size, callback);
      this.clear = (callback) => answer(() => this.deleteAll(store), callback);
    }
  }

  /**
   * Reads a session: passes `null` when there is none (unknown, destroyed or expired), a
   * {@link CorruptSessionError} when the stored bytes are not a session (which is then removed),
   * and the store's error when it fails.
   *
   * The session's cookie reads as touched by this request: with a `maxAge`, its `expires` is now
   * plus `originalMaxAge`, the expiry express-session gives the session when the request ends (it
   * touches or saves every session it serves). A `req.session.save()` in a handler therefore keeps
   * the session alive however long ago it was last saved. With `disableTouch` the cookie reads as
   * it was saved.
   */
  override get(
    sid: string,
    callback: (error: unknown, session?: SessionData | null) => void,
  ): void {
    answer(
      () => findSession(this.store, sid, this.maxSessionBytes, (stored) => this.checked(stored)),
      callback,
    );
  }

  /**
   * Saves a session until its cookie's expiry, or for `ttlMs` when the cookie has none, under the
   * owner `ownerOf` names. An expiry already past removes the session; a destroyed session stays
   * destroyed (the save changes nothing, and is no error). A session over `maxSessionBytes` is
   * refused with a {@link SessionTooLargeError}, and nothing is saved. A session whose `cookie`
   * is not an object (express-session always gives one; a direct call might not) is refused with
   * a `TypeError`, and nothing is saved: `get` could not answer it, since express-session reads
   * the cookie of every session it loads.
   */
  override set(sid: string, sessionData: SessionData, callback?: (error?: unknown) => void): void {
    answer(() => {
      if (this.anyRevoked && this.revokedRequests.has(requestOf(sessionData))) return;
      const cookie: unknown = sessionData.cookie;
      if (!isRecord(cookie)) {
        throw new TypeError(
          `Expected \`sessionData.cookie\` to be an object (express-session's cookie), got ${describeValue(cookie)}`,
        );
      }
      const owner = ownerIn(this.ownerOf, sessionData);
      const encoded = encodeSession(sessionData, this.maxSessionBytes);
      return saveOwned(this.store, sid, encoded, this.expiryOf(sessionData), owner);
    }, callback);
  }

  /**
   * Moves a request to a new, empty session, as express-session's own `regenerate` does: makes
   * the new one, and deletes the request's session for good, recording the move on what the
   * delete leaves. When another request had destroyed the session meanwhile (a logout while this
   * request held it, or a logout of the ID another request moved it to), nothing this request
   * saves is stored, under the new ID or any other: the route goes on as usual, and its changes
   * are simply not kept, as for a save of a destroyed session. A session another request moved
   * meanwhile (a login sent twice) moves as usual. (Over a store of another package, whose delete
   * does not say what it found, the new session is stored as usual.)
   */
  override regenerate(req: ExpressRequest, callback: (error?: unknown) => void): void {
    const movedFrom = req.sessionID;
    // The new session first, set on the store by express-session's middleware, as its own
    // regenerate expects (which makes it after the delete): so the delete records the move.
    (this as unknown as { generate(req: ExpressRequest): void }).generate(req);
    answer(
      () => deleteFinding(this.store, movedFrom, req.sessionID),
      (error, found) => {
        if (found === "deleted") {
          this.revokedRequests.add(req);
          this.anyRevoked = true;
        }
        callback(error);
      },
    );
  }

  /** Deletes a session. Destroying an unknown session is not an error. */
  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    answer(() => this.store.delete(sid), callback);
  }

  /**
   * Moves a live session's expiry to its cookie's expiry (or `ttlMs` from now): one
   * {@link Store.touch}, which neither reads nor rewrites the stored session, so the stored cookie
   * keeps the expiry of its last save. A session that is gone stays gone. With `disableTouch`,
   * nothing is sent to the store.
   */
  override touch(
    sid: string,
    sessionData: SessionData,
    callback?: (error?: unknown) => void,
  ): void {
    if (this.disableTouch) {
      if (callback) process.nextTick(callback);
      return;
    }
    answer(
      () => mapAnswer(this.store.touch(sid, this.expiryOf(sessionData)), () => undefined),
      callback,
    );
  }

  /**
   * Lists the live sessions of `owner`: those whose last save `ownerOf` gave to that owner, each
   * with its session ID (`req.sessionID`) and expiry. Expired and destroyed sessions are never
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
   * Destroys every live session of `owner` but the one named by `options.except` ("log out
   * everywhere else"), as for good as `req.session.destroy()`: a request still running on one of
   * them cannot save it back. A session saved meanwhile under another owner is left alone.
   *
   * @param owner - The owner, as `ownerOf` answers it.
   * @param options - `except`: the session ID to keep, such as `req.sessionID`.
   * @returns How many sessions were destroyed.
   * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
   *   Unicode, `except` is neither undefined nor a session ID, or the wrapped store does not index
   *   sessions by owner.
   */
  destroySessionsOf(owner: string, options?: DestroySessionsOptions): Promise<number> {
    return deleteSessionsOf(this.store, owner, options);
  }

  private expiryOf(sessionData: SessionData): Date {
    const expires = sessionData.cookie?.expires;
    if (expires === undefined || expires === null) return dateInMs(this.ttlMs);
    return expires instanceof Date ? expires : new Date(expires);
  }

  /** Checks every field express-session reads, and refreshes the cookie's expiry (see `get`). */
  private checked(stored: SessionRecord): SessionData {
    const cookie = stored.cookie;
    const maxAgeMs = isRecord(cookie) && !this.disableTouch ? cookie.originalMaxAge : undefined;
    if (typeof maxAgeMs !== "number") {
      checkCookie(cookie, false);
    } else {
      // The stored expiry is replaced, so it need only be of the right type.
      checkCookie(cookie, true).expires = dateInMs(maxAgeMs);
    }
    return stored as unknown as SessionData;
  }

  /** Every live session as stored; corrupt ones are removed and left out. */
  private async allSessions(store: IterableStore): Promise<{ [sid: string]: SessionData }> {
    const sessions: { [sid: string]: SessionData } = {};
    for (const [sid, data] of await store.all()) {
      let stored: SessionRecord;
      try {
        stored = decodeStored(data, this.maxSessionBytes).session;
        checkCookie(stored.cookie, false);
      } catch {
        await store.delete(sid);
        continue;
      }
      // defineProperty: a session ID such as `__proto__` is an ordinary key here.
      Object.defineProperty(sessions, sid, { value: stored, enumerable: true });
    }
    return sessions;
  }

  private async deleteAll(store: IterableStore): Promise<void> {
    for (const sid of (await store.all()).keys()) await store.delete(sid);
  }
}

/**
 * Checks a stored cookie against what express-session's `Cookie` and the `cookie` package's
 * `serialize` accept, so that no stored value can make them throw.
 *
 * @param expiresReplaced - Whether the caller replaces `expires`: it is then only checked to be a
 *   string or null, not parsed.
 */
function checkCookie(cookie: unknown, expiresReplaced: boolean): SessionRecord {
  expectField(isRecord(cookie), "cookie", "an object", cookie);
  const fields = cookie as SessionRecord;
  for (const key of Object.keys(fields)) {
    if (FORBIDDEN_COOKIE_KEYS.has(key)) expectField(false, `cookie.${key}`, "absent", fields[key]);
  }
  const { expires, path, domain, priority, sameSite } = fields;
  // express-session sets `expires` to now + each of these: it must stay a valid Date.
  const nowMs = Date.now();
  checkAge(fields.originalMaxAge, "originalMaxAge", nowMs);
  checkAge(fields.maxAge, "maxAge", nowMs);
  expectField(
    expires == null || (expiresReplaced ? typeof expires === "string" : isDateString(expires)),
    "cookie.expires",
    "a date string or null",
    expires,
  );
  checkCookieFlag(fields.secure, "secure");
  checkCookieFlag(fields.httpOnly, "httpOnly");
  checkCookieFlag(fields.partitioned, "partitioned");
  expectField(path === undefined || isCookiePath(path), "cookie.path", "a cookie path", path);
  expectField(
    domain === undefined || isCookieDomain(domain),
    "cookie.domain",
    "a cookie domain",
    domain,
  );
  expectField(
    priority === undefined || isPriority(priority),
    "cookie.priority",
    "low, medium or high",
    priority,
  );
  expectField(
    sameSite === undefined || isSameSite(sameSite),
    "cookie.sameSite",
    "a boolean, lax, strict or none",
    sameSite,
  );
  return fields;
}

/** Checks a cookie's `originalMaxAge` or `maxAge`: null, or ms that end within the range of Date. */
function checkAge(value: unknown, age: string, nowMs: number): void {
  if (value == null || (typeof value === "number" && Math.abs(nowMs + value) <= MAX_DATE_MS)) {
    return;
  }
  expectField(
    false,
    `cookie.${age}`,
    "a number of ms that ends within the range of Date, or null",
    value,
  );
}

/** Checks a cookie's boolean flag, when present. */
function checkCookieFlag(value: unknown, flag: string): void {
  if (value !== undefined && typeof value !== "boolean") {
    expectField(false, `cookie.${flag}`, "a boolean", value);
  }
}

function isIterableStore(store: Store): store is IterableStore {
  return typeof (store as Partial<IterableStore>).all === "function";
}
