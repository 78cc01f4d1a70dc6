import { expect } from "chai";
import fc from "fast-check";
import {
  encodeSession,
  jsonMayHoldKey,
  jsonNestsDeeperThan,
  SessionTooLargeError,
  utf8Text,
} from "../../src/adapters/shared/session-codec";

/** The general answer: how deep objects and arrays nest in `value`, walked (`{}` is 1). */
function nestingDepth(value: unknown): number {
  if (typeof value !== "object" || value === null) return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(nestingDepth));
}

/** Every key of `value`, at any depth, walked. */
function keysOf(value: unknown, keys = new Set<string>()): Set<string> {
  if (typeof value !== "object" || value === null) return keys;
  if (!Array.isArray(value)) for (const key of Object.keys(value)) keys.add(key);
  for (const child of Object.values(value)) keysOf(child, keys);
  return keys;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const decodeOrError = (decode: (data: Uint8Array) => string, data: Uint8Array) => {
  try {
    return decode(data);
  } catch {
    return "error";
  }
};

/** JSON values whose keys and strings hold quotes, backslashes, brackets and escapes. */
const tricky = fc.string({
  unit: fc.constantFrom("a", '"', "\\", "[", "]", "{", "}", "_", "é", "\u0001", "\ud800"),
});
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    tricky,
    fc.integer(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(tricky, fc.constantFrom("__proto__", "constructor", "_x")),
      tie("value"),
      { maxKeys: 3 },
    ),
  ),
})).value;

describe("session codec: each fast path answers as the general one", () => {
  it("jsonNestsDeeperThan: the text's nesting is the walked nesting, at every limit", () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 0, max: 8 }), (value, limit) => {
        const text = JSON.stringify(value);
        expect(jsonNestsDeeperThan(text, limit)).to.equal(nestingDepth(value) > limit);
      }),
      { numRuns: 2_000 },
    );
  });

  it("utf8Text: decodes every byte string as the strict decoder does, refusing what it refuses", () => {
    const bytes = fc.uint8Array({ maxLength: 40 });
    const ascii = fc.uint8Array({ max: 0x7f, maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(bytes, ascii), (data) => {
        expect(decodeOrError(utf8Text, data)).to.equal(
          decodeOrError((d) => strict.decode(d), data),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it("jsonMayHoldKey: false only when no key of that name is anywhere in the session", () => {
    fc.assert(
      fc.property(json, fc.constantFrom("__proto__", "constructor", "_x"), (value, name) => {
        const text = JSON.stringify(value);
        const parsed = JSON.parse(text);
        if (!jsonMayHoldKey(text, [name])) expect(keysOf(parsed).has(name)).to.equal(false);
      }),
      { numRuns: 2_000 },
    );
    expect(jsonMayHoldKey('{"a":{"__pr\\u006fto__":1}}', ["__proto__"])).to.equal(true);
  });

  it("encodeSession: the bytes are the JSON's UTF-8, ASCII or not, as the general encoder makes them", () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = JSON.stringify(value);
        const encoded = encodeSession({ value }, Number.POSITIVE_INFINITY);
        expect(
          Buffer.compare(encoded.data, Buffer.from(JSON.stringify({ value }), "utf8")),
        ).to.equal(0);
        expect(encoded.json).to.equal(`{"value":${text}}`);
      }),
      { numRuns: 2_000 },
    );
  });

  it("encodeSession: the size bound counts UTF-8 bytes: exactly the bound is encoded, one byte over is refused", () => {
    const session = { message: "é".repeat(10) };
    const size = Buffer.byteLength(JSON.stringify(session));
    expect(encodeSession(session, size).data.length).to.equal(size);
    const error = (() => {
      try {
        encodeSession(session, size - 1);
      } catch (thrown) {
        return thrown;
      }
    })() as SessionTooLargeError;
    expect(error).to.be.instanceOf(SessionTooLargeError);
    expect([error.sizeBytes, error.maxSessionBytes]).to.deep.equal([size, size - 1]);
  });
});
