import { describeValue } from "../arguments";
import type { Store } from "../store";
import { decodeSession, type SessionRecord } from "./session-codec";

/** The default `ttlMs` of every adapter: one day. */
export const ONE_DAY_MS = 86_400_000;
/** The latest instant a `Date` can hold, in ms since the epoch. */
export const MAX_DATE_MS = 8.64e15;

/** A store's answer: now, or later. */
export type Answer<T> = T | PromiseLike<T>;

/** Applies `next` to a store's answer: at once for a value, later for a Promise. */
export function then<T, U>(answered: Answer<T>, next: (value: T) => Answer<U>): Answer<U> {
  return isPromiseLike(answered) ? Promise.resolve(answered).then(next) : next(answered);
}

/**
 * Runs `work` and hands its outcome to a Node-style `callback`, always asynchronously and never
 * throwing: a throw or a rejection reaches the callback as its error. A store that answers
 * synchronously is answered without a Promise.
 */
export function answer<T>(
  work: () => Answer<T>,
  callback: ((error: unknown, value?: T) => void) | undefined,
): void {
  let result: Answer<T>;
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

/**
 * Runs `work` and hands its outcome to a Node-style `callback` exactly once, never throwing: a
 * throw or a rejection reaches the callback as its error. A store that answers synchronously is
 * answered synchronously, before this returns; a Promise, once it settles.
 *
 * The callback is called outside any `try`, so a throw from the callback itself is neither caught
 * nor followed by a second call: called synchronously, it reaches whoever called the adapter (a
 * framework's hook runner, which turns it into an error response); called from a Promise, it is an
 * unhandled rejection. Adapters check what they hand over so that the callback has nothing to
 * throw about.
 */
export function answerInTurn<T>(
  work: () => Answer<T>,
  callback: (error: unknown, value?: T) => void,
): void {
  let result: Answer<T>;
  try {
    result = work();
  } catch (error) {
    callback(error);
    return;
  }
  if (isPromiseLike(result)) {
    Promise.resolve(result).then(
      (value) => callback(null, value),
      (error: unknown) => callback(error),
    );
  } else {
    callback(null, result);
  }
}

/**
 * Reads the session stored under `token` and checks it with `check` before anyone sees it. A
 * session that fails the check (or does not decode) is deleted from the store, then its
 * {@link CorruptSessionError} is thrown: reported once, after which the token is simply unknown.
 *
 * @returns The checked session, or `null` when the store has none under `token`.
 */
export function findSession<T>(
  store: Store,
  token: string,
  check: (session: SessionRecord) => T,
): Answer<T | null> {
  return then(store.find(token), (found) => {
    if (!found.exists) return null;
    try {
      return check(decodeSession(found.data));
    } catch (corrupt) {
      return then(store.delete(token), () => {
        throw corrupt;
      });
    }
  });
}

/** Whether a store's answer comes later. */
export function isPromiseLike<T>(value: Answer<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}

/**
 * Checks the store an adapter wraps.
 *
 * @throws TypeError when `store` lacks any of `find`, `save`, `delete` and `touch`.
 */
export function checkStore(store: unknown): asserts store is Store {
  const candidate = store as Partial<Store> | null | undefined;
  const valid =
    typeof candidate?.find === "function" &&
    typeof candidate.save === "function" &&
    typeof candidate.delete === "function" &&
    typeof candidate.touch === "function";
  if (!valid) {
    throw new TypeError(
      `Expected \`store\` to be a Store with find, save, delete and touch methods, got ${describeValue(store)}`,
    );
  }
}

/**
 * Checks an adapter's `ttlMs` option.
 *
 * @returns The option, or one day when it is undefined.
 * @throws TypeError when `ttlMs` is not a number.
 * @throws RangeError when `ttlMs` is not an integer of 1 or more.
 */
export function checkTtl(ttlMs: unknown): number {
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

/** The instant `ms` from now, capped at the last valid `Date`. */
export function dateInMs(ms: number): Date {
  return new Date(Math.min(Date.now() + ms, MAX_DATE_MS));
}
