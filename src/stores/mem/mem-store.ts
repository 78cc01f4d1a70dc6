import { constants } from "node:buffer";
import {
  assertToken,
  checkNumber,
  checkOptions,
  checkSaveArguments,
  checkTouchArguments,
  describeValue,
  isToken,
  MAX_TIMER_DELAY_MS,
} from "../../arguments";
import {
  type FindResult,
  type IterableStore,
  MISSING,
  type OwnedSession,
  type OwnerIndexedStore,
} from "../../store";
import {
  DELETE_FOUND,
  type DeleteFinding,
  type DeleteFound,
  MARK_MOVED,
  MAX_MOVES_FOLLOWED,
} from "../delete-found";
import { MarkerLimit } from "./marker-limit";
import { assertOwner, OwnerIndex } from "./owner-index";
import {
  type BoundedEntry,
  BYTES,
  boundedEntry,
  DELETED,
  type Held,
  OWNER,
  type SessionEntry,
} from "./session-entry";
import { SessionLimit } from "./session-limit";
import { ShardedCache } from "./sharded-cache";
import { FIND_TEXT, ownMethods, SAVE_TEXT } from "./text-access";

/**
 * node-cache keeps entries in a plain object, where a token such as `__proto__` or `constructor`
 * would hit `Object.prototype`: such tokens get this prefix in their key, which no prototype member
 * name has. So do tokens that start with it, so that no two tokens share a key.
 */
const KEY_PREFIX = "#";
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
/** The most bytes one session may hold: sessions are kept as strings, one character a byte. */
const MAX_SESSION_BYTES = constants.MAX_STRING_LENGTH;

/** Options of {@link MemStore}. */
export interface MemStoreOptions {
  /**
   * The most sessions the store holds at once: an integer of 1 or more. Saving a new token into a
   * full store makes room, and the save succeeds: expired sessions go first, then the least
   * recently used live session (the one saved, found or touched longest ago) is evicted. Updating
   * a stored token never evicts. The markers that deleted sessions leave (see `MemStore.delete`)
   * take no place of a session, and are bounded apart, at as many: past that, the marker that
   * expires first goes. Default: no limit, and none of this bookkeeping.
   */
  maxSessions?: number;
}

/**
 * An in-memory session store, a port of Go SCS's `memstore`: `node-cache` inside (one instance,
 * or several whose cleanup passes take turns, for intervals of two seconds and more),
 * each session's expiry turned into its key's time-to-live, and expired sessions removed by
 * node-cache's periodic check.
 *
 * Sessions live in this process only: they are lost when it stops, and other processes cannot
 * see them. All methods answer synchronously.
 *
 * @example
 * ```ts
 * import { MemStore } from "scs-memstore";
 *
 * const store = new MemStore(300_000); // remove expired sessions every five minutes
 * store.save("token", new TextEncoder().encode("hello"), new Date(Date.now() + 60_000));
 * const found = store.find("token");
 * if (found.exists) console.log(new TextDecoder().decode(found.data)); // "hello"
 * store.close();
 * ```
 */
export class MemStore implements IterableStore, OwnerIndexedStore, DeleteFinding, Disposable {
  /**
   * The sessions, and in the place of each session deleted for good, until its own expiry, a
   * marker ({@link DELETED}): see {@link MemStore.delete}.
   */
  private readonly cache: ShardedCache;
  /**
   * Whether a marker was ever stored: a store that never deleted a live session has none to
   * look for.
   */
  private markersHeld = false;
  /** Present only with `maxSessions`. */
  private readonly limit: SessionLimit | undefined;
  /** Present only with `maxSessions`: the bound on markers. */
  private readonly markerLimit: MarkerLimit | undefined;
  /** Made by the first save that names an owner. */
  private index: OwnerIndex | undefined;
  /**
   * For each marker of a session a request moved to a new ID, that ID: see {@link MARK_MOVED}.
   * Made on first use; an entry goes with its marker.
   */
  private moves: Map<string, string> | undefined;

