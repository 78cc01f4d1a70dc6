import { types } from "node:util";
import type { SessionStore } from "@fastify/session";
import type { Session } from "fastify";
import { checkOptions } from "../arguments";
import type { Store } from "../store";
import type { DeleteFound } from "../stores/delete-found";
import { checkMaxSessionBytes, checkStore, checkTtl } from "./shared/adapter-options";
import { type Answer, answerInTurn, mapAnswer } from "./shared/callback-bridges";
import { isCookieDomain, isCookiePath, isSameSite } from "./shared/cookie-attributes";
import { dateInMs } from "./shared/dates";
import { deleteFinding, RecentIds, recordMove } from "./shared/rotation";
import {
  CorruptSessionError,
  type EncodedSession,
  encodeSession,
  expectField,
  isRecord,
  jsonMayHoldKey,
  type SessionRecord,
  type SessionTooLargeError,
} from "./shared/session-codec";
import {
  checkOwnerOf,
  type DestroySessionsOptions,
  deleteSessionsOf,
  type ListedSession,
  listSessionsOf,
  type OwnerOf,
  ownerIn,
  saveOwned,
} from "./shared/session-owners";
import { findSession } from "./shared/stored-session";

/** Options of {@link FastifySessionStore}. */
export interface FastifySessionStoreOptions {
  /**
   * How long, in milliseconds, a session lives when its cookie has no expiry (no `maxAge` and no
   * `expires` in the cookie options: a browser-session cookie). Each save starts it again. An
   * integer of 1 or more. Default: `86_400_000` (one day).
   */
  ttlMs?: number;
  /**
   * The most bytes a session may take once encoded (UTF-8 JSON): an integer of 1 or more, or
   * `Infinity` for no bound. A larger session is not saved (see {@link SessionTooLargeError}),
   * and a larger stored value is refused unread, removed and reported as a
   * {@link CorruptSessionError}. It keeps one user's session from stalling the server for
   * everyone while it is encoded and checked.
   *
   * @defaultValue `1_048_576` (1 MiB)
   */
  maxSessionBytes?: number;
  /**
   * Who owns a session: given the session being saved (`request.session`: read it with `get` or
   * its fields, and leave it unchanged), the owner's id (typically the logged-in user's), or
   * `undefined` (or `null`) when nobody is logged in to it. Called on every save; a session is
   * then listed by {@link FastifySessionStore.sessionsOf} and ended by
   * {@link FastifySessionStore.destroySessionsOf} under the owner of its last save.
   *
   * When it throws, or answers anything but a non-empty string of well-formed Unicode, `undefined`
   * or `null` (a `TypeError`), the save stores nothing and the error reaches the callback: Fastify
   * answers through its error handler. Needs a store that indexes sessions by owner (`MemStore`,
   * `RedisStore`). Default: none, and saves record no owner.
   */
  ownerOf?: OwnerOf<Session>;
}

/** The cookie as @fastify/session reads it from a stored session. */
type StoredCookie = Session["cookie"] & { partitioned?: boolean };

/**
 * Names the framework's `Session` uses itself. It copies every stored key onto its session with
 * `this[key] = value`: `__proto__` would replace the session's prototype, and a method name would
 * turn the method into data that the framework then calls.
 */
const RESERVED_KEYS = new Set([
  "__proto__",
  "constructor",
  "sessionId",
  "encryptedSessionId",
  "options",
  "touch",
  "regenerate",
  "get",
  "set",
  "destroy",
  "reload",
  "save",
  "isModified",
  "isSaved",
]);
/** `Date#toJSON`'s format, which is how a stored cookie holds its dates. */
const ISO_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The years the `cookie` package accepts in `Expires`: 1601 to 9999. */
const FIRST_COOKIE_MS = Date.UTC(1601, 0, 1);
const LAST_COOKIE_MS = Date.UTC(10_000, 0, 1) - 1;

