import { describeValue, isToken } from "../../arguments";

/**
 * Checks a session's owner.
 *
 * @throws TypeError when `owner` is not a non-empty string of well-formed Unicode.
 */
export function assertOwner(owner: unknown): asserts owner is string {
  if (!isToken(owner)) {
    throw new TypeError(
      `Expected \`owner\` to be a non-empty string of well-formed Unicode, got ${describeValue(owner)}`,
    );
  }
}

/**
 * The sessions of each owner of a {@link MemStore}, so that an owner's sessions are found without
 * walking the store. Sessions are named by their node-cache key; the owner of each is held in its
 * entry (a {@link SessionEntry}), which the store reads where it writes the session anyway, so
 * that the index itself is one map, looked up only when a session's owner changes. Made on the
 * first save that names an owner, so a store that never does pays nothing.
 *
 * The store removes a session's key whenever node-cache removes the session (a delete, an expiry
 * met on a read, the periodic cleanup, an eviction), from node-cache's `del` event, which hands
 * over the entry and so its owner: the index never holds more keys than node-cache holds
 * sessions, and a key whose session has expired but is still held is left out when read.
 */
export class OwnerIndex {
  /**
   * The keys of each owner's sessions: the key itself while the owner has one session (most have
   * one or a few, and a Set costs an allocation and a hash table), a Set from the second on.
   */
  private readonly keysOfOwner = new Map<string, string | Set<string>>();
  private count = 0;

  /** How many sessions have an owner. */
  get size(): number {
    return this.count;
  }

  /** Records that the session under `key`, listed under no owner, has `owner`. */
  add(key: string, owner: string): void {
    const held = this.keysOfOwner.get(owner);
    if (held === undefined) {
      this.keysOfOwner.set(owner, key);
    } else if (typeof held === "string") {
      if (held === key) return;
      const keys = new Set<string>();
      keys.add(held);
      keys.add(key);
      this.keysOfOwner.set(owner, keys);
    } else {
      const before = held.size;
      held.add(key);
      if (held.size === before) return;
    }
    this.count++;
  }

  /**
   * Forgets that the session under `key` has `owner`. A key not listed under `owner` changes
   * nothing: a session written and removed again before it was listed.
   */
  remove(key: string, owner: string): void {
    const held = this.keysOfOwner.get(owner);
    if (held === undefined) return;
    if (typeof held === "string") {
      if (held !== key) return;
      this.keysOfOwner.delete(owner);
    } else {
      if (!held.delete(key)) return;
      if (held.size === 0) this.keysOfOwner.delete(owner);
    }
    this.count--;
  }

  /** The keys of the sessions of `owner`, as a new array (the caller may remove entries). */
  keysOf(owner: string): string[] {
    const held = this.keysOfOwner.get(owner);
    if (held === undefined) return [];
    return typeof held === "string" ? [held] : [...held];
  }
}
