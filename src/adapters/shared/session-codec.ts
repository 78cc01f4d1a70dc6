import { describeValue } from "../../arguments";

/**
 * What an adapter reports when the bytes stored under a session token are not a session its
 * framework can use: not UTF-8, not JSON, not an object, or a field the framework reads with the
 * wrong type. The adapter removes such a session from the store before it reports it, so the
 * user's next request starts a fresh session. Check it with `instanceof` or by its `code`.
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

/** A decoded session: a JSON object, whose fields an adapter checks further. */
export type SessionRecord = Record<string, unknown>;

/**
 * How deep a session may nest, the session object itself being level 1. Every framework runs
 * `JSON.stringify` (or a hash) over the sessions it loads, and runs out of stack a few thousand
 * levels down; 64 leaves room for any real session.
 */
export const MAX_SESSION_DEPTH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Encodes a session as JSON in UTF-8, the one format every adapter stores.
 *
 * @throws TypeError when `session` nests deeper than {@link MAX_SESSION_DEPTH} levels (it could
 *   not be read back), or holds what JSON cannot (a `BigInt`, a cycle).
 */
export function encodeSession(session: object): Uint8Array {
  const depth = nestingDepth(session, MAX_SESSION_DEPTH + 1);
  if (depth > MAX_SESSION_DEPTH) {
    throw new TypeError(
      `Cannot save the session: it nests deeper than ${MAX_SESSION_DEPTH} levels (or refers to itself)`,
    );
  }
  return Buffer.from(JSON.stringify(session), "utf8");
}

/**
 * Decodes bytes that {@link encodeSession} made.
 *
 * @throws CorruptSessionError when `data` is not strict UTF-8 (a malformed sequence is never
 *   turned into U+FFFD), not JSON, not a JSON object, or nests deeper than
 *   {@link MAX_SESSION_DEPTH} levels.
 */
export function decodeSession(data: Uint8Array): SessionRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8.decode(data));
  } catch (error) {
    throw new CorruptSessionError(`not JSON in UTF-8 (${(error as Error).message})`);
  }
  if (!isRecord(parsed)) {
    throw new CorruptSessionError(`expected a JSON object, got ${describeValue(parsed)}`);
  }
  const depth = nestingDepth(parsed, MAX_SESSION_DEPTH + 1);
  if (depth > MAX_SESSION_DEPTH) {
    throw new CorruptSessionError(
      `expected the session to nest at most ${MAX_SESSION_DEPTH} levels deep, got ${depth}`,
    );
  }
  return parsed;
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

/**
 * How many levels objects and arrays nest in `value` (`{}` is 1, a string 0), counted no further
 * than `limit`.
 */
export function nestingDepth(value: unknown, limit: number): number {
  if (typeof value !== "object" || value === null) return 0;
  let deepest = 0;
  if (limit > 1) {
    if (Array.isArray(value)) {
      for (const child of value) {
        deepest = Math.max(deepest, nestingDepth(child, limit - 1));
        if (deepest === limit - 1) break;
      }
    } else {
      for (const key in value) {
        // Own values only, as JSON has them: a getter up a prototype is never called.
        if (!Object.hasOwn(value, key)) continue;
        deepest = Math.max(deepest, nestingDepth((value as SessionRecord)[key], limit - 1));
        if (deepest === limit - 1) break;
      }
    }
  }
  return deepest + 1;
}
