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
 * - A deleted session stays deleted: `delete` of a live session leaves a marker in its place until
 *   the session's own expiry, and no `save` of that token brings it back before then, whatever the
 *   order in which calls in flight arrive (a request that loaded the session before the delete and
 *   saves it after changes nothing). `find`, `touch` and `all` never answer a deleted session.
 */
export interface Store {
  /**
   * Looks up the session named by `token`.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @returns `{ exists: true, data }` for a live session, with a copy of its bytes; `{ exists:
   *   false, data: undefined }` when the token is unknown, deleted or expired. A small `data` may
   *   be a view into a buffer shared with other values, as Node's small `Buffer`s are: read it
   *   through the view (its `byteOffset` and `byteLength`), never its whole `.buffer`.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
   */
  find(token: string): FindResult | Promise<FindResult>;

  /**
   * Stores `data` under `token` until `expiry`, replacing any session already stored under that
   * token (its data and its expiry, earlier or later). An `expiry` that is not after the current
   * time removes the session instead: nothing is stored. A token whose session was deleted (see
   * {@link Store.delete}) stays deleted: the call changes nothing and is not an error.
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
   * Removes the session named by `token`, for good: a marker stays in its place until the
   * session's own expiry, and until then no {@link Store.save} of the token stores anything, and
   * `find`, `touch` and `all` answer as for an unknown token. This is what makes a logout stick
   * while a request that loaded the session before it is still running. Deleting an unknown,
   * expired or already deleted token does nothing.
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

/** One live session of an owner, as {@link OwnerIndexedStore.sessionsOf} lists it. */
export interface OwnedSession {
  /** The session's token. */
  readonly token: string;
  /** When the session expires, to the millisecond. */
  readonly expiry: Date;
}

/**
 * A store that also indexes sessions by owner (typically the id of the user logged in to them),
 * so that the sessions of one owner can be listed and deleted without walking every session.
 *
 * The index, shared by every store that offers it:
 * - A session has an owner when it was last saved with one; a save without an owner leaves it
 *   with none. An owner is a non-empty string of well-formed Unicode.
 * - `sessionsOf(owner)` lists exactly the live sessions whose last save named that owner: never an
 *   expired or deleted session, never one saved since under another owner or none. A live session
 *   of the owner is never missing from it, not even while calls are in flight.
 * - `deleteSessionsOf` deletes as {@link Store.delete} does (for good), and only sessions still of
 *   that owner when each is deleted.
 * - The cost of both grows with the owner's sessions, never with the whole store.
 */
export interface OwnerIndexedStore extends Store {
  /**
   * {@link Store.save}, and records the session's owner: with `owner`, the session is listed by
   * `sessionsOf(owner)` (and by no other owner) while it is live; without one, by no owner.
   *
   * @param owner - The owner: a non-empty string of well-formed Unicode, or `undefined` for none.
   * @throws TypeError when `owner` is neither `undefined` nor a non-empty string of well-formed
   *   Unicode, and for the bad arguments of {@link Store.save}; nothing is changed.
   */
  save(token: string, data: Uint8Array, expiry: Date, owner?: string): void | Promise<void>;

  /**
   * Lists the live sessions of `owner`, in no particular order.
   *
   * @returns A new array, empty when the owner has no live session.
   * @throws TypeError when `owner` is not a non-empty string of well-formed Unicode.
   */
  sessionsOf(owner: string): OwnedSession[] | Promise<OwnedSession[]>;

  /**
   * Deletes, for good (as {@link Store.delete}), every live session of `owner` except the one
   * named by `exceptToken`. A session saved meanwhile under another owner is left alone.
   *
   * @param exceptToken - A token to leave alone, such as the current request's session.
   * @returns How many sessions were deleted.
   * @throws TypeError when `owner` is not a non-empty string of well-formed Unicode, or
   *   `exceptToken` is neither `undefined` nor a token.
   */
  deleteSessionsOf(owner: string, exceptToken?: string): number | Promise<number>;
}
