import type { FindResult, Store } from "../../store";
import type { MemStore } from "../../stores/mem/mem-store";
import { FIND_TEXT, ownMethods } from "../../stores/mem/text-access";
import { type Answer, mapAnswer } from "./callback-bridges";
import {
  CorruptSessionError,
  decodeSession,
  parseSession,
  type SessionRecord,
} from "./session-codec";

/**
 * Reads the session stored under `token` and checks it with `check` before anyone sees it. A
 * stored value over `maxSessionBytes` is refused before it is decoded. A session that is refused,
 * fails the check or does not decode is deleted from the store, then its
 * {@link CorruptSessionError} is thrown: reported once, after which the token is simply unknown.
 *
 * @param check - Checks the decoded session, given its JSON text too.
 * @returns The checked session, or `null` when the store has none under `token`.
 */
export function findSession<T>(
  store: Store,
  token: string,
  maxSessionBytes: number,
  check: (session: SessionRecord, json: string) => T,
): Answer<T | null> {
  const text = textStore(store);
  if (text !== undefined)
    return checkStored(store, token, text[FIND_TEXT](token), maxSessionBytes, check);
  return mapAnswer(store.find(token), (found) =>
    checkStored(store, token, found, maxSessionBytes, check),
  );
}

/**
 * Decodes and checks what the store answered for `token`: its bytes, or (from a MemStore) the
 * text they are when all ASCII. One that fails is deleted, then its error thrown.
 */
function checkStored<T>(
  store: Store,
  token: string,
  found: string | FindResult,
  maxSessionBytes: number,
  check: (session: SessionRecord, json: string) => T,
): Answer<T | null> {
  if (typeof found !== "string" && !found.exists) return null;
  try {
    const { session, json } =
      typeof found === "string"
        ? parseStoredText(found, maxSessionBytes)
        : decodeStored(found.data, maxSessionBytes);
    return check(session, json);
  } catch (corrupt) {
    return mapAnswer(store.delete(token), () => {
      throw corrupt;
    });
  }
}

/**
 * `store` when it is a {@link MemStore} whose `find` and `save` are MemStore's own, which then
 * takes and answers a session's JSON text where it is all ASCII; `undefined` for any other store,
 * a subclass that overrides them, or one whose methods were replaced (a spy, say), which are
 * called as they are.
 */
export function textStore(store: Store): MemStore | undefined {
  // Only a MemStore has the text methods; its own find and save are known once its module loads.
  return (store as Partial<MemStore>)[FIND_TEXT] !== undefined &&
    store.find === ownMethods.find &&
    store.save === ownMethods.save
    ? (store as MemStore)
    : undefined;
}

/**
 * Decodes a stored session, refusing one over `maxSessionBytes` before decoding it.
 *
 * @throws CorruptSessionError when it is over the bound or does not decode.
 */
export function decodeStored(data: Uint8Array, maxSessionBytes: number) {
  checkStoredSize(data.byteLength, maxSessionBytes);
  return decodeSession(data);
}

/**
 * Decodes a stored session given as its text, all ASCII (so that its size in bytes is its
 * length), as {@link decodeStored} decodes its bytes.
 *
 * @throws CorruptSessionError when it is over the bound or does not decode.
 */
function parseStoredText(json: string, maxSessionBytes: number) {
  checkStoredSize(json.length, maxSessionBytes);
  return parseSession(json, undefined);
}

function checkStoredSize(sizeBytes: number, maxSessionBytes: number): void {
  if (sizeBytes > maxSessionBytes) {
    throw new CorruptSessionError(
      `expected at most ${maxSessionBytes} bytes (maxSessionBytes), got ${sizeBytes}`,
    );
  }
}
