import { isUtf8 } from "node:buffer";
import session, { type SessionData } from "express-session";
import { describeValue } from "../arguments";
import type { IterableStore, Store } from "../store";

/** The latest instant a `Date` can hold, in ms since the epoch. */
const MAX_DATE_MS = 8.64e15;
const ONE_DAY_MS = 86_400_000;

/** Options of {@link ExpressSessionStore}. */
export interface ExpressSessionStoreOptions {
  /**
   * How long, in milliseconds, a session lives when its cookie has no expiry (a browser-session
   * cookie, no `maxAge`). An integer of 1 or more. Default: `86_400_000` (one day).
   */
  ttlMs?: number;
}

type Callback<T> = ((error: unknown, value?: T) => void) | undefined;

/**
 * Plugs any {@link Store} of this package into `express-session`. Sessions are stored as JSON in
 * UTF-8, until the cookie's expiry (`cookie.expires`, set from `maxAge`), or for `ttlMs` when the
 * cookie has none.
 *
 * Works over stores that answer synchronously and over stores that answer with Promises; either
 * way callbacks are called asynchronously. A store that throws or rejects, and stored data that is
 * not a JSON session, reach the callback as an error (express then answers 500); nothing is thrown.
 *
 * `all`, `length` and `clear` exist only when the wrapped store is an {@link IterableStore}.
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

  /**
   * Lists every live session: an object from session ID to session. Present only when the wrapped
   * store is an {@link IterableStore}.
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
   * @throws TypeError when `store` has no `find`, `save` and `delete` methods, or `ttlMs` is not
   *   a number.
   * @throws RangeError when `ttlMs` is not an integer of 1 or more.
   */
  constructor(store: Store, options: ExpressSessionStoreOptions = {}) {
    super();
    if (!isStore(store)) {
      throw new TypeError(
        `Expected \`store\` to be a Store with find, save and delete methods, got ${describeValue(store)}`,
      );
    }
    this.store = store;
    this.ttlMs = checkTtl(options.ttlMs);
    if (isIterableStore(store)) {
      this.all = (callback) => answer(() => this.sessionsOf(store), callback);
      this.length = (callback) => answer(async () => (await store.all()).size, callback);
      this.clear = (callback) => answer(() => this.deleteAll(store), callback);
    }
  }

  /**
   * Reads a session: passes `null` when there is none (unknown, destroyed or expired), an error
   * when the store fails or the stored bytes are not a JSON session.
   */
  override get(
    sid: string,
    callback: (error: unknown, session?: SessionData | null) => void,
  ): void {
    answer(
      () => then(this.store.find(sid), (found) => (found.exists ? decode(found.data) : null)),
      callback,
    );
  }

  /**
   * Saves a session until its cookie's expiry, or for `ttlMs` when the cookie has none. An expiry
   * already past removes the session.
   */
  override set(sid: string, sessionData: SessionData, callback?: (error?: unknown) => void): void {
    answer(() => this.store.save(sid, encode(sessionData), this.expiryOf(sessionData)), callback);
  }

  /** Deletes a session. Destroying an unknown session is not an error. */
  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    answer(() => this.store.delete(sid), callback);
  }

  /**
   * Moves a live session's expiry on (`rolling` sessions, and `resave: false` sessions that were
   * read but not changed), storing the new cookie with it. A session that is gone stays gone.
   */
  override touch(
    sid: string,
    sessionData: SessionData,
    callback?: (error?: unknown) => void,
  ): void {
    answer(
      () =>
        then(this.store.find(sid), (found) => {
          if (!found.exists) return;
          const stored = decode(found.data);
          stored.cookie = sessionData.cookie;
          return this.store.save(sid, encode(stored), this.expiryOf(sessionData));
        }),
      callback,
    );
  }

  private expiryOf(sessionData: SessionData): Date {
    const expires = sessionData.cookie?.expires;
    if (expires === undefined || expires === null) {
      return new Date(Math.min(Date.now() + this.ttlMs, MAX_DATE_MS));
    }
    return new Date(expires);
  }

  private async sessionsOf(store: IterableStore): Promise<{ [sid: string]: SessionData }> {
    const entries = [...(await store.all())].map(([sid, data]) => [sid, decode(data)] as const);
    return Object.fromEntries(entries);
  }

  private async deleteAll(store: IterableStore): Promise<void> {
    for (const sid of (await store.all()).keys()) await store.delete(sid);
  }
}

/** Runs `work` and hands its outcome to `callback`, always asynchronously, never throwing. */
/**
 * Runs `work` and hands its outcome to `callback`, always asynchronously, never throwing. A store
 * that answers synchronously is answered without a Promise.
 */
function answer<T>(work: () => T | PromiseLike<T>, callback: Callback<T>): void {
  let result: T | PromiseLike<T>;
  try {
    result = work();
  } catch (error) {
    if (callback) process.nextTick(callback, error);
    return;
  }
  if (!isPromiseLike(result)) {
    if (callback) process.nextTick(callback, null, result);
    return;
  }
  result.then(
    (value) => callback && process.nextTick(callback, null, value),
    (error: unknown) => callback && process.nextTick(callback, error),
  );
}

/** Applies `next` to a store's answer: at once for a value, later for a Promise. */
function then<T, U>(
  answered: T | PromiseLike<T>,
  next: (value: T) => U | PromiseLike<U>,
): U | PromiseLike<U> {
  return isPromiseLike(answered) ? Promise.resolve(answered).then(next) : next(answered);
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}

function encode(sessionData: SessionData): Buffer {
  return Buffer.from(JSON.stringify(sessionData), "utf8");
}

function decode(data: Uint8Array): SessionData {
  if (!isUtf8(data)) throw new TypeError("Expected stored session data to be UTF-8");
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new TypeError(
      `Expected stored session data to be a JSON object, got ${describeValue(parsed)}`,
    );
  }
  const { cookie } = parsed as Partial<SessionData>;
  if (typeof cookie !== "object" || cookie === null) {
    throw new TypeError("Expected stored session data to have a `cookie` object");
  }
  return parsed as SessionData;
}

function isStore(value: unknown): value is Store {
  const candidate = value as Partial<Store> | null | undefined;
  return (
    typeof candidate?.find === "function" &&
    typeof candidate.save === "function" &&
    typeof candidate.delete === "function"
  );
}

function isIterableStore(store: Store): store is IterableStore {
  return typeof (store as Partial<IterableStore>).all === "function";
}

function checkTtl(ttlMs: unknown): number {
  if (ttlMs === undefined) return ONE_DAY_MS;
  if (typeof ttlMs !== "number") {
    throw new TypeError(`Expected \`ttlMs\` to be a number, got ${describeValue(ttlMs)}`);
  }
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) {
    throw new RangeError(
      `Expected \`ttlMs\` to be an integer from 1 and up, got ${describeValue(ttlMs)}`,
    );
  }
  return ttlMs;
}
