import { describeValue } from "../../arguments";

/**
 * Bridges between a store's answers (a value now, or a Promise) and the calling conventions of the
 * frameworks: Node-style callbacks, answered in a later turn or in the same one.
 */

/** A store's answer: now, or later. */
export type Answer<T> = T | PromiseLike<T>;

/** A framework's Node-style callback. */
type Callback<T> = (error: unknown, value?: T) => void;

/** Applies `next` to a store's answer: at once for a value, later for a Promise. */
export function mapAnswer<T, U>(answered: Answer<T>, next: (value: T) => Answer<U>): Answer<U> {
  return isPromiseLike(answered) ? Promise.resolve(answered).then(next) : next(answered);
}

/**
 * Runs `work` and hands its outcome to a Node-style `callback`, always asynchronously and never
 * throwing: a throw or a rejection reaches the callback as its error, always an `Error` (see
 * {@link asError}). A store that answers
 * synchronously is answered without a Promise. A throw from the callback is handed back to it once,
 * as its error (see {@link callDetached}).
 */
export function answer<T>(work: () => Answer<T>, callback: Callback<T> | undefined): void {
  let result: Answer<T>;
  try {
    result = work();
  } catch (error) {
    if (callback) process.nextTick(callDetached, callback, [asError(error)]);
    return;
  }
  if (!isPromiseLike(result)) {
    if (callback) process.nextTick(callDetached, callback, [null, result]);
    return;
  }
  result.then(
    (value) => callback && process.nextTick(callDetached, callback, [null, value]),
    (error: unknown) => callback && process.nextTick(callDetached, callback, [asError(error)]),
  );
}

/**
 * Runs `work` and hands its outcome to a Node-style `callback`, never throwing: a throw or a
 * rejection reaches the callback as its error, always an `Error` (see {@link asError}). A store
 * that answers synchronously is answered
 * synchronously, before this returns; a Promise, once it settles.
 *
 * Called synchronously, the callback is called outside any `try`, exactly once: a throw from it
 * reaches whoever called the adapter (a framework's hook runner, which answers it through the
 * framework's error path). Called once a Promise settles, nothing of the framework is left to
 * catch a throw, so it is handed back to the callback as its error (see {@link callDetached}).
 */
export function answerInTurn<T>(work: () => Answer<T>, callback: Callback<T>): void {
  let result: Answer<T>;
  try {
    result = work();
  } catch (error) {
    callback(asError(error));
    return;
  }
  if (isPromiseLike(result)) {
    Promise.resolve(result).then(
      (value) => callDetached(callback, [null, value]),
      (error: unknown) => callDetached(callback, [asError(error)]),
    );
  } else {
    callback(null, result);
  }
}

/**
 * Runs `work` for a framework that takes a store's answer as it comes, a value now or a Promise:
 * never throws. A value is answered as it is; a throw, or a Promise that rejects, comes back as a
 * rejected Promise holding an `Error` (see {@link asError}): Koa ignores a rejection with
 * `undefined` or `null`, and Hono passes only `Error`s to `onError`.
 */
export function settled<T>(work: () => Answer<T>): T | Promise<T> {
  let answered: Answer<T>;
  try {
    answered = work();
  } catch (error) {
    return Promise.reject(asError(error));
  }
  if (!isPromiseLike(answered)) return answered;
  return Promise.resolve(answered).then(undefined, (error: unknown) => {
    throw asError(error);
  });
}

/**
 * Calls a framework's callback in a turn of its own (a tick, a settled Promise), where nothing of
 * the framework is on the stack to catch what the callback throws: a route's reply that Fastify
 * refuses, a response that a handler's `save` callback cannot send. Such a throw is handed to the
 * callback once more, as its error, which is what the framework does with a throw from a callback
 * called in its own turn: Fastify's hook runner and express-session pass it on to their error
 * path, which answers 500. Left alone, it would be an unhandled rejection or an uncaught
 * exception, and Node would exit. A throw from that second call (the error path itself failing)
 * is not caught again, as it would not be in the framework's own turn.
 */
function callDetached<T>(callback: Callback<T>, args: [unknown, T?]): void {
  try {
    callback(...args);
  } catch (thrown) {
    callback(asError(thrown, "A session callback"));
  }
}

/**
 * `error` as an `Error`: itself when it is one, else an `Error` saying what was thrown, with the
 * value as its `cause`. A Node-style callback reads a falsy error (a rejection with `undefined` or
 * `null`) as success, and Hono passes only `Error`s to `onError`: a failure must never pass for
 * either.
 *
 * @param source - What failed, for the message.
 */
export function asError(error: unknown, source = "The session store"): Error {
  if (error instanceof Error) return error;
  return new Error(`${source} failed with ${describeValue(error)}, not an Error`, {
    cause: error,
  });
}

/** Whether a store's answer comes later. */
export function isPromiseLike<T>(value: Answer<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}