  /**
   * Creates an empty store.
   *
   * @param cleanupIntervalMs - How often, in milliseconds, expired sessions (and the markers
   *   deleted sessions leave) are removed from memory by node-cache's background check. With an
   *   interval of 500 ms or more they are spread over up to 64 node-cache instances (one for
   *   each 250 ms of interval, 64 from 16 s on, each made when the first session that belongs
   *   in it is saved) whose checks take turns, evenly over the interval, so that each pass walks
   *   a fraction of them; an expired session still leaves memory within one interval. `0`
   *   runs no check: expired sessions are then never returned, but stay in memory until their
   *   token is saved, found or deleted again, or `all` walks past them. The timers never keep the
   *   process alive. Default: `300_000` (five minutes).
   * @param options - See {@link MemStoreOptions}.
   * @throws TypeError when `cleanupIntervalMs` is not a number, or `maxSessions` is given and is
   *   not a number.
   * @throws RangeError when `cleanupIntervalMs` is not a finite number from 0 to 2,147,483,647
   *   (Node's timer limit), or `maxSessions` is not an integer of 1 or more.
   */
  constructor(cleanupIntervalMs = 300_000, options: MemStoreOptions = {}) {
    checkOptions(options);
    checkNumber(cleanupIntervalMs, "cleanupIntervalMs", {
      min: 0,
      max: MAX_TIMER_DELAY_MS,
      integer: false,
    });
    const { maxSessions } = options;
    if (maxSessions !== undefined) checkNumber(maxSessions, "maxSessions", { min: 1 });
    this.cache = new ShardedCache(cleanupIntervalMs);
    this.limit = maxSessions === undefined ? undefined : new SessionLimit(this.cache, maxSessions);
    this.markerLimit =
      maxSessions === undefined ? undefined : new MarkerLimit(this.cache, maxSessions);
  }

  /**
   * Looks up a session.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @returns `{ exists: true, data }` while the session is live (before its expiry), with a copy of
   *   its bytes that the caller may change freely; `{ exists: false, data: undefined }` for an
   *   unknown, deleted or expired token, which is never an error.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
   */
  find(token: string): FindResult {
    const bytes = this.held(token);
    return bytes === undefined ? MISSING : { exists: true, data: Buffer.from(bytes, "latin1") };
  }

  /**
   * {@link MemStore.find}, for a session that is JSON in UTF-8: answers the stored text itself
   * when its bytes are all ASCII (every string a store holds is one byte a character, the Latin-1
   * of the bytes, and ASCII bytes are their own text), with no copy and no decode; anything else
   * as `find` answers it.
   */
  [FIND_TEXT](token: string): string | FindResult {
    const bytes = this.held(token);
    if (bytes === undefined) return MISSING;
    if (Buffer.byteLength(bytes, "utf8") === bytes.length) return bytes;
    return { exists: true, data: Buffer.from(bytes, "latin1") };
  }

  /** The bytes of the live session under `token`, as a Latin-1 string; a use of it when bounded. */
  private held(token: string): string | undefined {
    assertToken(token);
    const value = this.cache.get<Held>(keyOf(token));
    if (value === undefined || typeof value === "string") return value;
    if (value === DELETED) return undefined;
    this.limit?.used(value as BoundedEntry);
    return value[BYTES];
  }

  /**
   * Stores a session, or replaces the one stored under `token` (its data and its expiry, earlier
   * or later). The store keeps a copy of `data`: changing the array afterwards changes nothing.
   *
   * The session is live until `expiry`, to the millisecond: found one millisecond before it, gone
   * at it. An `expiry` that is not after the current time (in the past, or exactly now) stores
   * nothing and removes any session stored under `token`. Far-future expiries are kept as given
   * (`sessionsOf` reports them to the millisecond up to 2^52 ms, in the year 144,683; later ones,
   * within a millisecond).
   *
   * A token deleted by {@link MemStore.delete} stays deleted until the deleted session's own
   * expiry: saving it meanwhile stores nothing (its owner included), and is not an error.
   *
   * With `owner`, the session is listed by {@link MemStore.sessionsOf} under that owner (and no
   * other) while it is live; without one, under no owner. A save that names another owner moves
   * the session to it. Saves that never name an owner cost nothing more.
   *
   * With `maxSessions` set, a new token saved into a full store first makes room: expired
   * sessions go (every one, found through a heap of expiries), then the least recently used live
   * session is evicted. Updating a stored token never evicts.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @param data - The session's bytes: any `Uint8Array` (a `Buffer`, a view into a larger buffer,
   *   an empty array) of at most `buffer.constants.MAX_STRING_LENGTH` bytes (about 512 MiB).
   * @param expiry - When the session stops being live.
   * @param owner - The session's owner (typically a user id): a non-empty string of well-formed
   *   Unicode, or `undefined` for none. Default: none.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode, `data` is not
   *   a `Uint8Array`, `expiry` is not a `Date`, or `owner` is neither `undefined` nor a non-empty
   *   string of well-formed Unicode.
   * @throws RangeError when `expiry` is an invalid `Date`, or `data` is over the size limit.
   *   Nothing is changed by a call that throws.
   */
  save(token: string, data: Uint8Array, expiry: Date, owner?: string): void {
    const expiryMs = checkSaveArguments(token, data, expiry);
    if (owner !== undefined) assertOwner(owner);
    this.saveBytes(token, bytesToString(data), expiryMs, owner);
  }