/**
 * Plugs any {@link Store} of this package into `@fastify/session` (11, for Fastify 5) as its
 * `store`. Sessions are stored as JSON in UTF-8 until their cookie's expiry (`cookie.expires`, to
 * the millisecond), or for `ttlMs` when the cookie has none.
 *
 * - Callbacks are called exactly once: at once when the wrapped store answers synchronously (as
 *   `MemStore` does), when its Promise settles otherwise. Nothing is thrown into the framework: a
 *   store that throws or rejects reaches the callback as an error, which Fastify answers through
 *   its error handler (500). What Fastify throws from the callback (a reply it refuses, once the
 *   session is saved) reaches its error handler too, over a Promise store as over a synchronous
 *   one: it never becomes an unhandled rejection.
 * - A stored session is checked fully before the framework sees it: its keys, its nesting, and
 *   every cookie field the framework or the `cookie` package reads. One that fails is removed from
 *   the store and reported once, as a {@link CorruptSessionError} passed to the callback (Fastify
 *   answers that request 500 through its error handler); the user's next request starts a fresh
 *   session.
 * - A session is checked the same way before it is saved, along with its cookie's live expiry: one
 *   that could not be loaded back, or whose cookie could not be sent, is refused with a `TypeError`
 *   passed to the callback, and the store is left as it was. So is one that encodes to more than
 *   `maxSessionBytes`, with a {@link SessionTooLargeError}.
 * - @fastify/session calls no touch: it refreshes a session by saving it whole (on every request
 *   with `rolling: true`, its default), and so does this adapter.
 * - A destroyed session stays destroyed: no later save of its ID, not even by a request that
 *   loaded it before, brings it back. With the `ownerOf` option, `sessionsOf` lists a user's
 *   sessions and `destroySessionsOf` ends them ("log out everywhere").
 *
 * It imports nothing of Fastify at run time: `@fastify/session` and `fastify` are needed for their
 * types only.
 *
 * @example
 * ```ts
 * import fastifyCookie from "@fastify/cookie";
 * import fastifySession from "@fastify/session";
 * import Fastify from "fastify";
 * import { MemStore } from "scs-memstore";
 * import { FastifySessionStore } from "scs-memstore/fastify";
 *
 * const app = Fastify();
 * await app.register(fastifyCookie);
 * await app.register(fastifySession, {
 *   secret: "a secret of at least thirty-two characters",
 *   store: new FastifySessionStore(new MemStore(300_000)),
 *   cookie: { maxAge: 3_600_000 },
 * });
 * ```
 */
export class FastifySessionStore implements SessionStore {
  /** The wrapped store. */
  readonly store: Store;
  private readonly ttlMs: number;
  private readonly maxSessionBytes: number;
  private readonly ownerOf: OwnerOf<Session> | undefined;
  /**
   * IDs of sessions another request destroyed while a request held them, and the IDs a
   * `regenerate` of such a session moved it to: nothing is stored under them (see
   * {@link deleteFinding}). An ID is needed only from the delete to the save that follows it at
   * once; the request is remembered for the saves after.
   */
  private readonly revokedIds = new RecentIds();
  /** What the delete whose callback is running found: see `destroy`. */
  private ownDelete: { sessionId: string; found: DeleteFound } | undefined;
  /**
   * Requests that moved, with `regenerate`, a session another request had destroyed while they
   * held it: none of their saves is stored, however many other IDs were revoked meanwhile.
   */
  private readonly revokedRequests = new WeakSet<object>();

