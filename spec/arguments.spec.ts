import { expect } from "chai";
import {
  assertData,
  assertToken,
  checkFlag,
  checkNumber,
  checkOptions,
  checkSaveArguments,
  checkTouchArguments,
  describeValue,
  expiryMsOf,
  isToken,
  MAX_TIMER_DELAY_MS,
} from "../src/arguments";

/** Runs `call`, expecting it to throw, and returns what it threw. */
function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

function expectError(call: () => unknown, type: typeof TypeError, message: string): void {
  const error = thrown(call);
  expect(error).to.be.an.instanceOf(type);
  expect(error.name).to.equal(type.name);
  expect(error.message).to.equal(message);
}

describe("arguments", () => {
  it("MAX_TIMER_DELAY_MS: the longest delay Node's timers take, 2^31 - 1 ms", () => {
    expect(MAX_TIMER_DELAY_MS).to.equal(2 ** 31 - 1);
  });

  describe("describeValue", () => {
    it("describeValue: shows the value as inspect does, and its kind", () => {
      expect(describeValue(0)).to.equal("`0` (number)");
      expect(describeValue("abc")).to.equal("`'abc'` (string)");
      expect(describeValue(undefined)).to.equal("`undefined` (undefined)");
      expect(describeValue(true)).to.equal("`true` (boolean)");
    });

    it("describeValue: names null's kind null, not object", () => {
      expect(describeValue(null)).to.equal("`null` (null)");
    });

    it("describeValue: shows only the first level of an object", () => {
      expect(describeValue({ a: { b: 1 } })).to.equal("`{ a: [Object] }` (object)");
    });

    it("describeValue: keeps a long value on one line", () => {
      const keys = Array.from({ length: 12 }, (_, i) => `key${i}`);
      const value = Object.fromEntries(keys.map((key) => [key, key]));
      const shown = keys.map((key) => `${key}: '${key}'`).join(", ");
      expect(describeValue(value)).to.equal(`\`{ ${shown} }\` (object)`);
    });

    it("describeValue: cuts a string after 40 characters", () => {
      expect(describeValue("x".repeat(50))).to.equal(
        `\`'${"x".repeat(40)}'... 10 more characters\` (string)`,
      );
    });

    it("describeValue: never calls the value's own inspect.custom, and never throws", () => {
      let called = false;
      const custom = {
        [Symbol.for("nodejs.util.inspect.custom")]: () => {
          called = true;
          throw new Error("boom");
        },
      };
      expect(describeValue(custom)).to.match(/^`\{ .*\}` \(object\)$/);
      expect(called).to.equal(false);
      const hostile = new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error("trap");
          },
          getPrototypeOf: () => {
            throw new Error("trap");
          },
          getOwnPropertyDescriptor: () => {
            throw new Error("trap");
          },
        },
      );
      expect(() => describeValue(hostile)).not.to.throw();
    });
  });

  describe("checkOptions", () => {
    it("checkOptions: accepts an object, any object", () => {
      for (const options of [{}, { ttlMs: 1 }, Object.create(null), []]) {
        expect(() => checkOptions(options)).not.to.throw();
      }
    });

    it("checkOptions: a TypeError naming `options` for what is not an object", () => {
      for (const options of [null, 1, "ttlMs", true, () => ({})]) {
        expect(() => checkOptions(options)).to.throw(
          TypeError,
          /^Expected `options` to be an object, got /,
        );
      }
    });
  });

  describe("isToken", () => {
    it("isToken: a non-empty string of well-formed Unicode is a token", () => {
      expect(isToken("a")).to.equal(true);
      expect(isToken("😀")).to.equal(true);
    });

    it("isToken: an empty string, a lone surrogate or a non-string is not", () => {
      expect(isToken("")).to.equal(false);
      expect(isToken("a\uD800")).to.equal(false);
      expect(isToken(1)).to.equal(false);
      expect(isToken(["a"])).to.equal(false);
    });
  });

  describe("assertToken", () => {
    it("assertToken: accepts a token", () => {
      expect(() => assertToken("token")).not.to.throw();
    });

    it("assertToken: a TypeError naming `token` and the value received", () => {
      expectError(
        () => assertToken(""),
        TypeError,
        "Expected `token` to be a non-empty string of well-formed Unicode, got `''` (string)",
      );
      expectError(
        () => assertToken(7),
        TypeError,
        "Expected `token` to be a non-empty string of well-formed Unicode, got `7` (number)",
      );
    });
  });

  describe("assertData", () => {
    it("assertData: accepts a Uint8Array, and a Buffer", () => {
      expect(() => assertData(new Uint8Array(1))).not.to.throw();
      expect(() => assertData(Buffer.from("x"))).not.to.throw();
    });

    it("assertData: a TypeError naming `data` and the value received", () => {
      expectError(
        () => assertData([1]),
        TypeError,
        "Expected `data` to be a Uint8Array, got `[ 1 ]` (object)",
      );
    });
  });

  describe("expiryMsOf", () => {
    it("expiryMsOf: a Date's time in milliseconds since the epoch", () => {
      expect(expiryMsOf(new Date(1_234))).to.equal(1_234);
    });

    it("expiryMsOf: the Date's own time, not what a getTime put on it answers", () => {
      const date = new Date(5_000);
      date.getTime = () => 1;
      expect(expiryMsOf(date)).to.equal(5_000);
    });

    it("expiryMsOf: a TypeError naming `expiry` when it is not a Date", () => {
      expectError(
        () => expiryMsOf(5_000),
        TypeError,
        "Expected `expiry` to be a Date, got `5000` (number)",
      );
    });

    it("expiryMsOf: a RangeError naming `expiry` when it is an invalid Date", () => {
      expectError(
        () => expiryMsOf(new Date(Number.NaN)),
        RangeError,
        "Expected `expiry` to be a valid Date, got `Invalid Date` (object)",
      );
    });
  });

  describe("checkSaveArguments", () => {
    it("checkSaveArguments: returns the expiry in milliseconds", () => {
      expect(checkSaveArguments("t", new Uint8Array(0), new Date(42))).to.equal(42);
    });

    it("checkSaveArguments: checks the token, then the data, then the expiry", () => {
      expect(thrown(() => checkSaveArguments("", 1, 2)).message).to.match(/^Expected `token`/);
      expect(thrown(() => checkSaveArguments("t", 1, 2)).message).to.match(/^Expected `data`/);
      expect(thrown(() => checkSaveArguments("t", new Uint8Array(0), 2)).message).to.match(
        /^Expected `expiry`/,
      );
    });
  });

  describe("checkTouchArguments", () => {
    it("checkTouchArguments: returns the expiry in milliseconds", () => {
      expect(checkTouchArguments("t", new Date(42))).to.equal(42);
    });

    it("checkTouchArguments: checks the token, then the expiry", () => {
      expect(thrown(() => checkTouchArguments("", 2)).message).to.match(/^Expected `token`/);
      expect(thrown(() => checkTouchArguments("t", 2)).message).to.match(/^Expected `expiry`/);
    });
  });

  describe("checkNumber", () => {
    it("checkNumber: returns an integer within the bounds, the bounds included", () => {
      expect(checkNumber(0, "n", { min: 0 })).to.equal(0);
      expect(checkNumber(5, "n", { min: 1, max: 5 })).to.equal(5);
      expect(checkNumber(1, "n", { min: 1, max: 5 })).to.equal(1);
      expect(checkNumber(Number.MAX_SAFE_INTEGER, "n", { min: 0 })).to.equal(
        Number.MAX_SAFE_INTEGER,
      );
    });

    it("checkNumber: a TypeError naming the option when the value is not a number", () => {
      expectError(
        () => checkNumber("1", "ttlMs", { min: 0 }),
        TypeError,
        "Expected `ttlMs` to be a number, got `'1'` (string)",
      );
    });

    it("checkNumber: a RangeError below the least value", () => {
      expectError(
        () => checkNumber(-1, "n", { min: 0 }),
        RangeError,
        "Expected `n` to be an integer from 0 and up, got `-1` (number)",
      );
    });

    it("checkNumber: a RangeError above the greatest value", () => {
      expectError(
        () => checkNumber(6, "n", { min: 1, max: 5 }),
        RangeError,
        "Expected `n` to be an integer from 1 to 5, got `6` (number)",
      );
    });

    it("checkNumber: a RangeError for a fraction, an unsafe integer or NaN where an integer is needed", () => {
      expectError(
        () => checkNumber(1.5, "n", { min: 0 }),
        RangeError,
        "Expected `n` to be an integer from 0 and up, got `1.5` (number)",
      );
      expectError(
        () => checkNumber(2 ** 53, "n", { min: 0 }),
        RangeError,
        "Expected `n` to be an integer from 0 and up, got `9007199254740992` (number)",
      );
      expectError(
        () => checkNumber(Number.NaN, "n", { min: 0 }),
        RangeError,
        "Expected `n` to be an integer from 0 and up, got `NaN` (number)",
      );
    });

    it("checkNumber: with integer false, a fraction passes and NaN or Infinity does not", () => {
      expect(checkNumber(1.5, "n", { min: 0, integer: false })).to.equal(1.5);
      expectError(
        () => checkNumber(Number.NaN, "n", { min: 0, max: 10, integer: false }),
        RangeError,
        "Expected `n` to be a number from 0 to 10, got `NaN` (number)",
      );
      expectError(
        () => checkNumber(Number.POSITIVE_INFINITY, "n", { min: 0, integer: false }),
        RangeError,
        "Expected `n` to be a number from 0 and up, got `Infinity` (number)",
      );
    });

    it("checkNumber: Infinity is refused unless infinite allows it", () => {
      expectError(
        () => checkNumber(Number.POSITIVE_INFINITY, "n", { min: 0 }),
        RangeError,
        "Expected `n` to be an integer from 0 and up, got `Infinity` (number)",
      );
      expect(checkNumber(Number.POSITIVE_INFINITY, "n", { min: 0, infinite: true })).to.equal(
        Number.POSITIVE_INFINITY,
      );
      expect(
        checkNumber(Number.POSITIVE_INFINITY, "n", { min: 0, max: 10, infinite: true }),
      ).to.equal(Number.POSITIVE_INFINITY);
    });

    it("checkNumber: with infinite, the message says Infinity is allowed, and -Infinity is refused", () => {
      expectError(
        () => checkNumber(Number.NEGATIVE_INFINITY, "n", { min: 1, max: 9, infinite: true }),
        RangeError,
        "Expected `n` to be an integer (or Infinity) from 1 to 9, got `-Infinity` (number)",
      );
      expectError(
        () => checkNumber(0.5, "n", { min: 1, integer: false, infinite: true }),
        RangeError,
        "Expected `n` to be a number (or Infinity) from 1 and up, got `0.5` (number)",
      );
    });
  });

  describe("checkFlag", () => {
    it("checkFlag: undefined is false, a boolean is itself", () => {
      expect(checkFlag(undefined, "f")).to.equal(false);
      expect(checkFlag(true, "f")).to.equal(true);
      expect(checkFlag(false, "f")).to.equal(false);
    });

    it("checkFlag: a TypeError naming the option for anything else", () => {
      expectError(
        () => checkFlag("yes", "rolling"),
        TypeError,
        "Expected `rolling` to be a boolean, got `'yes'` (string)",
      );
      expectError(
        () => checkFlag(null, "rolling"),
        TypeError,
        "Expected `rolling` to be a boolean, got `null` (null)",
      );
    });
  });
});
