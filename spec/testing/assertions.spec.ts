import { AssertionError } from "node:assert";
import { expect } from "chai";
import { bytes, expectFound, expectMissing, expectRejected } from "../../src/testing/assertions";

/** What `call` threw or rejected with: an AssertionError whose message is checked by the caller. */
async function failureOf(call: () => unknown): Promise<string> {
  try {
    await call();
  } catch (error) {
    expect(error).to.be.an.instanceOf(AssertionError);
    return (error as Error).message;
  }
  throw new Error("expected the assertion to fail");
}

describe("testing/assertions", () => {
  it("bytes: a Uint8Array of the numbers given", () => {
    const made = bytes(0, 7, 255);
    expect(made).to.be.an.instanceOf(Uint8Array);
    expect([...made]).to.deep.equal([0, 7, 255]);
  });

  it("expectFound: passes a live session holding exactly the bytes expected", () => {
    expectFound({ exists: true, data: bytes(1, 2) }, bytes(1, 2), "s");
    expectFound({ exists: true, data: Buffer.from([1, 2]) }, bytes(1, 2), "s");
    expectFound({ exists: true, data: bytes() }, bytes(), "s");
  });

  it("expectFound: fails a missing session, data of another type, and other bytes, naming what was checked", async () => {
    const missing = await failureOf(() =>
      expectFound({ exists: false, data: undefined }, bytes(1), "s1"),
    );
    expect(missing).to.match(/^s1: expected the session to be found/);
    const array = { exists: true, data: [1] as unknown as Uint8Array } as const;
    expect(await failureOf(() => expectFound(array, bytes(1), "s2"))).to.match(
      /^s2: expected data to be a Uint8Array/,
    );
    const other = await failureOf(() =>
      expectFound({ exists: true, data: bytes(1, 3) }, bytes(1, 2), "s3"),
    );
    expect(other).to.match(/^s3: expected the bytes saved \(2 of them\)/);
    const longer = await failureOf(() =>
      expectFound({ exists: true, data: bytes(1, 2, 0) }, bytes(1, 2), "s4"),
    );
    expect(longer).to.match(/^s4: expected the bytes saved \(2 of them\)/);
  });

  it("expectFound: says how many bytes were found, or the first byte that differs, also for large arrays", async () => {
    const large = Uint8Array.from({ length: 1 << 20 }, (_, i) => i & 0xff);
    const whole = await failureOf(() =>
      expectFound({ exists: true, data: large }, large.subarray(0, 14), "s1"),
    );
    expect(whole).to.equal("s1: expected the bytes saved (14 of them), got 1048576 bytes");
    const changed = Uint8Array.from(large);
    changed[700_000] = 1;
    const differs = await failureOf(() =>
      expectFound({ exists: true, data: changed }, large, "s2"),
    );
    expect(differs).to.equal(
      `s2: expected the bytes saved (1048576 of them), got 1 at index 700000 where ${700_000 & 0xff} was saved`,
    );
    const first = await failureOf(() =>
      expectFound({ exists: true, data: bytes(9, 2) }, bytes(1, 2), "s3"),
    );
    expect(first).to.equal(
      "s3: expected the bytes saved (2 of them), got 9 at index 0 where 1 was saved",
    );
  });

  it("expectMissing: passes { exists: false, data: undefined } only", async () => {
    expectMissing({ exists: false, data: undefined }, "s");
    const cases = [
      { exists: true, data: bytes(1) },
      { exists: false, data: null },
      { exists: false, data: bytes() },
      { exists: true, data: undefined },
    ];
    for (const result of cases) {
      const message = await failureOf(() => expectMissing(result as never, "s5"));
      expect(message).to.match(/^s5: expected \{ exists: false, data: undefined \}/);
    }
    const got = async (result: unknown) =>
      (await failureOf(() => expectMissing(result as never, "s6"))).replace(
        "s6: expected { exists: false, data: undefined }, got ",
        "",
      );
    expect(await got({ exists: true, data: new Uint8Array(1 << 20) })).to.equal(
      "{ exists: true, data: 1048576 bytes }",
    );
    expect(await got({ exists: false, data: null })).to.equal("{ exists: false, data: null }");
    expect(await got({ exists: undefined, data: undefined })).to.equal(
      "{ exists: undefined, data: undefined }",
    );
    expect(await got({ exists: false, data: "x" })).to.equal("{ exists: false, data: string }");
  });

  it("expectRejected: passes a throw or a rejection of the type expected whose message names the argument", async () => {
    await expectRejected(
      () => {
        throw new TypeError("Expected `token` to be a string");
      },
      TypeError,
      "token",
      "s",
    );
    await expectRejected(
      () => Promise.reject(new RangeError("bad `expiry`")),
      RangeError,
      "expiry",
      "s",
    );
  });

  it("expectRejected: fails an answer, another type of error, or a message that names another argument", async () => {
    const answered = await failureOf(() => expectRejected(() => 1, TypeError, "token", "s6"));
    expect(answered).to.match(/^s6: expected a TypeError, got undefined/);
    const other = await failureOf(() =>
      expectRejected(() => Promise.reject(new TypeError("bad `token`")), RangeError, "token", "s7"),
    );
    expect(other).to.match(/^s7: expected a RangeError, got TypeError: bad `token`/);
    const unnamed = await failureOf(() =>
      expectRejected(() => Promise.reject(new TypeError("bad `data`")), TypeError, "token", "s8"),
    );
    expect(unnamed).to.match(/^s8: expected the message to name `token`, got "bad `data`"/);
  });
});