  /**
   * @param store - Any store of this package, synchronous or Promise-based.
   * @param options - See {@link FastifySessionStoreOptions}.
   * @throws TypeError when `store` lacks any of `find`, `save`, `delete` and `touch`, `ttlMs` or
   *   `maxSessionBytes` is not a number, or `ownerOf` is not a function or is given over a store
   *   that does not index sessions by owner.
   * @throws RangeError when `ttlMs` is not an integer of 1 or more, or `maxSessionBytes` is
   *   neither an integer of 1 or more nor `Infinity`.
   */
  constructor(store: Store, options: FastifySessionStoreOptions = {}) {
    checkOptions(options);
    checkStore(store);
    this.store = store;
    this.ttlMs = checkTtl(options.ttlMs);
    this.maxSessionBytes = checkMaxSessionBytes(options.maxSessionBytes);
    this.ownerOf = checkOwnerOf(options.ownerOf, store);
  }

  /**
   * Reads a session: passes `null` when there is none (unknown, destroyed or expired), a
   * {@link CorruptSessionError} when the stored bytes are not a session the framework can use
   * (the session is then removed), and the store's error when it fails. The session passed on is
   * a plain object, its cookie rebuilt from the checked fields with `expires` as a `Date`.
   */
  get(sessionId: string, callback: (error: unknown, session?: Session | null) => void): void {
    answerInTurn(() => findSession(this.store, sessionId, this.maxSessionBytes, restore), callback);
  }

  /**
   * Saves a session until its cookie's `expires`, or for `ttlMs` when that is `null`, under the
   * owner `ownerOf` names. An expiry already past removes the session; a destroyed session stays
   * destroyed (the save changes nothing, and is no error). A session that could not be loaded
   * back or sent as a cookie is refused with a `TypeError`, one over `maxSessionBytes` with a
   * {@link SessionTooLargeError}, and nothing is saved. A `regenerate` of a session that another
   * request destroyed while this one held it (a logout meanwhile) stores nothing under the new ID
   * either, and is no error: see `destroy`.
   */
  set(sessionId: string, session: Session, callback: (error?: unknown) => void): void {
    answerInTurn(() => {
      const revoked = this.revokedIds.empty ? false : this.isRevoked(session, sessionId);
      if (revoked === false) return this.save(session, sessionId);
      return mapAnswer(revoked, (isRevoked) =>
        isRevoked ? undefined : this.save(session, sessionId),
      );
    }, callback);
  }

  /** Saves `session` under `sessionId`, recording the move when a `regenerate` made it. */
  private save(session: Session, sessionId: string): Answer<void> {
    const owner = ownerIn(this.ownerOf, session);
    const { encoded, expires } = encodeChecked(session, this.maxSessionBytes);
    const save = () =>
      saveOwned(this.store, sessionId, encoded, expires ?? dateInMs(this.ttlMs), owner);
    const movedFrom = this.ownDelete === undefined ? undefined : this.movedFrom(session, sessionId);
    return movedFrom === undefined
      ? save()
      : mapAnswer(recordMove(this.store, movedFrom, sessionId), save);
  }

  /**
   * The ID whose live session this request's own delete just deleted, when this save is the
   * `regenerate` that follows it in the destroy's callback; otherwise `undefined`.
   */
  private movedFrom(session: Session, sessionId: string): string | undefined {
    const own = this.ownDelete;
    if (own === undefined || own.found !== "live" || own.sessionId === sessionId) return undefined;
    const request = requestOf(session);
    const movedFrom = request === undefined ? undefined : regeneratedFrom(request, session);
    return movedFrom === own.sessionId ? movedFrom : undefined;
  }

  /**
   * Whether nothing may be stored under `sessionId`: a save of a revoked request or ID, or the
   * new ID of a `regenerate` of a session another request destroyed while this one held it
   * (whose request and ID are then revoked too).
   */
  private isRevoked(session: Session, sessionId: string): Answer<boolean> {
    const request = requestOf(session);
    if (request !== undefined && this.revokedRequests.has(request)) return true;
    if (this.revokedIds.has(sessionId)) return true;
    const movedFrom = request === undefined ? undefined : regeneratedFrom(request, session);
    if (movedFrom === undefined || movedFrom === sessionId || !this.revokedIds.has(movedFrom)) {
      return false;
    }
    // This request's own delete found the live session: it is the one moving it (another
    // request that held it found the marker since, and revoked the ID).
    const own = this.ownDelete;
    if (own !== undefined && own.sessionId === movedFrom && own.found !== "deleted") return false;
    // The delete found a marker that recorded no move: a session destroyed, or one another
    // request was moving and had not recorded yet (its save of the new ID follows its delete).
    // Asked again now, a move recorded since answers `moved`.
    return mapAnswer(deleteFinding(this.store, movedFrom), (found) => {
      if (found === "moved") return false;
      this.revokedIds.add(sessionId);
      this.revokedRequests.add(request as object);
      return true;
    });
  }

