import type { Store } from "../../store";
import { type Answer, mapAnswer } from "./callback-bridges";
import { CorruptSessionError, decodeSession, type SessionRecord } from "./session-codec";

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
  return mapAnswer(store.find(token), (found) => {
    if (!found.exists) return null;
    try {
      const { session, json } = decodeStored(found.data, maxSessionBytes);
      return check(session, json);
    } catch (corrupt) {
      return mapAnswer(store.delete(token), () => {
        throw corrupt;
      });
    }
  });
}

/**
 * Decodes a stored session, refusing one over `maxSessionBytes` before decoding it.
 *
 * @throws CorruptSessionError when it is over the bound or does not decode.
 */
export function decodeStored(data: Uint8Array, maxSessionBytes: number) {
  if (data.byteLength > maxSessionBytes) {
    throw new CorruptSessionError(
      `expected at most ${maxSessionBytes} bytes (maxSessionBytes), got ${data.byteLength}`,
    );
  }
  return decodeSession(data);
}