  /**
   * {@link MemStore.save}, for a session that is JSON in UTF-8, given as its text: an all-ASCII
   * text is its own bytes and is stored as it is, with no encode and no copy; anything else is
   * encoded and saved as `save` saves it.
   *
   * @param ascii - Whether `json` is all ASCII.
   */
  [SAVE_TEXT](
    token: string,
    json: string,
    ascii: boolean,
    expiry: Date,
    owner: string | undefined,
  ): void {
    if (!ascii) {
      this.save(token, Buffer.from(json, "utf8"), expiry, owner);
      return;
    }
    const expiryMs = checkTouchArguments(token, expiry);
    if (owner !== undefined) assertOwner(owner);
    this.saveBytes(token, json, expiryMs, owner);
  }

  /** Saves a session whose arguments are checked, its bytes as a Latin-1 string. */
  private saveBytes(
    token: string,
    bytes: string,
    expiryMs: number,
    owner: string | undefined,
  ): void {
    const key = keyOf(token);
    if (this.markersHeld && this.isDeleted(key)) return;
    if (
      owner === undefined &&
      this.limit === undefined &&
      (this.index === undefined || this.index.size === 0)
    ) {
      // No entry to keep, and none held (every entry of a store without a bound has an owner).
      this.keepUntil(key, expiryMs, bytes);
      return;
    }
    this.storeEntry(key, bytes, expiryMs, owner);
  }

  /**
   * Lists the live sessions of `owner`: those whose last save named it. Expired, deleted and
   * evicted sessions are never listed, nor one saved since under another owner or none. The cost
   * grows with the owner's sessions only (a lookup each), never with the store's.
   *
   * @param owner - The owner: a non-empty string of well-formed Unicode.
   * @returns A new array of `{ token, expiry }`, in no particular order; empty when the owner has
   *   no live session.
   * @throws TypeError when `owner` is not a non-empty string of well-formed Unicode.
   */
  sessionsOf(owner: string): OwnedSession[] {
    assertOwner(owner);
    const sessions: OwnedSession[] = [];
    if (this.index === undefined) return sessions;
    for (const key of this.index.keysOf(owner)) {
      // getTtl() removes an expired session, and with it its entry in the index.
      const heldMs = this.cache.getTtl(key);
      if (heldMs !== undefined) {
        sessions.push({ token: tokenOf(key), expiry: new Date(Math.round(heldMs + 0.5)) });
      }
    }
    return sessions;
  }

  /**
   * Deletes every live session of `owner` but the one named by `exceptToken`, each for good as
   * {@link MemStore.delete} does: a marker stays in its place until its own expiry. Sessions of
   * other owners, including ones that belonged to `owner` before, are left alone. The cost grows
   * with the owner's sessions only.
   *
   * @param owner - The owner: a non-empty string of well-formed Unicode.
   * @param exceptToken - A session to keep, such as the current request's; `undefined` keeps
   *   none. Default: none.
   * @returns How many sessions were deleted.
   * @throws TypeError when `owner` is not a non-empty string of well-formed Unicode, or
   *   `exceptToken` is neither `undefined` nor a non-empty string of well-formed Unicode. Nothing
   *   is deleted by a call that throws.
   */
  deleteSessionsOf(owner: string, exceptToken?: string): number {
    assertOwner(owner);
    if (exceptToken !== undefined && !isToken(exceptToken)) {
      throw new TypeError(
        `Expected \`exceptToken\` to be undefined or a non-empty string of well-formed Unicode, got ${describeValue(exceptToken)}`,
      );
    }
    if (this.index === undefined) return 0;
    const exceptKey = exceptToken === undefined ? undefined : keyOf(exceptToken);
    let deleted = 0;
    for (const key of this.index.keysOf(owner)) {
      if (key !== exceptKey && this.deleteKey(key) === "live") deleted++;
    }
    return deleted;
  }

