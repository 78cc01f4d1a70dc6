import type { Store } from "../../store";
import { DELETE_FOUND, type DeleteFinding } from "../../stores/delete-found";
import { type Answer, mapAnswer } from "./callback-bridges";

/**
 * Deletes the session under `token` for good, as `store.delete` does, and answers whether another
 * request had already deleted it (a logout, or a `destroySessionsOf`, while this request held the
 * session). A request that moves its session to a new ID (a regenerate, a key rotation) deletes
 * the old ID first: when another request had deleted it, the session was destroyed while this
 * request held it, and the adapter then stores nothing under the new ID, so that no request in
 * flight brings a destroyed session back under another ID.
 *
 * A store of another package, whose delete says nothing of what it found, answers `false`: moves
 * of its sessions to a new ID are not guarded.
 */
export function deleteNoticingRevoked(store: Store, token: string): Answer<boolean> {
  const deleteFound = (store as Partial<DeleteFinding>)[DELETE_FOUND];
  if (typeof deleteFound !== "function") return mapAnswer(store.delete(token), () => false);
  return mapAnswer(deleteFound.call(store, token), (found) => found === "deleted");
}

/** How many IDs a {@link RevokedIds} remembers, the oldest forgotten first. */
const MAX_REVOKED_IDS = 10_000;

/**
 * Session IDs no save may store: the old ID of a session that another request destroyed while
 * this one held it, and the new ID this request moves it to. Each is needed from the delete of
 * the old ID to the last save of the request that moves it, so the most recent
 * {@link MAX_REVOKED_IDS} are kept, the oldest forgotten first: a bounded memory.
 */
export class RevokedIds {
  private readonly ids = new Set<string>();

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > MAX_REVOKED_IDS) {
      for (const oldest of this.ids) {
        this.ids.delete(oldest);
        break;
      }
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Whether no ID was ever added: every save before the first revocation skips the checks. */
  get empty(): boolean {
    return this.ids.size === 0;
  }
}
