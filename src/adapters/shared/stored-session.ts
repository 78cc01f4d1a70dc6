import type { Store } from "../../store";
import { type Answer, mapAnswer } from "./callback-bridges";
import { decodeSession, type SessionRecord } from "./session-codec";

/**
 * Reads the session stored under `token` and checks it with `check` before anyone sees it. A
 * session that fails the check (or does not decode) is deleted from the store, then its
 * {@link CorruptSessionError} is thrown: reported once, after which the token is simply unknown.
 *
 * @returns The checked session, or `null` when the store has none under `token`.
 */
export function findSession<T>(
  store: Store,
  token: string,
  check: (session: SessionRecord) => T,
): Answer<T | null> {
  return mapAnswer(store.find(token), (found) => {
    if (!found.exists) return null;
    try {
      return check(decodeSession(found.data));
    } catch (corrupt) {
      return mapAnswer(store.delete(token), () => {
        throw corrupt;
      });
    }
  });
}