  /**
   * Stores a session that has an entry (it has an owner, or the store a bound), or replaces one
   * that had one: the entry held before is read where the session is about to be written, for
   * the owner it names and the place it holds in the order of use, and reused.
   */
  private storeEntry(
    key: string,
    bytes: string,
    expiryMs: number,
    owner: string | undefined,
  ): void {
    const limit = this.limit;
    let held: string | SessionEntry | undefined;
    if (limit === undefined) {
      // Expired or not: an expired session's entry is listed under its owner until it goes.
      held = this.cache.peek<string | SessionEntry>(key);
    } else {
      // An expired session under `key` is removed here, and the token counts as new.
      held = this.cache.get<BoundedEntry>(key);
      if (held === undefined && limit.full && expiryMs > Date.now()) limit.makeRoom(Date.now());
    }
    const entryHeld = typeof held === "object" ? held : undefined;
    const ownerBefore = entryHeld?.[OWNER];
    let value: string | SessionEntry;
    if (owner === undefined && limit === undefined) {
      value = bytes;
    } else if (entryHeld === undefined) {
      value = limit === undefined ? [bytes, owner as string] : boundedEntry(key, bytes, owner);
    } else {
      // The owner it names changes only once it is stored: should storing remove the session,
      // node-cache's `del` hands over the entry, and the index must find it under its owner.
      entryHeld[BYTES] = bytes;
      value = entryHeld;
    }
    if (!this.keepUntil(key, expiryMs, value)) return;
    limit?.used(value as BoundedEntry, expiryMs);
    if (owner === ownerBefore) return;
    if (value === entryHeld) entryHeld[OWNER] = owner;
    // An owner before means an index made before; an owner now makes it if need be.
    const index = this.ownerIndex();
    if (ownerBefore !== undefined) index.remove(key, ownerBefore);
    if (owner !== undefined) index.add(key, owner);
  }

  /**
   * Removes a session for good: until the session's own expiry, a marker stays in its place, and
   * no {@link MemStore.save} of the token stores anything; `find`, `touch` and `all` answer as for
   * an unknown token. A request that loaded the session before the delete and saves it after
   * (a slow request running across a logout) thus changes nothing. Deleting an unknown, expired
   * or already deleted token does nothing, and leaves no marker.
   *
   * A marker holds the token and an expiry, not the session's bytes, and never counts towards
   * `maxSessions`: it never takes a place of a live session, nor evicts one. Markers expire with
   * the sessions they replace and leave memory as expired sessions do (at the next cleanup check,
   * or when their token is used again), so they hold at most one entry for each session deleted
   * within the last session lifetime. In a full store, the place of the deleted session can be
   * used at once. With `maxSessions`, the store also holds at most that many markers, whatever
   * the cleanup interval: a marker stored past that bound removes the one that expires first
   * (every expired marker before any live one, then the one whose session would have expired
   * soonest), whose token can then be saved again.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
   */
  delete(token: string): void {
    assertToken(token);
    this.deleteKey(keyOf(token));
  }

  /**
   * {@link MemStore.delete}, answering what it found: see {@link DeleteFound}. A marker of a move
   * is followed to the token it moved to. With `movedTo`, the marker a live session leaves records
   * a move to it (`""`: to a token not known yet), as {@link MARK_MOVED} does.
   */
  [DELETE_FOUND](token: string, movedTo?: string): DeleteFound {
    assertToken(token);
    if (movedTo !== undefined && movedTo !== "") assertToken(movedTo, "movedTo");
    const key = keyOf(token);
    const found = this.deleteKey(key);
    // A session at its very last millisecond leaves no marker to record the move on.
    if (found === "live" && movedTo !== undefined && this.isDeleted(key)) {
      this.movesMade().set(key, movedTo);
    }
    return found === "deleted" ? this.followMoves(key) : found;
  }

