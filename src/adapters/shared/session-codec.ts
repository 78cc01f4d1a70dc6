import { isAscii } from "node:buffer";
import { describeValue } from "../../arguments";

/**
 * What an adapter reports when the bytes stored under a session token are not a session its
 * framework can use: larger than the adapter's `maxSessionBytes`, not UTF-8, not JSON, not an
 * object, or a field the framework reads with the wrong type. The adapter removes such a session
 * from the store before it reports it, so the user's next request starts a fresh session. Check
 * it with `instanceof` or by its `code`.
 */
export class CorruptSessionError extends Error {
  /** Always `"ERR_CORRUPT_SESSION"`. */
  readonly code = "ERR_CORRUPT_SESSION";

  /** What is wrong with the stored bytes: `expected \`cookie.path\` to be a cookie path, got ...`. */
  readonly problem: string;

  /** @param problem - What is wrong with the stored bytes. */
  constructor(problem: string) {
    super(`Stored session data is corrupt and was removed from the store: ${problem}`);
    this.name = "CorruptSessionError";
    this.problem = problem;
  }
}

/**
 * What an adapter passes to the framework when a session it is asked to save encodes to more
 * bytes than its `maxSessionBytes`. Nothing is stored: the session stored before (if any) stays
 * as it was. The framework answers the request through its error path (a 500). Check it with
 * `instanceof` or by its `code`.
 */
export class SessionTooLargeError extends Error {
  /** Always `"ERR_SESSION_TOO_LARGE"`. */
  readonly code = "ERR_SESSION_TOO_LARGE";

  /** The size of the encoded session, in bytes of UTF-8 JSON. */
  readonly sizeBytes: number;

  /** The adapter's bound, in bytes: its `maxSessionBytes`. */
  readonly maxSessionBytes: number;

  /**
   * @param sizeBytes - The size of the encoded session, in bytes.
   * @param maxSessionBytes - The bound it is over, in bytes.
   */
  constructor(sizeBytes: number, maxSessionBytes: number) {
    super(
      `Cannot save the session: it is ${sizeBytes} bytes of JSON, more than maxSessionBytes (${maxSessionBytes}); nothing was stored`,
    );
    this.name = "SessionTooLargeError";
    this.sizeBytes = sizeBytes;
    this.maxSessionBytes = maxSessionBytes;
  }
}

/** A decoded session: a JSON object, whose fields an adapter checks further. */
export type SessionRecord = Record<string, unknown>;

/** A session with its JSON text, which the checks search rather than walking the session. */
export interface SessionJson<T> {
  /** The session: the object to encode, or the object decoded. */
  readonly session: T;
  /** Its JSON text. */
  readonly json: string;
}

/** The default `maxSessionBytes` of every adapter: 1 MiB of encoded session. */
export const DEFAULT_MAX_SESSION_BYTES = 1_048_576;

/**
 * How deep a session may nest, the session object itself being level 1. Every framework runs
 * `JSON.stringify` (or a hash) over the sessions it loads, and runs out of stack a few thousand
 * levels down; 64 leaves room for any real session.
 */
export const MAX_SESSION_DEPTH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * A session encoded as JSON: the text, its size in bytes of UTF-8, and those bytes, made only
 * when asked for (a store that keeps the text itself never needs them).
 */
export class EncodedSession {
  private bytes: Buffer | undefined;

  /**
   * @param json - The session's JSON text.
   * @param sizeBytes - Its size in bytes of UTF-8.
   */
  constructor(
    readonly json: string,
    readonly sizeBytes: number,
  ) {}

  /** Whether the text is all ASCII: one byte a character, its own UTF-8 and its own Latin-1. */
  get ascii(): boolean {
    return this.sizeBytes === this.json.length;
  }

  /** The text's UTF-8 bytes, made on the first read: a copy of an ASCII text, not an encoding. */
  get data(): Buffer {
    this.bytes ??= Buffer.from(this.json, this.ascii ? "latin1" : "utf8");
    return this.bytes;
  }
}

/**
 * Encodes a session as JSON in UTF-8, the one format every adapter stores.
 *
 * @param maxSessionBytes - The most bytes the encoded session may take.
 * @returns The JSON text, its size and (on demand) its bytes.
 * @throws SessionTooLargeError when the encoded session takes more than `maxSessionBytes`.
 * @throws TypeError when `session` nests deeper than {@link MAX_SESSION_DEPTH} levels (it could
 *   not be read back), or holds what JSON cannot (a `BigInt`, a cycle).
 */
export function encodeSession(session: object, maxSessionBytes: number): EncodedSession {
  let json: string;
  try {
    json = JSON.stringify(session);
  } catch (error) {
    // A nest thousands of levels deep runs JSON.stringify out of stack.
    if (error instanceof RangeError) throw tooDeep(error);
    throw error;
  }
  const sizeBytes = Buffer.byteLength(json, "utf8");
  if (sizeBytes > maxSessionBytes) throw new SessionTooLargeError(sizeBytes, maxSessionBytes);
  const encoded = new EncodedSession(json, sizeBytes);
  if (jsonNestsDeeperThan(json, undefined, MAX_SESSION_DEPTH)) throw tooDeep();
  return encoded;
}

