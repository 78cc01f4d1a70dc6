import type { FindResult, IterableStore, OwnedSession, OwnerIndexedStore } from "../../src";
import { MISSING } from "../../src/store";
import {
  DELETE_FOUND,
  type DeleteFinding,
  type DeleteFound,
  MARK_MOVED,
} from "../../src/stores/delete-found";

interface Entry {
  data: Uint8Array;
  expiryMs: number;
  owner: string | undefined;
}

/**
 * The owner index and the sticky delete of the Store contract (and what a delete found, which
 * this package's stores tell the adapters), as simply as they can be written
 * (every call walks every session), so that the adapters' owner specs also run on a store that
 * is plainly right, besides MemStore and RedisStore. Reads `Date.now()`, so a fake clock drives it.
 */
export class ReferenceOwnerStore implements OwnerIndexedStore, IterableStore, DeleteFinding {
  private readonly sessions = new Map<string, Entry>();
  /** Deleted tokens, until the expiry of the session each was. */
  private readonly deleted = new Map<string, number>();
  /** The token each deleted token was moved to, for those a request moved. */
  private readonly moves = new Map<string, string>();

  find(token: string): FindResult {
    const entry = this.live(token);
    return entry ? { exists: true, data: entry.data.slice() } : MISSING;
  }

  save(token: string, data: Uint8Array, expiry: Date, owner?: string): void {
    if (this.isDeleted(token)) return;
    if (expiry.getTime() <= Date.now()) {
      this.sessions.delete(token);
      return;
    }
    this.sessions.set(token, { data: data.slice(), expiryMs: expiry.getTime(), owner });
  }

  delete(token: string): void {
    this[DELETE_FOUND](token);
  }

  /** What a delete found, as this package's stores tell the adapters. */
  [DELETE_FOUND](token: string, movedTo?: string): DeleteFound {
    if (this.isDeleted(token)) {
      // Follows the moves, from token to token, until one is not deleted, or was destroyed.
      let to = this.moves.get(token);
      for (let moves = 0; to !== undefined && moves < 16; moves++) {
        if (to === "" || !this.isDeleted(to)) return "moved";
        to = this.moves.get(to);
      }
      return "deleted";
    }
    const entry = this.live(token);
    if (!entry) return "none";
    this.sessions.delete(token);
    this.deleted.set(token, entry.expiryMs);
    if (movedTo !== undefined) this.moves.set(token, movedTo);
    return "live";
  }

  /** Records that the deleted session `token` was moved to `movedTo`, once. */
  [MARK_MOVED](token: string, movedTo: string): void {
    if (this.isDeleted(token) && !this.moves.get(token)) this.moves.set(token, movedTo);
  }

  touch(token: string, expiry: Date): boolean {
    const entry = this.live(token);
    if (!entry) return false;
    if (expiry.getTime() <= Date.now()) {
      this.sessions.delete(token);
      return false;
    }
    entry.expiryMs = expiry.getTime();
    return true;
  }

  all(): Map<string, Uint8Array> {
    const all = new Map<string, Uint8Array>();
    for (const token of this.sessions.keys()) {
      const entry = this.live(token);
      if (entry) all.set(token, entry.data.slice());
    }
    return all;
  }

  sessionsOf(owner: string): OwnedSession[] {
    return [...this.sessions.keys()].flatMap((token) => {
      const entry = this.live(token);
      return entry?.owner === owner ? [{ token, expiry: new Date(entry.expiryMs) }] : [];
    });
  }

  deleteSessionsOf(owner: string, exceptToken?: string): number {
    const doomed = this.sessionsOf(owner).filter(({ token }) => token !== exceptToken);
    for (const { token } of doomed) this.delete(token);
    return doomed.length;
  }

  private live(token: string): Entry | undefined {
    const entry = this.sessions.get(token);
    if (entry && entry.expiryMs <= Date.now()) this.sessions.delete(token);
    return entry && entry.expiryMs > Date.now() ? entry : undefined;
  }

  private isDeleted(token: string): boolean {
    const untilMs = this.deleted.get(token);
    if (untilMs !== undefined && untilMs <= Date.now()) {
      this.deleted.delete(token);
      this.moves.delete(token);
    }
    return untilMs !== undefined && untilMs > Date.now();
  }
}
