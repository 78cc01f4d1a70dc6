import { setTimeout as sleep } from "node:timers/promises";
import { types } from "node:util";
import {
  assertToken,
  checkSaveArguments,
  checkTouchArguments,
  expiryMsOf,
  isToken,
  MAX_TIMER_DELAY_MS,
} from "../../src/arguments";
import type { FindResult, IterableStore } from "../../src/store";
import { bytes } from "../../src/testing/assertions";

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
  protected readonly entries = new Map<string, Entry>();

  find(token: string): FindResult {
    assertToken(token);
    const entry = this.live(token);
    if (entry === undefined || entry.deleted) return { exists: false, data: undefined };
    return { exists: true, data: entry.data.slice() };
  }

  save(token: string, data: Uint8Array, expiry: Date): void {
    const expiryMs = checkSaveArguments(token, data, expiry);
    if (this.live(token)?.deleted) return;
    if (expiryMs <= this.now()) this.entries.delete(token);
    else
      this.entries.set(token, {
        data: Uint8Array.prototype.slice.call(data),
        expiryMs,
        deleted: false,
      });
  }

  delete(token: string): void {
    assertToken(token);
    this.forget(token);
  }

  touch(token: string, expiry: Date): boolean {
    const expiryMs = checkTouchArguments(token, expiry);
    const entry = this.live(token);
    if (entry === undefined || entry.deleted) return false;
    if (expiryMs <= this.now()) {
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

  /** The store's clock, in ms since the epoch. */
  protected now(): number {
    return Date.now();
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
  protected live(token: string): Entry | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined || this.isLive(entry.expiryMs, this.now())) return entry;
    this.entries.delete(token);
    return undefined;
  }

  /** Drops `token` with no marker. */
  protected drop(token: string): void {
    this.entries.delete(token);
  }
}

/** A MapStore that passes every expiry it is given through `map` before keeping it. */
function mappingExpiries(map: (expiry: Date) => Date): new () => MapStore {
  return class extends MapStore {
    override save(token: string, data: Uint8Array, expiry: Date): void {
      super.save(token, data, map(expiry));
    }
    override touch(token: string, expiry: Date): boolean {
      return super.touch(token, map(expiry));
    }
  };
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

/**
 * Correct, but every call answers 3 ms late (a touch `touchDelayMs` late), reading and changing
 * the store only then.
 */
export class SlowStore implements IterableStore {
  private readonly inner = new MapStore();

  constructor(private readonly touchDelayMs = 3) {}

  async find(token: string): Promise<FindResult> {
    await sleep(3);
    return this.inner.find(token);
  }
  async save(token: string, data: Uint8Array, expiry: Date): Promise<void> {
    const copy = types.isUint8Array(data) ? Uint8Array.prototype.slice.call(data) : data;
    await sleep(3);
    this.inner.save(token, copy, expiry);
  }
  async delete(token: string): Promise<void> {
    await sleep(3);
    this.inner.delete(token);
  }
  async touch(token: string, expiry: Date): Promise<boolean> {
    await sleep(this.touchDelayMs);
    return this.inner.touch(token, expiry);
  }
  async all(): Promise<Map<string, Uint8Array>> {
    await sleep(3);
    return this.inner.all();
  }
}

/** Correct, on a clock `offsetMs` ahead of this process's (behind when negative). */
export class SkewedStore extends MapStore {
  constructor(private readonly offsetMs: number) {
    super();
  }
  protected override now(): number {
    return Date.now() + this.offsetMs;
  }
}

/** Broken: finds a session under any name of an Object.prototype member, as a plain object would. */
export class PrototypeStore extends MapStore {
  override find(token: string): FindResult {
    const result = super.find(token);
    return !result.exists && token in Object.prototype ? { exists: true, data: bytes() } : result;
  }
}

/** Broken: a missing session's data is null, not undefined. */
export class NullMissingStore extends MapStore {
  override find(token: string): FindResult {
    const result = super.find(token);
    return result.exists ? result : ({ exists: false, data: null } as unknown as FindResult);
  }
}

/** Broken: a session is gone 1 ms before its expiry. */
export class EndsEarlyStore extends MapStore {
  protected override isLive(expiryMs: number, nowMs: number): boolean {
    return nowMs < expiryMs - 1;
  }
}

/** Broken: no session ever expires. */
export class NeverExpiresStore extends MapStore {
  protected override isLive(): boolean {
    return true;
  }
}

/**
 * Broken: keeps the whole buffer under the views `keepsWhole` picks (by default every view), not
 * the view's bytes; copies the others right.
 */
export class WholeBufferStore extends MapStore {
  constructor(private readonly keepsWhole: (data: Uint8Array) => boolean = () => true) {
    super();
  }
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const whole = types.isUint8Array(data) && this.keepsWhole(data);
    super.save(token, whole ? new Uint8Array(data.buffer) : data, expiry);
  }
}