  /** Records that the session deleted under `token` was moved to `movedTo`: see {@link MARK_MOVED}. */
  [MARK_MOVED](token: string, movedTo: string): void {
    assertToken(token);
    assertToken(movedTo, "movedTo");
    const key = keyOf(token);
    if (!this.markersHeld || !this.isDeleted(key)) return;
    const moves = this.movesMade();
    const before = moves.get(key);
    if (before === undefined || before === "") moves.set(key, movedTo);
  }

  /** The moves recorded on markers, made on first use: an entry goes with its marker. */
  private movesMade(): Map<string, string> {
    if (this.moves === undefined) {
      const moves = new Map<string, string>();
      this.cache.onDelete((deletedKey, value) => {
        if (value === DELETED) moves.delete(deletedKey);
      });
      this.moves = moves;
    }
    return this.moves;
  }

  /**
   * What the live marker under `key` stands for: a session destroyed (`"deleted"`), or moved to
   * an ID that is not destroyed, followed from move to move (`"moved"`).
   */
  private followMoves(key: string): DeleteFound {
    let markerKey = key;
    for (let moves = 0; moves < MAX_MOVES_FOLLOWED; moves++) {
      const movedTo = this.moves?.get(markerKey);
      if (movedTo === undefined) return "deleted";
      if (movedTo === "") return "moved"; // to an ID its request has not made known yet
      markerKey = keyOf(movedTo);
      // A live session, nothing (not saved yet, or expired), or an expired marker, removed.
      if (!this.isDeleted(markerKey)) return "moved";
    }
    return "deleted";
  }

  /**
   * Moves a live session's expiry to `expiry`, earlier or later, keeping its data as it is: one
   * node-cache `ttl()` call (once the store has deleted a session, after a read of the same place
   * for its marker), answered synchronously.
   *
   * The session is then live until `expiry`, to the millisecond: found one millisecond before it,
   * gone at it. A token that is unknown, deleted or expired answers `false` and stays gone: touch
   * never creates a session or brings one back. An `expiry` that is not after the current time
   * (in the past, or exactly now) removes the session and answers `false`.
   *
   * @param token - The session token: a non-empty string of well-formed Unicode.
   * @param expiry - The session's new expiry.
   * @returns `true` when the session was live and now expires at `expiry`, otherwise `false`.
   * @throws TypeError when `token` is not a non-empty string of well-formed Unicode or `expiry` is
   *   not a `Date`.
   * @throws RangeError when `expiry` is an invalid `Date`. Nothing is changed by a call that throws.
   */
  touch(token: string, expiry: Date): boolean {
    const expiryMs = checkTouchArguments(token, expiry);
    const key = keyOf(token);
    // A marker is held as a session is: the expiry node-cache would move is the marker's.
    if (this.markersHeld && this.isDeleted(key)) return false;
    if (this.limit === undefined) return this.keepUntil(key, expiryMs, undefined);
    const entry = this.cache.get<BoundedEntry>(key);
    const live = this.keepUntil(key, expiryMs, undefined) && entry !== undefined;
    if (live) this.limit.used(entry, expiryMs);
    return live;
  }

  /**
   * Lists the live sessions. Expired sessions met on the way are removed from memory.
   *
   * @returns A new `Map` from token to a copy of the session's bytes; an empty `Map` when no
   *   session is live. Walks every stored session: O(n).
   */
  all(): Map<string, Uint8Array> {
    const sessions = new Map<string, Uint8Array>();
    for (const key of this.cache.keys()) {
      const value = this.cache.get<Held>(key);
      if (value === undefined || value === DELETED) continue;
      const bytes = typeof value === "string" ? value : value[BYTES];
      sessions.set(tokenOf(key), Buffer.from(bytes, "latin1"));
    }
    return sessions;
  }

  /**
   * Stops the background cleanup. Safe to call more than once. The store stays usable: sessions
   * still expire on time, but expired ones stay in memory until their token is used again (or
   * `all` walks past them).
   */
  close(): void {
    this.cache.close();
  }

  /** The same as {@link MemStore.close}, for `using store = new MemStore()`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /**
   * Deletes the session under `key` for good, leaving a marker until its expiry.
   *
   * @returns What it found: a live session (now deleted), a marker, or nothing.
   */
  private deleteKey(key: string): DeleteFound {
    // getTtl() removes an expired session (or marker) as it reads it; a live one holds its expiry
    // less 0.5 ms.
    const heldMs = this.cache.getTtl(key);
    if (heldMs === undefined) return "none";
    if (this.cache.peek<Held>(key) === DELETED) return "deleted";
    // The session's removal is node-cache's `del`, whose event the owner index and the order of
    // use follow; the marker then takes its place, until the session's own expiry.
    this.cache.del(key);
    this.markersHeld = true;
    const expiryMs = Math.round(heldMs + 0.5);
    if (keepUntil(this.cache, key, expiryMs, DELETED)) this.markerLimit?.added(key, expiryMs);
    return "live";
  }