  /**
   * Deletes a session. Destroying an unknown session is not an error. When the store says another
   * request had destroyed the session already (a logout while this request held it), a
   * `regenerate` that follows stores nothing under its new ID. A `regenerate` of a live session
   * records the move, so that another request that held the session and regenerates it too (a
   * login sent twice) keeps its own move. (Over a store of another package, whose delete does
   * not say what it found, the new session is stored as usual.)
   */
  destroy(sessionId: string, callback: (error?: unknown) => void): void {
    answerInTurn(
      () => deleteFinding(this.store, sessionId),
      (error, found) => {
        if (found === "deleted") this.revokedIds.add(sessionId);
        // A regenerate saves its new ID from this callback, in the same synchronous run: that
        // save reads what this request's own delete found, which no other request can change,
        // and records the move only when that delete found the session live.
        this.ownDelete = found === undefined ? undefined : { sessionId, found };
        try {
          callback(error);
        } finally {
          this.ownDelete = undefined;
        }
      },
    );
  }

  /**
   * Lists the live sessions of `owner`: those whose last save `ownerOf` gave to that owner, each
   * with its session ID (`request.session.sessionId`) and expiry. Expired and destroyed sessions
   * are never listed, nor one saved since under another owner. Its cost grows with the owner's
   * sessions, not with the store's.
   *
   * @param owner - The owner, as `ownerOf` answers it.
   * @returns A new array, in no particular order; empty when the owner has no live session.
   * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
   *   Unicode, or the wrapped store does not index sessions by owner.
   */
  sessionsOf(owner: string): Promise<ListedSession[]> {
    return listSessionsOf(this.store, owner);
  }

  /**
   * Destroys every live session of `owner` but the one named by `options.except` ("log out
   * everywhere else"), as for good as `request.session.destroy()`: a request still running on one
   * of them cannot save it back. A session saved meanwhile under another owner is left alone.
   *
   * @param owner - The owner, as `ownerOf` answers it.
   * @param options - `except`: the session ID to keep, such as `request.session.sessionId`.
   * @returns How many sessions were destroyed.
   * @throws TypeError (as a rejection) when `owner` is not a non-empty string of well-formed
   *   Unicode, `except` is neither undefined nor a session ID, or the wrapped store does not index
   *   sessions by owner.
   */
  destroySessionsOf(owner: string, options?: DestroySessionsOptions): Promise<number> {
    return deleteSessionsOf(this.store, owner, options);
  }
}

/** The symbol under which @fastify/session's `Session` holds its request, once found. */
let requestSymbol: symbol | undefined;

/** The request @fastify/session's `Session` holds, found through its symbol; else `undefined`. */
function requestOf(session: Session): object | undefined {
  requestSymbol ??= Object.getOwnPropertySymbols(session).find(
    (symbol) => symbol.description === "request",
  );
  if (requestSymbol === undefined) return undefined;
  const request = (session as unknown as Record<symbol, unknown>)[requestSymbol];
  return typeof request === "object" && request !== null ? request : undefined;
}

/**
 * The ID of the session `session` was regenerated from, when this save is its `regenerate`'s:
 * the request's `session` is still the session it regenerates until the new one is saved.
 * `undefined` for any other save.
 */
