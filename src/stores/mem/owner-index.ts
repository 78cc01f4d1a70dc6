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
 * Which owner each session of a {@link MemStore} has, and which sessions each owner has: two maps,
 * kept in step, so that an owner's sessions are found without walking the store. Sessions are
 * named by their node-cache key. Made on the first save that names an owner, so a store that
 * never does pays nothing.
 *
 * The store removes a session's entry whenever node-cache removes the session (a delete, an
 * expiry met on a read, the periodic cleanup, an eviction), from node-cache's `del` event: the
 * index never holds more entries than node-cache holds sessions, and an entry for a session that
 * has expired but is still held is left out when read.
 */
export class OwnerIndex {
  private readonly ownerOfKey = new Map<string, string>();
  /**
   * The keys of each owner's sessions: the key itself while the owner has one session (most have
   * one or a few, and a Set costs an allocation and a hash table), a Set from the second on.
   */
  private readonly keysOfOwner = new Map<string, string | Set<string>>();

  /** How many sessions have an owner. */
  get size(): number {
    return this.ownerOfKey.size;
  }

  /** Records that the session under `key` has `owner`, or none, in place of any owner before. */
  set(key: string, owner: string | undefined): void {
    const before = this.ownerOfKey.get(key);
    if (before === owner) return;
    if (before !== undefined) this.forget(key, before);
    if (owner === undefined) return;
    this.ownerOfKey.set(key, owner);
    const held = this.keysOfOwner.get(owner);
    if (held === undefined) {
      this.keysOfOwner.set(owner, key);
    } else if (typeof held === "string") {
      const keys = new Set<string>();
      keys.add(held);
      keys.add(key);
      this.keysOfOwner.set(owner, keys);
    } else {
      held.add(key);
    }
  }

  /** Forgets the owner of the session under `key`, if it has one. */
  remove(key: string): void {
    const owner = this.ownerOfKey.get(key);
    if (owner !== undefined) this.forget(key, owner);
  }

  /** Forgets that the session under `key` has `owner`, the owner the index holds for it. */
  private forget(key: string, owner: string): void {
    this.ownerOfKey.delete(key);
    // The maps are kept in step: an owner held for a key holds that key (alone, or in its set).
    const held = this.keysOfOwner.get(owner) as string | Set<string>;
    if (typeof held === "string") {
      this.keysOfOwner.delete(owner);
      return;
    }
    held.delete(key);
    if (held.size === 0) this.keysOfOwner.delete(owner);
  }

  /** The keys of the sessions of `owner`, as a new array (the caller may remove entries). */
  keysOf(owner: string): string[] {
    const held = this.keysOfOwner.get(owner);
    if (held === undefined) return [];
    return typeof held === "string" ? [held] : [...held];
  }
}
