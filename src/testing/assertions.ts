import assert from "node:assert/strict";
import type { FindResult } from "../store";

/** Bytes from numbers. */
export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/**
 * Asserts that `result` is a live session holding exactly `expected`. A mismatch is reported by
 * its lengths and its first differing byte, not by a diff of the two arrays, which `node:assert`
 * takes minutes to make for large ones.
 */
export function expectFound(result: FindResult, expected: Uint8Array, what: string): void {
  assert.equal(result.exists, true, `${what}: expected the session to be found`);
  const data: unknown = result.data;
  assert.ok(data instanceof Uint8Array, `${what}: expected data to be a Uint8Array`);
  const saved = `${what}: expected the bytes saved (${expected.byteLength} of them)`;
  if (data.byteLength !== expected.byteLength) {
    assert.fail(`${saved}, got ${data.byteLength} bytes`);
  }
  for (let i = 0; i < expected.byteLength; i++) {
    if (data[i] !== expected[i]) {
      assert.fail(`${saved}, got ${data[i]} at index ${i} where ${expected[i]} was saved`);
    }
  }
}

/** Asserts that `result` says the session does not exist. */
export function expectMissing(result: FindResult, what: string): void {
  const { exists, data } = result;
  if (exists !== false || data !== undefined) {
    const got =
      data instanceof Uint8Array
        ? `${data.byteLength} bytes`
        : data === null
          ? "null"
          : typeof data;
    assert.fail(
      `${what}: expected { exists: false, data: undefined }, got { exists: ${String(exists)}, data: ${got} }`,
    );
  }
}

/**
 * Calls `call` and asserts that it throws or rejects with a `type` whose message names
 * `argument`.
 */
export async function expectRejected(
  call: () => unknown,
  type: typeof TypeError | typeof RangeError,
  argument: string,
  what: string,
): Promise<void> {
  let failure: unknown;
  try {
    await call();
  } catch (error) {
    failure = error;
  }
  assert.ok(failure instanceof type, `${what}: expected a ${type.name}, got ${String(failure)}`);
  assert.ok(
    failure.message.includes(argument),
    `${what}: expected the message to name \`${argument}\`, got "${failure.message}"`,
  );
}