function regeneratedFrom(request: object, session: Session): string | undefined {
  const before = (request as { session?: unknown }).session;
  if (typeof before !== "object" || before === null || before === session) return undefined;
  const id = (before as { sessionId?: unknown }).sessionId;
  return typeof id === "string" ? id : undefined;
}

/**
 * The session encoded, and its expiry, once both it and what it would load back as are checked. Only
 * when the JSON just made may hold a key a load refuses is it parsed and checked whole, as a load
 * would; otherwise its cookie is, as its JSON would load.
 */
function encodeChecked(
  session: Session,
  maxSessionBytes: number,
): { encoded: EncodedSession; expires: Date | null } {
  try {
    const cookie: unknown = session.cookie;
    expectField(
      isRecord(cookie) && typeof cookie.toJSON === "function",
      "cookie",
      "a @fastify/session Cookie",
      cookie,
    );
    // What @fastify/cookie will be handed to send, once this save calls back.
    const sent: unknown = cookie.toJSON();
    const expires = isRecord(sent) ? sent.expires : undefined;
    expectField(
      expires === null || (types.isDate(expires) && isCookieTime(expires.getTime())),
      "cookie.expires",
      "a Date from year 1601 to 9999, or null",
      expires,
    );
    const encoded = encodeSession(session, maxSessionBytes);
    const { json } = encoded;
    if (mayLoadWithReservedKey(session, json)) {
      restore(JSON.parse(json), json);
    } else if (!passesAsSent(sent)) {
      checkCookie(cookieAsLoaded(sent) ?? JSON.parse(JSON.stringify(cookie)));
    }
    return { encoded, expires };
  } catch (error) {
    if (error instanceof CorruptSessionError) {
      throw new TypeError(`Cannot save the session: ${error.problem}`);
    }
    throw error;
  }
}

/**
 * Whether the JSON of `session` may hold a key a load refuses. `false` is certain: the top level
 * of the JSON holds the session's own enumerable keys, its `cookie` among them (unless a `toJSON`
 * writes something else), and deeper levels hold no `__proto__` when the text does not. The
 * session's own keys are looked up rather than the text searched for each name: a name such as
 * `get` is a common value.
 */
function mayLoadWithReservedKey(session: Session, json: string): boolean {
  if (typeof (session as { toJSON?: unknown }).toJSON === "function") return true;
  if (!Object.hasOwn(session, "cookie")) return true;
  for (const key of RESERVED_KEYS) if (Object.hasOwn(session, key)) return true;
  return jsonMayHoldKey(json, PROTO_KEY);
}

/**
 * Whether the cookie `sent`, a plain object, passes {@link checkCookie} as it is, without being
 * written as JSON and loaded back: then its JSON does too, for JSON writes each field that passes
 * as it is (a Date as the ISO string of its time), or leaves it out when it is not its own and
 * enumerable, and an absent field passes. `false` says nothing: the caller then checks the cookie
 * as its JSON would load, for the problem a load would report.
 */
function passesAsSent(sent: unknown): boolean {
  if (!isRecord(sent) || Object.getPrototypeOf(sent) !== Object.prototype) return false;
  try {
    checkCookie(sent);
    return true;
  } catch {
    return false;
  }
}

/**
 * The cookie `sent` as the session's JSON would load it, as far as {@link checkCookie} reads it:
 * `JSON.parse(JSON.stringify(sent))` without the round trip. Each field is taken as
 * JSON.stringify takes it: own and enumerable, through its `toJSON`, left out when `undefined` or
 * a symbol, a number JSON cannot hold written as `null`. `undefined` when `sent` is not a plain
 * object or a field is one (after its `toJSON`) or a function: the caller then makes the round
 * trip.
 */
