import { inspect, types } from "node:util";

/** The longest delay Node's timers take: 2^31 - 1 ms, about 24.8 days. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * Renders a received value for an error message: `` `0` (number) ``. The value's own
 * `inspect.custom` is not called, and a value that cannot be shown at all (a Proxy whose traps
 * throw) is described by its type alone: describing a bad argument never throws.
 */
export function describeValue(value: unknown): string {
  const kind = value === null ? "null" : typeof value;
  let shown: string;
  try {
    shown = inspect(value, {
      depth: 0,
      breakLength: Number.POSITIVE_INFINITY,
      maxStringLength: 40,
      customInspect: false,
    });
  } catch {
    return `a value that cannot be shown (${kind})`;
  }
  return `\`${shown}\` (${kind})`;
}

/**
 * Checks the options argument of a constructor: an object (`undefined` takes the defaults before
 * this is called).
 *
 * @throws TypeError when `options` is not an object.
 */
export function checkOptions(options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
}

/**
 * Checks a session token. A lone surrogate is refused: in a store that keeps tokens as UTF-8, such
 * as Redis, it would turn into U+FFFD and two tokens would share one session.
 *
 * @param name - The argument's name, for the error: `token` unless given.
 * @throws TypeError when `token` is not a non-empty string of well-formed Unicode.
 */
export function assertToken(token: unknown, name = "token"): asserts token is string {
  if (!isToken(token)) {
    throw new TypeError(
      `Expected \`${name}\` to be a non-empty string of well-formed Unicode, got ${describeValue(token)}`,
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

/** The bounds of a numeric option, for {@link checkNumber}. */
export interface NumberBounds {
  /** The least value allowed. */
  readonly min: number;
  /** The greatest value allowed. Default: no bound. */
  readonly max?: number;
  /** Whether the value must be a (safe) integer. Default: `true`. */
  readonly integer?: boolean;
  /** Whether `Infinity` is allowed too (no bound). Default: `false`. */
  readonly infinite?: boolean;
}

/**
 * Checks a numeric option: an integer (or, with `integer: false`, any finite number) from `min` to
 * `max`, or `Infinity` where `infinite` allows it.
 *
 * @param name - The option's name, for the message.
 * @returns The value.
 * @throws TypeError when `value` is not a number.
 * @throws RangeError when it is out of bounds, not an integer where one is needed, or `NaN`.
 */
export function checkNumber(value: unknown, name: string, bounds: NumberBounds): number {
  const { min, max = Number.POSITIVE_INFINITY, integer = true, infinite = false } = bounds;
  if (typeof value !== "number") {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describeValue(value)}`);
  }
  if (infinite && value === Number.POSITIVE_INFINITY) return value;
  const whole = integer ? Number.isSafeInteger(value) : Number.isFinite(value);
  if (!(whole && value >= min && value <= max)) {
    const kind = (integer ? "an integer" : "a number") + (infinite ? " (or Infinity)" : "");
    const range = max === Number.POSITIVE_INFINITY ? `from ${min} and up` : `from ${min} to ${max}`;
    throw new RangeError(
      `Expected \`${name}\` to be ${kind} ${range}, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Checks a boolean option.
 *
 * @returns The value, or `false` when it is undefined.
 * @throws TypeError when `value` is neither a boolean nor undefined.
 */
export function checkFlag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== "boolean") {
    throw new TypeError(`Expected \`${name}\` to be a boolean, got ${describeValue(value)}`);
  }
  return value;
}
