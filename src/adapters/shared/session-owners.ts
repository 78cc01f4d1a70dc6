import { describeValue, isToken } from "../../arguments";
import type { OwnerIndexedStore, Store } from "../../store";
import { SAVE_TEXT } from "../../stores/mem/text-access";
import type { Answer } from "./callback-bridges";
import type { EncodedSession } from "./session-codec";
import { textStore } from "./stored-session";

/**
 * Who owns a session, as an adapter's `ownerOf` option answers it: typically the id of the user
 * logged in to it; `undefined` or `null` when nobody is.
 */
export type OwnerOf<Session> = (session: Session) => string | null | undefined;

/** One live session of an owner, as an adapter's `sessionsOf` lists it. */
export interface ListedSession {
  /**
   * The session's ID, as the framework names it: what its own destroy takes, and what
   * `destroySessionsOf`'s `except` takes. It is also the session's token in the store.
   */
  readonly id: string;
  /** When the session expires, to the millisecond. */
  readonly expires: Date;
}

/** Options of an adapter's `destroySessionsOf`. */
export interface DestroySessionsOptions {
  /** The ID of a session to leave alone, such as the current request's. Default: none. */
  readonly except?: string | undefined;
}

/**
 * Checks an adapter's `ownerOf` option against the store it wraps.
 *
 * @returns The option.
 * @throws TypeError when `ownerOf` is neither undefined nor a function, or is a function and
 *   `store` does not index sessions by owner (no `sessionsOf` and `deleteSessionsOf`).
 */
export function checkOwnerOf<Session>(
  ownerOf: OwnerOf<Session> | undefined,
  store: Store,
): OwnerOf<Session> | undefined {
  if (ownerOf === undefined) return undefined;
  if (typeof ownerOf !== "function") {
    throw new TypeError(`Expected \`ownerOf\` to be a function, got ${describeValue(ownerOf)}`);
  }
  if (!isOwnerIndexedStore(store)) {
    throw new TypeError(
      `\`ownerOf\` needs a store that indexes sessions by owner (an OwnerIndexedStore, with sessionsOf and deleteSessionsOf), got ${describeStore(store)}`,
    );
  }
  return ownerOf;
}

/**
 * The owner of a session being saved: what `ownerOf` answers, checked. Without `ownerOf`, none,
 * and nothing is called.
 *
 * @throws what `ownerOf` throws.
 * @throws TypeError when `ownerOf` answers anything but a non-empty string of well-formed Unicode,
 *   `undefined` or `null`.
 */
export function ownerIn<Session>(
  ownerOf: OwnerOf<Session> | undefined,
  session: Session,
): string | undefined {
  if (ownerOf === undefined) return undefined;
  const owner: unknown = ownerOf(session);
  if (owner === undefined || owner === null) return undefined;
  if (!isToken(owner)) {
    throw new TypeError(
      `Expected \`ownerOf\` to answer a non-empty string of well-formed Unicode, undefined or null, got ${describeValue(owner)}`,
    );
  }
  return owner;
}

/**
 * Saves a session, under its owner when it has one. A save without an owner is the store's plain
 * `save`, as it would be without `ownerOf`. A MemStore is handed the JSON text, which it keeps as
 * it is when all ASCII (see {@link textStore}).
 */
export function saveOwned(
  store: Store,
  token: string,
  encoded: EncodedSession,
  expiry: Date,
  owner: string | undefined,
): Answer<void> {
  const text = textStore(store);
  if (text !== undefined) return text[SAVE_TEXT](token, encoded.json, encoded.ascii, expiry, owner);
  if (owner === undefined) return store.save(token, encoded.data, expiry);
  return (store as OwnerIndexedStore).save(token, encoded.data, expiry, owner);
}

/**
 * The live sessions of `owner` in `store`, with the IDs the framework uses.
 *
 * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
 *   Unicode, or `store` does not index sessions by owner.
 */
export async function listSessionsOf(store: Store, owner: string): Promise<ListedSession[]> {
  const indexed = ownerIndexed(store, "sessionsOf");
  assertOwner(owner);
  const owned = await indexed.sessionsOf(owner);
  return owned.map(({ token, expiry }) => ({ id: token, expires: new Date(expiry.getTime()) }));
}

/**
 * Deletes, for good, every live session of `owner` in `store` except `options.except`.
 *
 * @returns How many sessions were deleted.
 * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
 *   Unicode, `options` is not an object, `options.except` is neither undefined nor a session ID,
 *   or `store` does not index sessions by owner.
 */
export async function deleteSessionsOf(
  store: Store,
  owner: string,
  options: DestroySessionsOptions = {},
): Promise<number> {
  const indexed = ownerIndexed(store, "destroySessionsOf");
  assertOwner(owner);
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { except } = options;
  if (except !== undefined && !isToken(except)) {
    throw new TypeError(
      `Expected \`except\` to be a session ID (a non-empty string of well-formed Unicode) or undefined, got ${describeValue(except)}`,
    );
  }
  return indexed.deleteSessionsOf(owner, except);
}

/** Whether `store` indexes sessions by owner. */
function isOwnerIndexedStore(store: Store): store is OwnerIndexedStore {
  const candidate = store as Partial<OwnerIndexedStore>;
  return (
    typeof candidate.sessionsOf === "function" && typeof candidate.deleteSessionsOf === "function"
  );
}

function ownerIndexed(store: Store, method: string): OwnerIndexedStore {
  if (!isOwnerIndexedStore(store)) {
    throw new TypeError(
      `${method} needs a store that indexes sessions by owner (an OwnerIndexedStore, with sessionsOf and deleteSessionsOf), got ${describeStore(store)}`,
    );
  }
  return store;
}

function assertOwner(owner: unknown): asserts owner is string {
  if (!isToken(owner)) {
    throw new TypeError(
      `Expected \`owner\` to be a non-empty string of well-formed Unicode, got ${describeValue(owner)}`,
    );
  }
}

/** A store, for a message: its class, or what it is when it has none. */
function describeStore(store: Store): string {
  const name: unknown = Object.getPrototypeOf(store)?.constructor?.name;
  const kind =
    typeof name === "string" && name !== "" && name !== "Object" ? `a ${name}` : "a store";
  return `${kind} without sessionsOf and deleteSessionsOf`;
}