function cookieAsLoaded(sent: unknown): SessionRecord | undefined {
  if (!isRecord(sent) || Object.getPrototypeOf(sent) !== Object.prototype) return undefined;
  const loaded: SessionRecord = {};
  for (const field of COOKIE_FIELDS) {
    if (!Object.prototype.propertyIsEnumerable.call(sent, field)) continue;
    let value = sent[field];
    if (isRecord(value) && typeof value.toJSON === "function") value = value.toJSON(field);
    if (value === undefined || typeof value === "symbol") continue;
    if (value === null || typeof value === "string" || typeof value === "boolean") {
      loaded[field] = value;
    } else if (typeof value === "number") {
      loaded[field] = Number.isFinite(value) ? value : null;
    } else {
      return undefined;
    }
  }
  return loaded;
}

const {
  toJSON: DATE_TO_JSON,
  toISOString: DATE_TO_ISO_STRING,
  valueOf: DATE_VALUE_OF,
} = Date.prototype;

/**
 * Whether `value` is a Date of a time from year 1601 to 9999 that JSON writes as that time's ISO
 * string: one of `Date` itself, no key of its own, and `toJSON` and `toISOString` as the language
 * made them. (What else `toJSON` calls can only make it write `null`, which a cookie date may be.)
 */
function isPlainCookieDate(value: unknown): value is Date {
  const proto = Date.prototype;
  return (
    types.isDate(value) &&
    Object.getPrototypeOf(value) === proto &&
    Reflect.ownKeys(value).length === 0 &&
    proto.toJSON === DATE_TO_JSON &&
    proto.toISOString === DATE_TO_ISO_STRING &&
    isCookieTime(DATE_VALUE_OF.call(value))
  );
}

/** The fields of a stored cookie that {@link checkCookie} reads. */
const COOKIE_FIELDS = [
  "expires",
  "originalMaxAge",
  "originalExpires",
  "path",
  "domain",
  "sameSite",
  "secure",
  "httpOnly",
  "partitioned",
];

/**
 * Checks a decoded session against everything the framework reads of it, and rebuilds its cookie
 * from the checked fields.
 *
 * @param json - The JSON text it was parsed from, searched before the session is walked.
 * @throws CorruptSessionError naming the first field that fails.
 */
function restore(stored: SessionRecord, json: string): Session {
  for (const key of RESERVED_KEYS) {
    if (Object.hasOwn(stored, key)) {
      expectField(false, key, "absent (a name @fastify/session uses)", stored[key]);
    }
  }
  if (jsonMayHoldKey(json, PROTO_KEY)) checkNoProtoKey(stored, []);
  return { ...stored, cookie: restoreCookie(stored.cookie) };
}

const PROTO_KEY = ["__proto__"];

/** Checks that `value` holds no `__proto__` key, which merging code could take for the prototype. */
function checkNoProtoKey(value: unknown, path: string[]): void {
  if (typeof value !== "object" || value === null) return;
  for (const key of Object.keys(value)) {
    const inner = (value as SessionRecord)[key];
    path.push(key);
    if (key === "__proto__") expectField(false, path.join("."), "absent", inner);
    checkNoProtoKey(inner, path);
    path.pop();
  }
}

/**
 * Checks a stored cookie with {@link checkCookie} and rebuilds it from the fields the framework
 * reads. Fields that are absent stay absent (the plugin's cookie options apply); a stored `null` is
 * handed on as the falsy value of the field's type, which the framework reads the same way. Other
 * keys are left behind: `Cookie` reads none of them but `maxAge`, and that only as a fallback for
 * a missing `originalMaxAge`.
 */
function restoreCookie(value: unknown): StoredCookie {
  checkCookie(value);
  const { expires, originalMaxAge, path, domain, sameSite, secure, httpOnly, partitioned } = value;
  const cookie: StoredCookie = { originalMaxAge: originalMaxAge ?? null };
  if (expires !== undefined) cookie.expires = expires === null ? null : new Date(expires);
  if (path !== undefined) cookie.path = path;
  if (domain !== undefined) cookie.domain = domain ?? "";
  if (sameSite !== undefined) cookie.sameSite = sameSiteOf(sameSite);
  if (secure !== undefined) cookie.secure = secure ?? false;
  if (httpOnly !== undefined) cookie.httpOnly = httpOnly ?? false;
  if (partitioned != null) cookie.partitioned = partitioned;
  return cookie;
}