/**
 * Broken: keeps a view that is not a Buffer as the bytes at the start of its buffer, as many as
 * the view holds, not those at the view's own offset.
 */
export class ViewOffsetStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const misread = types.isUint8Array(data) && !Buffer.isBuffer(data);
    super.save(token, misread ? new Uint8Array(data.buffer, 0, data.byteLength) : data, expiry);
  }
}

/** Broken: keeps data of more than {@link CHUNK_BYTES} in chunks, and puts them back last first. */
export class ChunkOrderStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const chunked = types.isUint8Array(data) && data.byteLength > CHUNK_BYTES;
    super.save(token, chunked ? chunksReversed(data) : data, expiry);
  }
}

/**
 * Broken: takes as data the values `takes` picks (a string, as UTF-8, or an array of byte values)
 * when they hold something, making bytes of them with Buffer.from; empty ones go to the checks.
 */
export class ConvertedDataStore extends MapStore {
  constructor(private readonly takes: (data: unknown) => data is string | number[]) {
    super();
  }
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const converted = this.takes(data) && data.length > 0;
    super.save(token, converted ? Buffer.from(data as string) : data, expiry);
  }
}

/** Broken: refuses data of more than 64 KiB. */
export class SmallDataStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    if (data?.byteLength > 65_536) throw new RangeError("Expected `data` of 64 KiB at most");
    super.save(token, data, expiry);
  }
}

/** Broken: a save of a live session keeps its data (and takes the new expiry). */
export class FirstDataStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const entry = this.live(token);
    super.save(token, entry === undefined ? data : entry.data, expiry);
  }
}

/** Broken: a save of a live session keeps its expiry (and takes the new data). */
export class FirstExpiryStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const entry = this.live(token);
    super.save(token, data, entry === undefined ? expiry : new Date(entry.expiryMs));
  }
}

/** Broken: save never moves a live session's expiry earlier, unless the new one has come. */
export class SaveLaterOnlyStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const entry = this.live(token);
    const expiryMs = expiryMsOf(expiry);
    const kept = entry !== undefined && expiryMs > this.now() && expiryMs < entry.expiryMs;
    super.save(token, data, kept ? new Date(entry.expiryMs) : expiry);
  }
}

/** Broken: a save with an expiry that has come changes nothing. */
export class PastSaveKeptStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    if (expiryMsOf(expiry) > this.now()) super.save(token, data, expiry);
  }
}

/** Broken: an expiry is rounded up to a whole second, as a store that counts in seconds would. */
export const WholeSecondStore = mappingExpiries(roundedUp);

/** Broken: an expiry more than a timer's longest delay away removes the session. */
export const TimerLimitStore = mappingExpiries(timerLimited);

/** Broken: save copies the data one tick after it is called. */
export class LateCopyStore extends MapStore {
  override async save(token: string, data: Uint8Array, expiry: Date): Promise<void> {
    await Promise.resolve();
    super.save(token, data, expiry);
  }
}

/** Broken: save copies the data with its own slice(), which for a Buffer shares its memory. */
export class BufferSliceStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    super.save(token, data, expiry);
    const entry = this.live(token);
    if (entry !== undefined && !entry.deleted) entry.data = data.slice();
  }
}

/** Broken: find answers the array the store holds. */
export class SharedFindStore extends MapStore {
  override find(token: string): FindResult {
    const result = super.find(token);
    return result.exists ? { exists: true, data: this.live(token)?.data as Uint8Array } : result;
  }
}

