/**
 * A session as a {@link MemStore} holds it when its bytes alone are not enough: node-cache's value
 * for its key when the session has an owner, and for every session of a store bounded by
 * `maxSessions`. Any other session is held as its bytes alone, a string.
 *
 * An array, not an object: node-cache sizes an array by its length, but lists the keys of an
 * object on every set. The owner lives in the entry, not in a map beside it, so that a save reads
 * the owner before it where it is about to write anyway: a second table would cost a lookup at
 * another place in memory on every save.
 */
export type SessionEntry = OwnedEntry | BoundedEntry;

/**
 * What a {@link MemStore} holds under a key in place of a session deleted for good, until the
 * session's own expiry (see `MemStore.delete`): in the same node-cache instance as the session,
 * so that the check every save makes reads the place node-cache is about to write anyway. A
 * symbol: never a string of bytes, never an entry, so that nothing taking a session's value for
 * its bytes, its owner or its place in the order of use can mistake it for one.
 */
export const DELETED: unique symbol = Symbol("deleted session");

/** Anything a {@link MemStore} holds under a key: a session's bytes, its entry, or a marker. */
export type Held = string | SessionEntry | typeof DELETED;

/** The entry of a session with an owner, in a store with no bound: two slots. */
export type OwnedEntry = [bytes: string, owner: string];

/**
 * The entry of a session in a store bounded by `maxSessions`: its key, its place in the order of
 * use, the sessions used just before (`older`, towards the least recently used) and just after it
 * (`newer`), and the expiry under which the store's heap of expiries lists it (`listedMs`, ms
 * since the epoch; `undefined` until it is listed).
 */
export type BoundedEntry = [
  bytes: string,
  owner: string | undefined,
  key: string,
  older: BoundedEntry | undefined,
  newer: BoundedEntry | undefined,
  listedMs: number | undefined,
];

/** Where each part of a {@link SessionEntry} is: the first two in every entry. */
export const BYTES = 0;
export const OWNER = 1;
export const KEY = 2;
export const OLDER = 3;
export const NEWER = 4;
export const LISTED_MS = 5;

/** A new entry for `key` in a bounded store, in no order of use yet. */
export function boundedEntry(key: string, bytes: string, owner: string | undefined): BoundedEntry {
  return [bytes, owner, key, undefined, undefined, undefined];
}
