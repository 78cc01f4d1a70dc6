import { inspect, types } from "node:util";

/** Renders a received value for an error message: `` `0` (number) ``. */
export function describeValue(value: unknown): string {
  const shown = inspect(value, {
    depth: 0,
    breakLength: Number.POSITIVE_INFINITY,
    maxStringLength: 40,
  });
  const kind = value === null ? "null" : typeof value;
  return `\`${shown}\` (${kind})`;
}

/**
 * Checks a session token. A lone surrogate is refused: in a store that keeps tokens as UTF-8, such
 * as Redis, it would turn into U+FFFD and two tokens would share one session.
 *
 * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
 */
export function assertToken(token: unknown): asserts token is string {
  if (!isToken(token)) {
    throw new TypeError(
      `Expected \`token\` to be a non-empty string of well-formed Unicode, got ${describeValue(token)}`,
    );
  }
}

/** Whether `token` is a session token: a non-empty string of well-formed Unicode. */
export function isToken(token: unknown): token is string {
  return typeof token === "string" && token.length > 0 && token.isWellFormed();
}

/**
 * Checks session data.
 *
 * @throws TypeError when `data` is not a `Uint8Array` (a `Buffer` is one).
 */
export function assertData(data: unknown): asserts data is Uint8Array {
  if (!types.isUint8Array(data)) {
    throw new TypeError(`Expected \`data\` to be a Uint8Array, got ${describeValue(data)}`);
  }
}

/**
 * Checks a session expiry and returns it in milliseconds since the epoch.
 *
 * @throws TypeError when `expiry` is not a `Date`.
 * @throws RangeError when `expiry` is an invalid `Date`.
 */
export function expiryMsOf(expiry: unknown): number {
  if (!types.isDate(expiry)) {
    throw new TypeError(`Expected \`expiry\` to be a Date, got ${describeValue(expiry)}`);
  }
  // The Date's own time: a `getTime` put on it (or on a subclass) could answer anything.
  const expiryMs = Date.prototype.getTime.call(expiry);
  if (Number.isNaN(expiryMs)) {
    throw new RangeError(`Expected \`expiry\` to be a valid Date, got ${describeValue(expiry)}`);
  }
  return expiryMs;
}

/**
 * Checks the three arguments of `save` together, so a bad one is reported before anything changes.
 *
 * @returns The expiry in milliseconds since the epoch.
 */
export function checkSaveArguments(token: unknown, data: unknown, expiry: unknown): number {
  assertToken(token);
  assertData(data);
  return expiryMsOf(expiry);
}

/**
 * Checks the two arguments of `touch` together, so a bad one is reported before anything changes.
 *
 * @returns The expiry in milliseconds since the epoch.
 */
export function checkTouchArguments(token: unknown, expiry: unknown): number {
  assertToken(token);
  return expiryMsOf(expiry);
}
