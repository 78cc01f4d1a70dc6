/**
 * What {@link Store.find} answers: the session's bytes when the token names a live session,
 * otherwise `exists: false`. A missing or expired token is an answer, never an error.
 */
export type FindResult = { exists: true; data: Uint8Array } | { exists: false; data: undefined };

/** The answer of a `find` that found nothing: one frozen object, shared. */
export const MISSING: FindResult = Object.freeze({ exists: false, data: undefined });

/**
 * What every session store in this package implements (SCS's `Store`). Methods may answer now or
 * with a Promise; callers that serve any store should `await` each answer.
 *
 * The contract, shared by every store:
 * - A token is any non-empty string of well-formed Unicode (no lone surrogates, which a store
 *   keeping UTF-8 keys could not tell apart from U+FFFD). Anything else is misuse: a `TypeError`
 *   naming `token`.
 * - A session is live while the current time is before its expiry. At its expiry, or after it, the
 *   session is gone: `find` answers `exists: false`.
 * - Stores keep their own copy of the bytes, and hand out copies: mutating an array passed to
 *   `save`, or returned by `find`, never changes what the store holds.
 * - Errors are for misuse (bad arguments, rejected before the store changes) and for real failures
 *   (a backend that is down, out of memory). A call that fails changes nothing.
 * - Each call is one atomic step of the store: calls in flight together (a `save` and a `touch` of
 *   the same token) never undo each other's effect.
 */
export interface Store {
  /**
   * Looks up the session named by `token`.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @returns `{ exists: true, data }` for a live session, with a copy of its bytes; `{ exists:
   *   false, data: undefined }` when the token is unknown, deleted or expired.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
   */
  find(token: string): FindResult | Promise<FindResult>;

  /**
   * Stores `data` under `token` until `expiry`, replacing any session already stored under that
   * token (its data and its expiry, earlier or later). An `expiry` that is not after the current
   * time removes the session instead: nothing is stored.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @param data - The session's bytes (any `Uint8Array`, `Buffer` included; may be empty). The
   *   store copies them.
   * @param expiry - When the session stops being live, to the millisecond.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode, `data` is not a `Uint8Array` or
   *   `expiry` is not a `Date`.
   * @throws RangeError when `expiry` is an invalid `Date`.
   */
  save(token: string, data: Uint8Array, expiry: Date): void | Promise<void>;

  /**
   * Removes the session named by `token`. Deleting an unknown or expired token does nothing.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
   */
  delete(token: string): void | Promise<void>;

  /**
   * Moves the expiry of the live session named by `token` to `expiry` (earlier or later), without
   * reading or rewriting its data, in one atomic step of the store: a `save` of the same token
   * that overlaps the call is never undone by it.
   *
   * A token that is unknown, deleted or expired stays gone: `touch` never creates a session and
   * never brings one back. An `expiry` that is not after the current time removes the session, as
   * {@link Store.save} does. The same millisecond edges hold as for `save`: after a touch the
   * session is found until 1 ms before `expiry` and is gone at it.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @param expiry - The session's new expiry, to the millisecond.
   * @returns Whether the session is live after the call: `true` when it was live and now expires
   *   at `expiry`; `false` when there was none to touch, or `expiry` removed it.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode or `expiry` is
   *   not a `Date`.
   * @throws RangeError when `expiry` is an invalid `Date`.
   */
  touch(token: string, expiry: Date): boolean | Promise<boolean>;
}

/** A store that can list its live sessions (SCS v2's `IterableStore`). */
export interface IterableStore extends Store {
  /**
   * Lists every live session.
   *
   * @returns A new `Map` from token to a copy of the session's bytes. Expired sessions are left
   *   out; an empty store gives an empty `Map`.
   */
  all(): Map<string, Uint8Array> | Promise<Map<string, Uint8Array>>;
}
