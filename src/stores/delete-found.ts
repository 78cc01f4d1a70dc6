/**
 * What a delete of this package's stores found under the token, which the adapters learn through
 * a method named by a symbol, so that it is no part of a store's public API. A module of its own,
 * with no import, so that an adapter can look for the method without loading any store.
 *
 * - `"live"`: a live session, now deleted for good.
 * - `"deleted"`: a session already deleted for good (a marker): another request destroyed it.
 * - `"none"`: nothing live or deleted (an unknown or expired token).
 */
export type DeleteFound = "live" | "deleted" | "none";

/** The method: `store[DELETE_FOUND](token)` deletes as `store.delete(token)` does, and answers. */
export const DELETE_FOUND = Symbol("Store.deleteFound");

/** A store whose delete says what it found. */
export interface DeleteFinding {
  [DELETE_FOUND](token: string): DeleteFound | Promise<DeleteFound>;
}
