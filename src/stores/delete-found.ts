/**
 * What a delete of this package's stores found under the token, which the adapters learn through
 * a method named by a symbol, so that it is no part of a store's public API. A module of its own,
 * with no import, so that an adapter can look for the method without loading any store.
 *
 * - `"live"`: a live session, now deleted for good.
 * - `"deleted"`: a session already deleted for good (a marker) by a logout: another request
 *   destroyed it. So too a session moved to a new ID that was then destroyed, followed from move
 *   to move (at most {@link MAX_MOVES_FOLLOWED}).
 * - `"moved"`: a session another request moved to a new ID (see {@link MARK_MOVED}), which is
 *   not destroyed: live, not saved yet, not known yet, or expired.
 * - `"none"`: nothing live or deleted (an unknown or expired token).
 */
export type DeleteFound = "live" | "deleted" | "moved" | "none";

/**
 * The method: `store[DELETE_FOUND](token, movedTo?)` deletes as `store.delete(token)` does, and
 * answers. With `movedTo`, the delete is a request's move of the session to that ID (`""`: to an
 * ID not known yet), which a live session's marker records as {@link MARK_MOVED} does, in the
 * same step.
 */
export const DELETE_FOUND = Symbol("Store.deleteFound");

/**
 * The method: `store[MARK_MOVED](token, movedTo)` records, on the marker the delete of `token`
 * left, that a request moved the session to `movedTo` (a regenerate, a key rotation) rather than
 * destroying it. Another request that held the session and moves it too then learns `"moved"`
 * from its delete rather than `"deleted"`, and stores its own move, unless `movedTo` was destroyed
 * since. It changes nothing when `token` holds no marker, or one of a move to a known ID already;
 * it never brings a session back.
 */
export const MARK_MOVED = Symbol("Store.markMoved");

/** How many moves a delete follows, from ID to ID, before it takes the session for destroyed. */
export const MAX_MOVES_FOLLOWED = 16;

/** A store whose delete says what it found. */
export interface DeleteFinding {
  [DELETE_FOUND](token: string, movedTo?: string): DeleteFound | Promise<DeleteFound>;
  [MARK_MOVED](token: string, movedTo: string): void | Promise<void>;
}
