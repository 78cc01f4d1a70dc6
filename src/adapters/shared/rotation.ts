import type { Store } from "../../store";
import {
  DELETE_FOUND,
  type DeleteFinding,
  type DeleteFound,
  MARK_MOVED,
} from "../../stores/delete-found";
import { type Answer, mapAnswer } from "./callback-bridges";

/**
 * Deletes the session under `token` for good, as `store.delete` does, and answers what the delete
 * found (see {@link DeleteFound}); `undefined` over a store of another package, whose delete says
 * nothing of what it found.
 *
 * A request that moves its session to a new ID (a regenerate, a key rotation) deletes the old ID
 * first. `"deleted"` then means another request destroyed the session while this one held it (a
 * logout, a `destroySessionsOf`, or a logout of the ID another request moved it to): the adapter
 * stores nothing that request saves, under the new ID or any other, so that no request in flight
 * brings a destroyed session back. `"live"` means this request moved it: the move is recorded,
 * with the delete when the adapter knows it is a move (`movedTo`: the new ID, or `""` when not
 * known yet), else with {@link recordMove} at the save of the new ID, so that another request
 * that held the session and moves it too (a login sent twice) learns `"moved"`, not `"deleted"`,
 * and keeps its own move. Moves of a session of another package's store are not guarded.
 */
export function deleteFinding(
  store: Store,
  token: string,
  movedTo?: string,
): Answer<DeleteFound | undefined> {
  const deleteFound = (store as Partial<DeleteFinding>)[DELETE_FOUND];
  if (typeof deleteFound !== "function") return mapAnswer(store.delete(token), () => undefined);
  return deleteFound.call(store, token, movedTo);
}

/**
 * Records on the marker the delete of `movedFrom` left that its session moved to `movedTo`: see
 * {@link deleteFinding}. Nothing over a store of another package.
 */
export function recordMove(store: Store, movedFrom: string, movedTo: string): Answer<void> {
  const markMoved = (store as Partial<DeleteFinding>)[MARK_MOVED];
  if (typeof markMoved !== "function") return undefined;
  return markMoved.call(store, movedFrom, movedTo);
}

/** How many IDs a {@link RecentIds} remembers, the oldest forgotten first. */
const MAX_RECENT_IDS = 10_000;

/**
 * The most recent {@link MAX_RECENT_IDS} session IDs added, the oldest forgotten first: a bounded
 * memory, for what an adapter must know of an ID only from one store call to the one that
 * follows it (the delete of a session's old ID, then the save of its new one).
 */
export class RecentIds {
  private readonly ids = new Set<string>();

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > MAX_RECENT_IDS) {
      for (const oldest of this.ids) {
        this.ids.delete(oldest);
        break;
      }
    }
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Forgets `id`; answers whether it was there. */
  take(id: string): boolean {
    return this.ids.delete(id);
  }

  /** Whether no ID was ever added: every save before the first skips the checks. */
  get empty(): boolean {
    return this.ids.size === 0;
  }
}