function tooDeep(cause?: unknown): TypeError {
  return new TypeError(
    `Cannot save the session: it nests deeper than ${MAX_SESSION_DEPTH} levels`,
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Decodes bytes that {@link encodeSession} made.
 *
 * @returns The session, and the JSON text it was parsed from.
 * @throws CorruptSessionError when `data` is not strict UTF-8 (a malformed sequence is never
 *   turned into U+FFFD), not JSON, not a JSON object, or nests deeper than
 *   {@link MAX_SESSION_DEPTH} levels.
 */
export function decodeSession(data: Uint8Array): SessionJson<SessionRecord> {
  let json: string;
  try {
    json = utf8Text(data);
  } catch (error) {
    throw notJson(error);
  }
  return parseSession(json, data);
}

/**
 * Decodes the JSON text of a session, as {@link decodeSession} decodes its bytes.
 *
 * @param utf8 - The text's UTF-8 bytes, if at hand; made from the text when needed.
 * @throws CorruptSessionError when `json` is not JSON, not a JSON object, or nests deeper than
 *   {@link MAX_SESSION_DEPTH} levels.
 */
export function parseSession(
  json: string,
  utf8: Uint8Array | undefined,
): SessionJson<SessionRecord> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw notJson(error);
  }
  if (!isRecord(parsed)) {
    throw new CorruptSessionError(`expected a JSON object, got ${describeValue(parsed)}`);
  }
  if (jsonNestsDeeperThan(json, utf8, MAX_SESSION_DEPTH)) {
    throw new CorruptSessionError(
      `expected the session to nest at most ${MAX_SESSION_DEPTH} levels deep`,
    );
  }
  return { session: parsed, json };
}

function notJson(error: unknown): CorruptSessionError {
  return new CorruptSessionError(`not JSON in UTF-8 (${(error as Error).message})`);
}

/**
 * Decodes strict UTF-8. All-ASCII bytes, what `JSON.stringify` makes of most sessions, are their
 * own Latin-1 text, which Node copies without decoding; anything else goes through the strict
 * decoder.
 *
 * @throws TypeError when `data` is not well-formed UTF-8.
 */
export function utf8Text(data: Uint8Array): string {
  if (isAscii(data)) {
    const bytes = Buffer.isBuffer(data)
      ? data
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    return bytes.toString("latin1");
  }
  return utf8.decode(data);
}

/**
 * Whether the JSON text `json` nests objects and arrays deeper than `limit` levels (`{}` is one
 * level). None of the work when the text opens no more than `limit` of them; else one pass over
 * `utf8`, the text's UTF-8 bytes (made from the text when not given), strings skipped whole, in
 * place of a walk over the session. The pass reads bytes, not characters: a byte array is read
 * faster than a string, and no byte of a character beyond ASCII is a quote, a backslash, a brace
 * or a bracket. `json` must be valid JSON.
 */
export function jsonNestsDeeperThan(
  json: string,
  utf8: Uint8Array | undefined,
  limit: number,
): boolean {
  if (!opensMoreThan(json, limit)) return false;
  const bytes = utf8 ?? Buffer.from(json, "utf8");
  let depth = 0;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const byte = bytes[i];
    if (byte === QUOTE) {
      // To the string's closing quote, past every escaped character.
      for (i++; i < length; i++) {
        const inString = bytes[i];
        if (inString === BACKSLASH) i++;
        else if (inString === QUOTE) break;
      }
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/**
 * Whether the text holds more than `limit` opening braces and brackets, strings included. `false`
 * is certain: it cannot nest deeper than `limit`. The search jumps from one to the next, so that
 * a session of a few objects is not read character by character.
 */
function opensMoreThan(json: string, limit: number): boolean {
  let opens = 0;
  for (const open of "{[") {
    for (let at = json.indexOf(open); at !== -1; at = json.indexOf(open, at + 1)) {
      if (++opens > limit) return true;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether the JSON text `json` may hold one of `names` as a key, anywhere in it. `false` is
 * certain: without a `\u` escape, every key is in the text as written, before its closing quote.
 * `true` may be a string value of that name, a longer name that ends in it, or an escape: the
 * caller then checks the session itself. The opening quote is left out of the search: a search
 * that starts with a quote stops at every string of the text, and is 10 to 30 times slower.
 */
export function jsonMayHoldKey(json: string, names: Iterable<string>): boolean {
  if (json.includes("\\u")) return true;
  for (const name of names) if (json.includes(`${name}"`)) return true;
  return false;
}

/** Whether `value` is a JSON object: not null, not an array. */
export function isRecord(value: unknown): value is SessionRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks one field of a stored session.
 *
 * @param field - The field's path, for the message: `cookie.expires`.
 * @param expected - What the field should be, for the message: `a number or null`.
 * @throws CorruptSessionError when `valid` is false.
 */
export function expectField(
  valid: boolean,
  field: string,
  expected: string,
  got: unknown,
): asserts valid {
  if (!valid) {
    throw new CorruptSessionError(
      `expected \`${field}\` to be ${expected}, got ${describeValue(got)}`,
    );
  }
}

/** Whether `value` is a string that `Date` parses to a valid time. */
export function isDateString(value: unknown): value is string {
  return typeof value === "string" && !Number.isNaN(Date.parse(value));
}
