/**
 * Bridges between a store's answers (a value now, or a Promise) and the calling conventions of the
 * frameworks: Node-style callbacks, answered in a later turn or in the same one.
 */

/** A store's answer: now, or later. */
export type Answer<T> = T | PromiseLike<T>;

/** Applies `next` to a store's answer: at once for a value, later for a Promise. */
export function mapAnswer<T, U>(answered: Answer<T>, next: (value: T) => Answer<U>): Answer<U> {
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

/** Whether a store's answer comes later. */
export function isPromiseLike<T>(value: Answer<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === "function";
}
