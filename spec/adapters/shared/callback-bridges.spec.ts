import { expect } from "chai";
import {
  answer,
  answerInTurn,
  isPromiseLike,
  mapAnswer,
} from "../../../src/adapters/shared/callback-bridges";

type Call = [unknown, unknown?];

/** A callback that records its calls, and throws `throws` on its first call when given. */
function recorder(throws?: Error): { calls: Call[]; callback: (...args: Call) => void } {
  const calls: Call[] = [];
  return {
    calls,
    callback: (...args: Call) => {
      calls.push(args);
      if (throws !== undefined && calls.length === 1) throw throws;
    },
  };
}

/** Lets every pending tick and settled Promise run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("callback bridges", () => {
  it("mapAnswer: applies next at once to a value, and answers next's own answer", () => {
    let seen: unknown;
    const mapped = mapAnswer(2, (value) => {
      seen = value;
      return value * 10;
    });
    expect(seen).to.equal(2);
    expect(mapped).to.equal(20);
  });

  it("mapAnswer: applies next to a Promise's value once it settles", async () => {
    const seen: number[] = [];
    const mapped = mapAnswer(Promise.resolve(3), (value) => {
      seen.push(value);
      return value + 1;
    });
    expect(seen).to.deep.equal([]);
    expect(isPromiseLike(mapped)).to.equal(true);
    expect(await mapped).to.equal(4);
    expect(seen).to.deep.equal([3]);
  });

  it("answer: hands a value to the callback in a later tick, never before returning", async () => {
    const { calls, callback } = recorder();
    answer(() => "found", callback);
    expect(calls).to.deep.equal([]);
    await settle();
    expect(calls).to.deep.equal([[null, "found"]]);
  });

  it("answer: hands a throw from the work to the callback as its error, in a later tick", async () => {
    const failure = new Error("store down");
    const { calls, callback } = recorder();
    answer(() => {
      throw failure;
    }, callback);
    expect(calls).to.deep.equal([]);
    await settle();
    expect(calls).to.deep.equal([[failure]]);
  });

  it("answer: hands a Promise's value or rejection to the callback", async () => {
    const failure = new Error("rejected");
    const resolved = recorder();
    const rejected = recorder();
    answer(() => Promise.resolve(7), resolved.callback);
    answer(() => Promise.reject(failure), rejected.callback);
    await settle();
    expect(resolved.calls).to.deep.equal([[null, 7]]);
    expect(rejected.calls).to.deep.equal([[failure]]);
  });

  it("answer: without a callback, runs the work and calls nothing", async () => {
    let runs = 0;
    const work = (outcome: () => unknown) => () => {
      runs++;
      return outcome();
    };
    answer(
      work(() => 1),
      undefined,
    );
    answer(
      work(() => {
        throw new Error("ignored");
      }),
      undefined,
    );
    answer(
      work(() => Promise.resolve(1)),
      undefined,
    );
    answer(
      work(() => Promise.reject(new Error("ignored"))),
      undefined,
    );
    await settle();
    expect(runs).to.equal(4);
  });

  it("answer: a throw from the callback is handed back to it once, as its error", async () => {
    const thrown = new Error("reply refused");
    for (const outcome of [() => "value", () => Promise.resolve("value")]) {
      const { calls, callback } = recorder(thrown);
      answer(outcome, callback);
      await settle();
      expect(calls).to.deep.equal([[null, "value"], [thrown]]);
    }
  });

  it("answerInTurn: hands a value to the callback before returning", () => {
    const { calls, callback } = recorder();
    answerInTurn(() => "found", callback);
    expect(calls).to.deep.equal([[null, "found"]]);
  });

  it("answerInTurn: hands a throw from the work to the callback before returning", () => {
    const failure = new Error("store down");
    const { calls, callback } = recorder();
    answerInTurn(() => {
      throw failure;
    }, callback);
    expect(calls).to.deep.equal([[failure]]);
  });

  it("answerInTurn: a throw from a callback called in turn reaches the caller, the callback called once", () => {
    const thrown = new Error("hook failed");
    const { calls, callback } = recorder(thrown);
    expect(() => answerInTurn(() => "value", callback)).to.throw(thrown);
    expect(calls).to.deep.equal([[null, "value"]]);
  });

  it("answerInTurn: hands a Promise's value or rejection to the callback once it settles", async () => {
    const failure = new Error("rejected");
    const resolved = recorder();
    const rejected = recorder();
    answerInTurn(() => Promise.resolve(7), resolved.callback);
    answerInTurn(() => Promise.reject(failure), rejected.callback);
    expect(resolved.calls).to.deep.equal([]);
    await settle();
    expect(resolved.calls).to.deep.equal([[null, 7]]);
    expect(rejected.calls).to.deep.equal([[failure]]);
  });

  it("answerInTurn: accepts any thenable, not only a Promise", async () => {
    const { calls, callback } = recorder();
    const thenable: PromiseLike<number> = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
      then: (onFulfilled) => Promise.resolve(onFulfilled?.(5)) as never,
    };
    answerInTurn(() => thenable, callback);
    await settle();
    expect(calls).to.deep.equal([[null, 5]]);
  });

  it("answerInTurn: a throw from a callback called once a Promise settles is handed back to it once", async () => {
    const thrown = new Error("reply refused");
    const { calls, callback } = recorder(thrown);
    answerInTurn(() => Promise.resolve("value"), callback);
    await settle();
    expect(calls).to.deep.equal([[null, "value"], [thrown]]);
  });

  it("isPromiseLike: true for an object with a then method, false for anything else", () => {
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what is tested
    expect(isPromiseLike({ then: () => undefined })).to.equal(true);
    expect(isPromiseLike(Promise.resolve())).to.equal(true);
    // biome-ignore lint/suspicious/noThenProperty: a field named then, not a method
    expect(isPromiseLike({ then: 1 })).to.equal(false);
    expect(isPromiseLike(null)).to.equal(false);
    expect(isPromiseLike(undefined)).to.equal(false);
    expect(isPromiseLike(0)).to.equal(false);
  });
});
