import assert from "node:assert/strict";
import type { FindResult } from "../store";

/** Bytes from numbers. */
export function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Asserts that `result` is a live session holding exactly `expected`. */
export function expectFound(result: FindResult, expected: Uint8Array, what: string): void {
  assert.equal(result.exists, true, `${what}: expected the session to be found`);
  assert.ok(result.data instanceof Uint8Array, `${what}: expected data to be a Uint8Array`);
  assert.deepEqual(
    [...result.data],
    [...expected],
    `${what}: expected the bytes saved (${expected.byteLength} of them)`,
  );
}

/** Asserts that `result` says the session does not exist. */
export function expectMissing(result: FindResult, what: string): void {
  assert.deepEqual(
    { exists: result.exists, data: result.data },
    { exists: false, data: undefined },
    `${what}: expected { exists: false, data: undefined }`,
  );
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