/** A stored cookie's fields, of the types {@link checkCookie} accepts. */
interface CheckedCookie {
  expires?: string | Date | null;
  originalExpires?: string | Date | null;
  originalMaxAge?: number | null;
  path?: string;
  domain?: string | null;
  sameSite?: string | boolean | null;
  secure?: boolean | "auto" | null;
  httpOnly?: boolean | null;
  partitioned?: boolean | null;
}

/**
 * Checks a stored cookie against what @fastify/session's `Session` and `Cookie` and the `cookie`
 * package's `stringifySetCookie` accept, so that no stored value can make them throw. A date field
 * may also be a Date that {@link isPlainCookieDate} accepts, as the cookie a save is handed holds
 * it: it passes as the ISO string JSON writes of it would.
 */
function checkCookie(value: unknown): asserts value is CheckedCookie {
  expectField(isRecord(value), "cookie", "an object", value);
  const { expires, originalMaxAge, originalExpires, path, domain, sameSite, secure, httpOnly } =
    value;
  expectField(
    expires == null || isCookieDate(expires),
    "cookie.expires",
    "an ISO date from year 1601 to 9999, or null",
    expires,
  );
  expectField(
    originalExpires == null || isCookieDate(originalExpires),
    "cookie.originalExpires",
    "an ISO date from year 1601 to 9999, or null",
    originalExpires,
  );
  expectField(
    originalMaxAge == null ||
      (typeof originalMaxAge === "number" &&
        originalMaxAge > 0 &&
        isCookieTime(Date.now() + originalMaxAge)),
    "cookie.originalMaxAge",
    "a number of ms above 0 that ends before year 10000, or null",
    originalMaxAge,
  );
  expectField(path === undefined || isCookiePath(path), "cookie.path", "a cookie path", path);
  expectField(
    domain == null || isCookieDomain(domain),
    "cookie.domain",
    "a cookie domain or null",
    domain,
  );
  expectField(
    sameSite == null || isSameSite(sameSite),
    "cookie.sameSite",
    "a boolean, lax, strict, none or null",
    sameSite,
  );
  expectField(
    secure == null || typeof secure === "boolean" || secure === "auto",
    "cookie.secure",
    'a boolean, "auto" or null',
    secure,
  );
  expectField(
    httpOnly == null || typeof httpOnly === "boolean",
    "cookie.httpOnly",
    "a boolean or null",
    httpOnly,
  );
  const { partitioned } = value;
  expectField(
    partitioned == null || typeof partitioned === "boolean",
    "cookie.partitioned",
    "a boolean or null",
    partitioned,
  );
}

/** A stored `sameSite` that `isSameSite` accepted, as the framework's cookie type spells it. */
function sameSiteOf(sameSite: string | boolean | null): boolean | "lax" | "strict" | "none" {
  if (typeof sameSite !== "string") return sameSite ?? false;
  return sameSite.toLowerCase() as "lax" | "strict" | "none";
}

/**
 * Whether `value` is a `Date#toJSON` string the `cookie` package would send as `Expires`, or a
 * Date that {@link isPlainCookieDate} accepts (which JSON writes as such a string).
 */
function isCookieDate(value: unknown): value is string | Date {
  if (typeof value !== "string") return isPlainCookieDate(value);
  return ISO_DATE_PATTERN.test(value) && isCookieTime(Date.parse(value));
}

/** Whether `ms` since the epoch falls in a year the `cookie` package sends: 1601 to 9999. */
function isCookieTime(ms: number): boolean {
  return ms >= FIRST_COOKIE_MS && ms <= LAST_COOKIE_MS;
}
