import { checkNumber, describeValue } from "../../arguments";
import type { Store } from "../../store";
import { DEFAULT_MAX_SESSION_BYTES } from "./session-codec";

/** The default `ttlMs` of every adapter: one day. */
export const ONE_DAY_MS = 86_400_000;

/**
 * Checks the store an adapter wraps.
 *
 * @throws TypeError when `store` lacks any of `find`, `save`, `delete` and `touch`.
 */
export function checkStore(store: unknown): asserts store is Store {
  const candidate = store as Partial<Store> | null | undefined;
  const valid =
    typeof candidate?.find === "function" &&
    typeof candidate.save === "function" &&
    typeof candidate.delete === "function" &&
    typeof candidate.touch === "function";
  if (!valid) {
    throw new TypeError(
      `Expected \`store\` to be a Store with find, save, delete and touch methods, got ${describeValue(store)}`,
    );
  }
}

/**
 * Checks an adapter's `ttlMs` option.
 *
 * @returns The option, or one day when it is undefined.
 * @throws TypeError when `ttlMs` is not a number.
 * @throws RangeError when `ttlMs` is not an integer of 1 or more.
 */
export function checkTtl(ttlMs: unknown): number {
  return ttlMs === undefined ? ONE_DAY_MS : checkNumber(ttlMs, "ttlMs", { min: 1 });
}

/**
 * Checks an adapter's `maxSessionBytes` option.
 *
 * @returns The option, or 1 MiB when it is undefined.
 * @throws TypeError when `maxSessionBytes` is not a number.
 * @throws RangeError when `maxSessionBytes` is neither an integer of 1 or more nor `Infinity`.
 */
export function checkMaxSessionBytes(maxSessionBytes: unknown): number {
  return maxSessionBytes === undefined
    ? DEFAULT_MAX_SESSION_BYTES
    : checkNumber(maxSessionBytes, "maxSessionBytes", { min: 1, infinite: true });
}