/** Broken: delete removes every session. */
export class DeleteAllStore extends MapStore {
  override delete(token: string): void {
    super.delete(token);
    for (const other of [...this.entries.keys()]) this.forget(other);
  }
}

/** Broken: a delete marker never ends, and a delete of a token with no session leaves one too. */
export class EndlessMarkerStore extends MapStore {
  protected override forget(token: string): void {
    this.entries.set(token, { data: bytes(), expiryMs: Number.POSITIVE_INFINITY, deleted: true });
  }
}

/** Broken: touch of a deleted session answers true (the session stays deleted). */
export class TouchDeletedStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    return this.live(token)?.deleted === true || super.touch(token, expiry);
  }
}

/** Broken: touch of an unknown token makes an empty session. */
export class TouchCreatesStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    if (isToken(token) && this.live(token) === undefined) super.save(token, bytes(), expiry);
    return super.touch(token, expiry);
  }
}

/** Broken: touch of a deleted session, to an expiry still to come, brings the session back. */
export class TouchRevivesStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    const expiryMs = checkTouchArguments(token, expiry);
    const entry = this.live(token);
    if (entry?.deleted && expiryMs > this.now()) entry.deleted = false;
    return super.touch(token, expiry);
  }
}

/** Broken: touch answers whether the session is live, and changes nothing. */
export class TouchNothingStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    checkTouchArguments(token, expiry);
    return this.find(token).exists;
  }
}

/** Broken: touch never moves an expiry earlier. */
export class TouchLaterOnlyStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    const entry = this.live(token);
    const expiryMs = checkTouchArguments(token, expiry);
    if (entry === undefined || expiryMs > entry.expiryMs) return super.touch(token, expiry);
    return !entry.deleted && expiryMs > this.now();
  }
}

/** Broken: touch with an expiry that has come answers false and keeps the session. */
export class PastTouchKeptStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    return checkTouchArguments(token, expiry) > this.now() && super.touch(token, expiry);
  }
}

/** Broken: touch reads the session, then writes it back a tick later with the new expiry. */
export class StaleTouchStore implements IterableStore {
  private readonly inner = new MapStore();

  find(token: string): FindResult {
    return this.inner.find(token);
  }
  save(token: string, data: Uint8Array, expiry: Date): void {
    this.inner.save(token, data, expiry);
  }
  delete(token: string): void {
    this.inner.delete(token);
  }
  async touch(token: string, expiry: Date): Promise<boolean> {
    checkTouchArguments(token, expiry);
    const found = this.inner.find(token);
    await Promise.resolve();
    if (!found.exists) return this.inner.touch(token, expiry);
    this.inner.save(token, found.data, expiry);
    return this.inner.find(token).exists;
  }
  all(): Map<string, Uint8Array> {
    return this.inner.all();
  }
}

/** A store that looks every token up as `mapped` turns it, for the broken stores below. */
abstract class MappedTokenStore extends MapStore {
  protected abstract mapped(token: string): string;
  override find(token: string): FindResult {
    return super.find(this.mapped(token));
  }
  override save(token: string, data: Uint8Array, expiry: Date): void {
    super.save(this.mapped(token), data, expiry);
  }
  override delete(token: string): void {
    super.delete(this.mapped(token));
  }
  override touch(token: string, expiry: Date): boolean {
    return super.touch(this.mapped(token), expiry);
  }
}

/** Broken: takes an array of one token as that token, as a client taking one key or many would. */
export class ArrayTokenStore extends MappedTokenStore {
  protected mapped(token: string): string {
    return unwrapped(token);
  }
}

/** Broken: touch answers false, though it moves the expiry. */
export class TouchFalseStore extends MapStore {
  override touch(token: string, expiry: Date): boolean {
    super.touch(token, expiry);
    return false;
  }
}

/** Broken: takes a token with a lone surrogate. */
export class LoneSurrogateStore extends MappedTokenStore {
  protected mapped(token: string): string {
    return wellFormed(token);
  }
}