  /**
   * The owner index, made on first use; it follows node-cache's deletions from then on, so it
   * never holds a session that node-cache no longer does.
   */
  private ownerIndex(): OwnerIndex {
    if (this.index === undefined) {
      const index = new OwnerIndex();
      this.cache.onDelete((key, value) => {
        // Sessions with an owner are entries; any other value has none.
        const owner = typeof value === "object" ? (value as SessionEntry)[OWNER] : undefined;
        if (owner !== undefined) index.remove(key, owner);
      });
      this.index = index;
    }
    return this.index;
  }

  /**
   * Whether `key` was deleted for good and its marker is still live: a read of the place a save
   * then writes. An expired marker met is removed.
   */
  private isDeleted(key: string): boolean {
    return this.cache.peek<Held>(key) === DELETED && this.cache.has(key);
  }

  /** {@link keepUntil} on the sessions. */
  private keepUntil(
    key: string,
    expiryMs: number,
    value: string | SessionEntry | undefined,
  ): boolean {
    return keepUntil(this.cache, key, expiryMs, value);
  }
}

// What the adapters compare a store's methods with before they take the text path.
ownMethods.find = MemStore.prototype.find;
ownMethods.save = MemStore.prototype.save;

/**
 * Keeps `key` in `cache` until `expiryMs`: stores `value` under it (a session's bytes, its entry
 * in a bounded store, or a marker), or, with `value` undefined, moves the expiry of the live entry
 * (touch). An expiry that is not after now deletes the key instead, since a TTL of 0 would mean
 * "forever" to node-cache. node-cache drops a key once its expiry is below the current time, so
 * the key gets `expiryMs - 0.5`: still there 1 ms before `expiryMs`, gone at it.
 *
 * @returns Whether the key is live until `expiryMs`.
 */
function keepUntil(cache: ShardedCache, key: string, expiryMs: number, value: unknown): boolean {
  let nowMs = Date.now();
  for (;;) {
    if (expiryMs <= nowMs) {
      cache.del(key);
      return false;
    }
    const ttlS = (expiryMs - 0.5 - nowMs) / 1_000;
    const kept = value === undefined ? cache.ttl(key, ttlS) : cache.set(key, value, ttlS);
    if (!kept) return false;
    // node-cache reads the clock itself; if the millisecond turned meanwhile, the expiry is 1 ms
    // late: set it again from the new time.
    const afterMs = Date.now();
    if (afterMs === nowMs) return true;
    nowMs = afterMs;
  }
}

/**
 * The node-cache key of a token: the token itself, unless it names a member of `Object.prototype`
 * or starts with the prefix. Most tokens (random IDs) are their own key: no new string is made,
 * and the one the caller holds is looked up as it is.
 */
export function keyOf(token: string): string {
  return token.startsWith(KEY_PREFIX) || PROTOTYPE_NAMES.has(token) ? KEY_PREFIX + token : token;
}

/** The token of a node-cache key: {@link keyOf} undone. */
function tokenOf(key: string): string {
  return key.startsWith(KEY_PREFIX) ? key.slice(KEY_PREFIX.length) : key;
}

/**
 * A private copy of the bytes, as a one-byte (latin1) string: cheaper to make, and smaller to keep,
 * than a Uint8Array with a backing store of its own; and immutable.
 *
 * @throws RangeError when `data` has more bytes than a string can hold.
 */
function bytesToString(data: Uint8Array): string {
  // Empty, or a view of a buffer since transferred (detached), which reads as empty too.
  if (data.byteLength === 0) return "";
  if (data.byteLength > MAX_SESSION_BYTES) {
    throw new RangeError(
      `Expected \`data\` to hold at most ${MAX_SESSION_BYTES} bytes, got ${data.byteLength} bytes`,
    );
  }
  const view = Buffer.isBuffer(data)
    ? data
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return view.toString("latin1");
}
