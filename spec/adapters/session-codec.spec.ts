import { expect } from "chai";
import fc from "fast-check";
import {
  CorruptSessionError,
  decodeSession,
  encodeSession,
  expectField,
  isDateString,
  jsonMayHoldKey,
  jsonNestsDeeperThan,
  MAX_SESSION_DEPTH,
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

/** `value` wrapped in `levels` objects: `{ a: { a: value } }` for 2. */
function nested(levels: number, value: unknown = 1): unknown {
  let nest = value;
  for (let i = 0; i < levels; i++) nest = { a: nest };
  return nest;
}

/** What `call` throws. */
function thrownBy(call: () => unknown): Error {
  try {
    call();
  } catch (thrown) {
    return thrown as Error;
  }
  throw new Error("expected a throw");
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
        expect(jsonNestsDeeperThan(text, Buffer.from(text), limit)).to.equal(
          nestingDepth(value) > limit,
        );
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

describe("session codec: errors and edges", () => {
  it("CorruptSessionError: names itself, and says what is wrong in its problem and message", () => {
    const error = new CorruptSessionError("expected `cookie` to be an object, got 1 (number)");
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal("CorruptSessionError");
    expect(error.code).to.equal("ERR_CORRUPT_SESSION");
    expect(error.problem).to.equal("expected `cookie` to be an object, got 1 (number)");
    expect(error.message).to.equal(
      "Stored session data is corrupt and was removed from the store: expected `cookie` to be an object, got 1 (number)",
    );
  });

  it("SessionTooLargeError: names itself, its size and its bound", () => {
    const error = new SessionTooLargeError(2_000, 1_024);
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal("SessionTooLargeError");
    expect(error.code).to.equal("ERR_SESSION_TOO_LARGE");
    expect([error.sizeBytes, error.maxSessionBytes]).to.deep.equal([2_000, 1_024]);
    expect(error.message).to.equal(
      "Cannot save the session: it is 2000 bytes of JSON, more than maxSessionBytes (1024); nothing was stored",
    );
  });

  it("encodeSession: a session nested 64 levels deep is encoded; 65 is a TypeError without a cause", () => {
    expect(encodeSession(nested(MAX_SESSION_DEPTH) as object, 1_000).json).to.match(/^\{"a":/);
    const error = thrownBy(() => encodeSession(nested(MAX_SESSION_DEPTH + 1) as object, 1_000));
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.equal("Cannot save the session: it nests deeper than 64 levels");
    expect("cause" in error).to.equal(false);
  });

  it("encodeSession: a nest too deep for JSON.stringify is the same TypeError, the stack overflow its cause", () => {
    const error = thrownBy(() =>
      encodeSession(nested(100_000) as object, Number.POSITIVE_INFINITY),
    );
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.equal("Cannot save the session: it nests deeper than 64 levels");
    expect(error.cause).to.be.instanceOf(RangeError);
  });

  it("encodeSession: what JSON cannot hold is JSON.stringify's own TypeError", () => {
    const error = thrownBy(() => encodeSession({ big: 1n }, 1_000));
    expect(error).to.be.instanceOf(TypeError);
    expect(error.message).to.match(/BigInt/);
  });

  it("decodeSession: answers the session and the JSON text it was parsed from", () => {
    const json = '{"message":"h\u00e9llo","n":[1,{"b":null}]}';
    expect(decodeSession(Buffer.from(json))).to.deep.equal({
      session: { message: "héllo", n: [1, { b: null }] },
      json,
    });
  });

  it("decodeSession: bytes that are not UTF-8, or not JSON, are corrupt, the parser's message in the problem", () => {
    for (const data of [Uint8Array.of(0x7b, 0xc3, 0x28, 0x7d), Buffer.from("{"), Buffer.from("")]) {
      const error = thrownBy(() => decodeSession(data)) as CorruptSessionError;
      expect(error).to.be.instanceOf(CorruptSessionError);
      expect(error.problem).to.match(/^not JSON in UTF-8 \(.+\)$/);
    }
  });

  it("decodeSession: a byte order mark is kept, and is not JSON", () => {
    const data = Buffer.from('\ufeff{"message":"é"}');
    expect(utf8Text(data)).to.equal('\ufeff{"message":"é"}');
    const error = thrownBy(() => decodeSession(data)) as CorruptSessionError;
    expect(error.problem).to.match(/^not JSON in UTF-8 /);
  });

  it("decodeSession: JSON that is not an object is corrupt, naming what it is", () => {
    const problems = ["[]", "null", '"text"', "1"].map(
      (json) => (thrownBy(() => decodeSession(Buffer.from(json))) as CorruptSessionError).problem,
    );
    expect(problems).to.deep.equal([
      "expected a JSON object, got `[]` (object)",
      "expected a JSON object, got `null` (null)",
      "expected a JSON object, got `'text'` (string)",
      "expected a JSON object, got `1` (number)",
    ]);
  });

  it("decodeSession: a session nested 64 levels deep is decoded; 65 is corrupt", () => {
    const at = (levels: number) => Buffer.from(JSON.stringify(nested(levels)));
    expect(decodeSession(at(MAX_SESSION_DEPTH)).session).to.deep.equal(nested(MAX_SESSION_DEPTH));
    const error = thrownBy(() => decodeSession(at(MAX_SESSION_DEPTH + 1))) as CorruptSessionError;
    expect(error).to.be.instanceOf(CorruptSessionError);
    expect(error.problem).to.equal("expected the session to nest at most 64 levels deep");
  });

  it("jsonNestsDeeperThan: reads no byte of a text that opens no more than `limit` objects and arrays, else each byte once in order", () => {
    /** The answer, and the indexes of the bytes read, in the order read. */
    const reading = (json: string, limit: number) => {
      const read: number[] = [];
      const bytes = new Proxy(Buffer.from(json), {
        get(target, property) {
          if (typeof property === "string" && /^\d+$/.test(property)) read.push(Number(property));
          return Reflect.get(target, property);
        },
      });
      return { deeper: jsonNestsDeeperThan(json, bytes, limit), read };
    };
    // Six opening braces and brackets, two of them in a string; three levels deep.
    const json = '{"a":[1,{"b":"{[x"}],"c":{}}';
    for (const limit of [6, 7]) {
      expect(reading(json, limit), `limit ${limit}`).to.deep.equal({ deeper: false, read: [] });
    }
    const everyByte = Array.from({ length: json.length }, (_, i) => i);
    for (const limit of [3, 5]) {
      expect(reading(json, limit), `limit ${limit}`).to.deep.equal({
        deeper: false,
        read: everyByte,
      });
    }
    expect(reading(json, 2), "up to the third level").to.deep.equal({
      deeper: true,
      read: everyByte.slice(0, json.indexOf('{"b"') + 1),
    });
  });

  it("utf8Text: all-ASCII bytes are copied as they are, never through the strict decoder; other bytes go through it", () => {
    const decode = TextDecoder.prototype.decode;
    let decoded = 0;
    TextDecoder.prototype.decode = function (input, options) {
      decoded++;
      return decode.call(this, input, options);
    };
    try {
      expect(utf8Text(Uint8Array.of(0x7b, 0x7d))).to.equal("{}");
      expect(utf8Text(Buffer.from('{"a":1}'))).to.equal('{"a":1}');
      expect(decoded, "decodes of ASCII").to.equal(0);
      expect(utf8Text(Buffer.from('{"a":"é"}'))).to.equal('{"a":"é"}');
      expect(decoded).to.equal(1);
    } finally {
      TextDecoder.prototype.decode = decode;
    }
  });

  it("jsonMayHoldKey: false for a text that holds none of the names, even as a value's prefix", () => {
    const json = '{"user":"ann","cookie":{"path":"/"},"note":"__proto"}';
    expect(jsonMayHoldKey(json, ["__proto__", "constructor"])).to.equal(false);
    expect(jsonMayHoldKey(json, [])).to.equal(false);
    expect(jsonMayHoldKey(json, ["constructor", "path"])).to.equal(true);
  });

  it("expectField: passes a valid field; an invalid one is corrupt, naming the field, what it should be and what it is", () => {
    expect(() => expectField(true, "cookie.path", "a cookie path", "/")).not.to.throw();
    const error = thrownBy(() =>
      expectField(false, "cookie.path", "a cookie path", 3),
    ) as CorruptSessionError;
    expect(error).to.be.instanceOf(CorruptSessionError);
    expect(error.problem).to.equal("expected `cookie.path` to be a cookie path, got `3` (number)");
  });

  it("isDateString: true only for a string that Date parses to a valid time", () => {
    expect(isDateString("2030-01-01T00:00:00.000Z")).to.equal(true);
    expect(isDateString("not a date")).to.equal(false);
    expect(isDateString("")).to.equal(false);
    expect(isDateString(Date.UTC(2030, 0, 1))).to.equal(false);
    expect(isDateString(new Date(0))).to.equal(false);
  });
});