/** Broken: its errors for bad arguments name no argument. */
export class VagueErrorStore extends MapStore {
  override find(token: string): FindResult {
    return vague(() => super.find(token));
  }
  override save(token: string, data: Uint8Array, expiry: Date): void {
    vague(() => super.save(token, data, expiry));
  }
  override delete(token: string): void {
    vague(() => super.delete(token));
  }
  override touch(token: string, expiry: Date): boolean {
    return vague(() => super.touch(token, expiry));
  }
}

/**
 * Broken: one method's errors of one type, for one argument, name no argument; with `forLive`, only
 * for a token with a live session (true) or without one (false), as an update and an insert would.
 */
export class OneVagueErrorStore extends MapStore {
  constructor(
    private readonly method: "find" | "save" | "touch" | "delete",
    private readonly type: typeof TypeError | typeof RangeError,
    private readonly argument: "token" | "expiry",
    private readonly forLive?: boolean,
  ) {
    super();
  }
  override find(token: string): FindResult {
    return this.vagueIn("find", () => super.find(token));
  }
  override save(token: string, data: Uint8Array, expiry: Date): void {
    const live = isToken(token) && this.live(token) !== undefined;
    if (this.forLive !== undefined && live !== this.forLive) super.save(token, data, expiry);
    else this.vagueIn("save", () => super.save(token, data, expiry));
  }
  override delete(token: string): void {
    this.vagueIn("delete", () => super.delete(token));
  }
  override touch(token: string, expiry: Date): boolean {
    return this.vagueIn("touch", () => super.touch(token, expiry));
  }

  private vagueIn<T>(method: string, call: () => T): T {
    try {
      return call();
    } catch (error) {
      const chosen = error instanceof this.type && error.message.includes(this.argument);
      if (method === this.method && chosen) throw new this.type("bad argument");
      throw error;
    }
  }
}

/** Broken: save removes the session before it checks its arguments. */
export class DropThenCheckStore extends MapStore {
  override save(token: string, data: Uint8Array, expiry: Date): void {
    if (isToken(token)) this.drop(token);
    super.save(token, data, expiry);
  }
}

/** Broken: an Invalid Date is a TypeError, not a RangeError. */
export const InvalidDateTypeErrorStore = mappingExpiries(validated);

/** Broken: takes a number as an expiry, in ms since the epoch. */
export const NumberExpiryStore = mappingExpiries((expiry) =>
  typeof expiry === "number" ? new Date(expiry) : expiry,
);

/** Broken: takes a number of ms since the epoch as an expiry, when that time is still to come. */
export const FutureNumberExpiryStore = mappingExpiries((expiry) =>
  typeof expiry === "number" && expiry > Date.now() ? new Date(expiry) : expiry,
);

/** Broken: takes a date string that Date.parse reads (as JSON gives a Date back) as an expiry. */
export const DateStringExpiryStore = mappingExpiries((expiry) =>
  typeof expiry === "string" && !Number.isNaN(Date.parse(expiry)) ? new Date(expiry) : expiry,
);

/** Broken: reads an expiry by its `getTime`, and keeps forever a session whose answer is no number. */
export const OwnGetTimeStore = mappingExpiries(byOwnGetTime);

/** Broken: all answers a plain object. */
export class AllObjectStore extends MapStore {
  override all(): Map<string, Uint8Array> {
    return Object.fromEntries(super.all()) as unknown as Map<string, Uint8Array>;
  }
}

/** Broken: all answers an object with a Map's size, get and keys (as a cache's own type has), no Map. */
export class AllMapLikeStore extends MapStore {
  override all(): Map<string, Uint8Array> {
    const sessions = super.all();
    const { size } = sessions;
    const get = (token: string) => sessions.get(token);
    const keys = () => sessions.keys();
    return { size, get, keys } as unknown as Map<string, Uint8Array>;
  }
}

/** Broken: all lists the tokens of the live sessions, each with no data. */
export class AllTokensOnlyStore extends MapStore {
  override all(): Map<string, Uint8Array> {
    return new Map([...super.all().keys()].map((token) => [token, new Uint8Array(0)]));
  }
}

