import { assertToken, checkSaveArguments, checkTouchArguments } from "../../src/arguments";
import type { FindResult, IterableStore } from "../../src/store";

interface Entry {
  data: Uint8Array;
  expiryMs: number;
  /** Deleted for good: a marker until `expiryMs`. */
  deleted: boolean;
}

/**
 * The least a store written by others would be: a Map that keeps the Store contract. The contract
 * suite must pass it, and fail each of its broken variants below.
 */
export class MapStore implements IterableStore {
  private readonly entries = new Map<string, Entry>();

  find(token: string): FindResult {
    assertToken(token);
    const entry = this.live(token);
    if (entry === undefined || entry.deleted) return { exists: false, data: undefined };
    return { exists: true, data: entry.data.slice() };
  }

  save(token: string, data: Uint8Array, expiry: Date): void {
    const expiryMs = checkSaveArguments(token, data, expiry);
    if (this.live(token)?.deleted) return;
    if (expiryMs <= Date.now()) this.entries.delete(token);
    else this.entries.set(token, { data: data.slice(), expiryMs, deleted: false });
  }

  delete(token: string): void {
    assertToken(token);
    this.forget(token);
  }

  touch(token: string, expiry: Date): boolean {
    const expiryMs = checkTouchArguments(token, expiry);
    const entry = this.live(token);
    if (entry === undefined || entry.deleted) return false;
    if (expiryMs <= Date.now()) {
      this.entries.delete(token);
      return false;
    }
    entry.expiryMs = expiryMs;
    return true;
  }

  all(): Map<string, Uint8Array> {
    const sessions = new Map<string, Uint8Array>();
    for (const token of [...this.entries.keys()]) {
      const entry = this.live(token);
      if (entry !== undefined && !entry.deleted) sessions.set(token, entry.data.slice());
    }
    return sessions;
  }

  /** Whether a session expiring at `expiryMs` is live at `nowMs`. */
  protected isLive(expiryMs: number, nowMs: number): boolean {
    return nowMs < expiryMs;
  }

  /** Deletes the live session `token` for good: a marker until its expiry. */
  protected forget(token: string): void {
    const entry = this.live(token);
    if (entry !== undefined) entry.deleted = true;
  }

  /** The entry of `token`, unless its expiry has come (it is then dropped). */
  private live(token: string): Entry | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined || this.isLive(entry.expiryMs, Date.now())) return entry;
    this.entries.delete(token);
    return undefined;
  }

  /** Drops `token` with no marker. */
  protected drop(token: string): void {
    this.entries.delete(token);
  }
}

/** Broken: still finds a session at its expiry (it ends 1 ms late). */
export class FoundAtExpiryStore extends MapStore {
  protected override isLive(expiryMs: number, nowMs: number): boolean {
    return nowMs <= expiryMs;
  }
}

/** Broken: delete leaves no marker, so a save after it brings the session back. */
export class ResurrectingStore extends MapStore {
  protected override forget(token: string): void {
    this.drop(token);
  }
}
