import { expect } from "chai";
import {
  isCrossSlot,
  isNoScript,
  isReadOnly,
  mastersOfSlots,
  matchPattern,
  scriptArgs,
  visitAll,
  walk,
} from "../../../src/stores/redis/redis-connection";

const SLOT_COUNT = 16_384;

describe("redis-connection", () => {
  for (const [name, is, code] of [
    ["isNoScript", isNoScript, "NOSCRIPT"],
    ["isCrossSlot", isCrossSlot, "CROSSSLOT"],
    ["isReadOnly", isReadOnly, "READONLY"],
  ] as const) {
    it(`${name}: an Error whose message starts with ${code}, and nothing else`, () => {
      expect(is(new Error(`${code} the server's words`))).to.equal(true);
      expect(is(new Error(code))).to.equal(true);
      expect(is(new Error(`ERR ${code}`)), "elsewhere in the message").to.equal(false);
      expect(is(new Error("ERR something else"))).to.equal(false);
      expect(is({ message: code }), "not an Error").to.equal(false);
      expect(is(code), "a string").to.equal(false);
      expect(is(undefined)).to.equal(false);
    });
  }

  it("scriptArgs: the script, how many keys, the keys, then the arguments", () => {
    const bytes = Buffer.from([0]);
    expect(scriptArgs("sha", ["k1", "k2"], ["a", bytes])).to.deep.equal([
      "sha",
      "2",
      "k1",
      "k2",
      "a",
      bytes,
    ]);
    expect(scriptArgs("sha", [], [])).to.deep.equal(["sha", "0"]);
  });

  it("matchPattern: the client's prefix, then the store's, each glob character escaped, then *", () => {
    expect(matchPattern(Buffer.alloc(0), "scs:").toString()).to.equal("scs:*");
    expect(matchPattern(Buffer.from("a*?"), "[b]\\:").toString()).to.equal("a\\*\\?\\[b\\]\\\\:*");
    // Bytes as they are: a prefix that is not UTF-8 stays as it is.
    expect([...matchPattern(Buffer.from([0xff, 0x2a]), "")]).to.deep.equal([
      0xff, 0x5c, 0x2a, 0x2a,
    ]);
  });

  it("walk: scans from cursor 0 until the server answers 0 again, handing on each batch that has keys", async () => {
    const replies: [string | Buffer, string[]][] = [
      ["7", ["a"]],
      [Buffer.from("9"), []],
      ["0", ["b", "c"]],
    ];
    const cursors: string[] = [];
    const batches: (string | Buffer)[][] = [];
    await walk(
      async (cursor) => {
        cursors.push(cursor);
        return replies.shift() as [string | Buffer, string[]];
      },
      async (keys) => {
        batches.push(keys);
      },
    );
    expect(cursors).to.deep.equal(["0", "7", "9"]);
    expect(batches).to.deep.equal([["a"], ["b", "c"]]);
  });

  it("walk: one scan when the server answers 0 at once, no batch when it has no keys", async () => {
    let scans = 0;
    let batches = 0;
    await walk(
      async () => {
        scans++;
        return ["0", []];
      },
      async () => {
        batches++;
      },
    );
    expect([scans, batches]).to.deep.equal([1, 0]);
  });

  it("visitAll: each key that still has a value, with its value", () => {
    const a = Buffer.from("a");
    const empty = Buffer.alloc(0);
    const visited: [string, Buffer][] = [];
    visitAll(["a", "gone", "empty"], [a, null, empty], (key, value) => visited.push([key, value]));
    expect(visited).to.deep.equal([
      ["a", a],
      ["empty", empty],
    ]);
  });

  it("mastersOfSlots: the master of every slot, each once, in the order of their first slot", () => {
    const slots = Array.from({ length: SLOT_COUNT }, (_, slot) => (slot < 100 ? "b" : "a"));
    const asked: (string | undefined)[] = [];
    const masters = mastersOfSlots(slots, (slot) => {
      asked.push(slot);
      return slot === undefined ? undefined : `master ${slot}`;
    });
    expect(masters).to.deep.equal(["master b", "master a"]);
    expect(asked).to.have.length(SLOT_COUNT);
  });

  it("mastersOfSlots: an Error naming the first slot without a master", () => {
    for (const missing of [0, 5_000, SLOT_COUNT - 1]) {
      const slots = Array.from({ length: SLOT_COUNT }, (_, slot) => slot !== missing);
      expect(() => mastersOfSlots(slots, (has) => (has ? "m" : undefined))).to.throw(
        Error,
        new RegExp(
          `^The cluster client knows no master for hash slot ${missing}: connect it before using the store$`,
        ),
      );
    }
    // A client that has not connected yet knows no slot at all.
    expect(() => mastersOfSlots([], (slot) => slot)).to.throw(/hash slot 0:/);
  });
});