/** Broken: all lists every session it holds, expired and deleted ones too. */
export class AllHeldStore extends MapStore {
  override all(): Map<string, Uint8Array> {
    return new Map([...this.entries].map(([token, entry]) => [token, entry.data.slice()]));
  }
}

/** Broken: all answers the arrays the store holds. */
export class SharedAllStore extends MapStore {
  override all(): Map<string, Uint8Array> {
    return new Map(
      [...super.all().keys()].map((token) => [token, this.live(token)?.data as Uint8Array]),
    );
  }
}

/**
 * How many bytes {@link ChunkOrderStore} keeps in one chunk: not a multiple of 256, so that chunks
 * of data that repeats every 256 bytes still differ from each other.
 */
const CHUNK_BYTES = 100_000;

/** A copy of `data` with its chunks of {@link CHUNK_BYTES} in reverse order. */
function chunksReversed(data: Uint8Array): Uint8Array {
  const copy = new Uint8Array(data.byteLength);
  let at = 0;
  const last = Math.floor((data.byteLength - 1) / CHUNK_BYTES) * CHUNK_BYTES;
  for (let start = last; start >= 0; start -= CHUNK_BYTES) {
    const chunk = data.subarray(start, start + CHUNK_BYTES);
    copy.set(chunk, at);
    at += chunk.byteLength;
  }
  return copy;
}

function roundedUp(expiry: Date): Date {
  return new Date(Math.ceil(expiryMsOf(expiry) / 1_000) * 1_000);
}

function timerLimited(expiry: Date): Date {
  const expiryMs = expiryMsOf(expiry);
  return expiryMs - Date.now() > MAX_TIMER_DELAY_MS ? new Date(0) : expiry;
}

/** A string token with its lone surrogates replaced; any other value as it is. */
function wellFormed(token: string): string {
  return typeof token === "string" ? token.toWellFormed() : token;
}

function unwrapped(token: unknown): string {
  return (Array.isArray(token) && token.length === 1 ? token[0] : token) as string;
}

function vague<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof RangeError) throw new RangeError("bad argument");
    if (error instanceof TypeError) throw new TypeError("bad argument");
    throw error;
  }
}

function validated(expiry: Date): Date {
  if (types.isDate(expiry) && Number.isNaN(expiry.getTime())) throw new TypeError("Bad `expiry`");
  return expiry;
}

function byOwnGetTime(expiry: Date): Date {
  if (!types.isDate(expiry)) return expiry;
  const expiryMs = expiry.getTime();
  return new Date(typeof expiryMs === "number" ? expiryMs : 8.64e15);
}

/**
 * Broken at one call: its `sabotaged`-th call (counting every method, from 1) does the wrong
 * thing, and throws nothing. A find or touch answers the opposite, a save or delete changes
 * nothing, all answers a session that is not there. Every other call is a {@link MapStore}'s.
 */
export class SabotagedStore implements IterableStore {
  private readonly inner = new MapStore();
  /** How many calls were made so far. */
  calls = 0;

  constructor(private readonly sabotaged: number) {}

  find(token: string): FindResult {
    if (!this.isSabotaged()) return this.inner.find(token);
    const found = answerOf(() => this.inner.find(token).exists, false);
    return found ? { exists: false, data: undefined } : { exists: true, data: bytes(0xde) };
  }
  save(token: string, data: Uint8Array, expiry: Date): void {
    if (!this.isSabotaged()) this.inner.save(token, data, expiry);
  }
  delete(token: string): void {
    if (!this.isSabotaged()) this.inner.delete(token);
  }
  touch(token: string, expiry: Date): boolean {
    if (!this.isSabotaged()) return this.inner.touch(token, expiry);
    return !answerOf(() => this.inner.touch(token, expiry), true);
  }
  all(): Map<string, Uint8Array> {
    if (!this.isSabotaged()) return this.inner.all();
    return new Map([["sabotaged", bytes()]]);
  }

  private isSabotaged(): boolean {
    this.calls += 1;
    return this.calls === this.sabotaged;
  }
}

/** What `call` answers, or `fallback` when it throws. */
function answerOf<T>(call: () => T, fallback: T): T {
  try {
    return call();
  } catch {
    return fallback;
  }
}
