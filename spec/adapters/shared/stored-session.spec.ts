import { expect } from "chai";
import fc from "fast-check";
import { type FindResult, MemStore, type Store } from "../../../src";
import { encodeSession, type SessionRecord } from "../../../src/adapters/shared/session-codec";
import { saveOwned } from "../../../src/adapters/shared/session-owners";
import { findSession, textStore } from "../../../src/adapters/shared/stored-session";

const ONE_HOUR_MS = 3_600_000;

/** A store over `inner` with MemStore's methods called as any store's: the general path. */
function general(inner: MemStore): Store & { inner: MemStore } {
  return {
    inner,
    find: (token) => inner.find(token),
    save: (token, data, expiry, owner?: string) => inner.save(token, data, expiry, owner),
    delete: (token) => inner.delete(token),
    touch: (token, expiry) => inner.touch(token, expiry),
  };
}

/** What a load answered: the session and its text, or the error's class and message. */
function loaded(store: Store, token: string, maxSessionBytes: number): unknown {
  try {
    return findSession(store, token, maxSessionBytes, (session: SessionRecord, json: string) => ({
      session,
      json,
    }));
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

function storedBytes(store: MemStore, token: string): number[] | undefined {
  const found: FindResult = store.find(token);
  return found.exists ? [...found.data] : undefined;
}

/** Any text, ASCII or not, lone surrogates included (which JSON escapes). */
const anyText = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", "é", "\u0080", "\u00ff", "\uffff", "😀", "\ud800", "\\u0000"),
);
const sessionArb = fc.dictionary(
  anyText,
  fc.oneof(anyText, fc.integer(), fc.boolean(), fc.constant(null), fc.array(anyText)),
  { maxKeys: 6 },
);

/** Stored bytes of every kind a load may meet: sessions, other JSON, broken UTF-8, deep nests. */
const storedArb = fc.oneof(
  sessionArb.map((session) => Buffer.from(JSON.stringify(session), "utf8")),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value) ?? "null", "utf8")),
  fc.uint8Array({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 40, min: 0x20, max: 0x7e }),
  fc
    .tuple(fc.integer({ min: 60, max: 70 }), fc.constantFrom('{"a":', "[", '{"é":'))
    .map(([depth, open]) => {
      const close = open === "[" ? "]" : "}";
      return Buffer.from(`${open.repeat(depth)}1${close.repeat(depth)}`, "utf8");
    }),
  fc.constantFrom(
    Buffer.from([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d]),
    Buffer.from('{"a":"\xff"}', "latin1"),
    Buffer.from("\ufeff{}", "utf8"),
    Buffer.from(" {} ", "utf8"),
  ),
);

describe("stored sessions: MemStore's text path", () => {
  const stores: MemStore[] = [];
  const made = (): MemStore => {
    const store = new MemStore(0);
    stores.push(store);
    return store;
  };
  afterEach(() => {
    for (const store of stores.splice(0)) store.close();
  });

  it("textStore: a MemStore whose find and save are its own; any other store, or a MemStore with either replaced, is called as it is", () => {
    const mem = made();
    expect(textStore(mem)).to.equal(mem);
    class Plain extends MemStore {}
    const plain = new Plain(0);
    stores.push(plain);
    expect(textStore(plain), "a subclass that keeps both").to.equal(plain);
    class Logging extends MemStore {
      override find(token: string): FindResult {
        return super.find(token);
      }
    }
    const logging = new Logging(0);
    stores.push(logging);
    expect(textStore(logging), "a subclass that overrides find").to.equal(undefined);
    const spied = made();
    spied.save = (...args) => MemStore.prototype.save.apply(spied, args);
    expect(textStore(spied), "save replaced on the instance").to.equal(undefined);
    expect(textStore(general(made())), "another store").to.equal(undefined);
  });

  it("a load answers what the general path answers, for every kind of stored bytes and bound, and removes what it removes", () => {
    fc.assert(
      fc.property(storedArb, fc.integer({ min: 0, max: 90 }), (bytes, maxSessionBytes) => {
        const fast = made();
        const slow = general(made());
        const expiry = new Date(Date.now() + ONE_HOUR_MS);
        fast.save("t", bytes, expiry);
        slow.save("t", bytes, expiry);
        expect(textStore(fast)).to.equal(fast);
        expect(loaded(fast, "t", maxSessionBytes)).to.deep.equal(
          loaded(slow, "t", maxSessionBytes),
        );
        expect(storedBytes(fast, "t"), "kept or removed alike").to.deep.equal(
          storedBytes(slow.inner, "t"),
        );
        expect(loaded(fast, "unknown", maxSessionBytes)).to.equal(null);
      }),
      { numRuns: 3_000 },
    );
  });

  it("a save stores the bytes the general path stores, with the same owner, ASCII or not", () => {
    fc.assert(
      fc.property(sessionArb, fc.option(anyText.filter(Boolean)), (session, owner) => {
        const fast = made();
        const slow = general(made());
        const encoded = encodeSession(session, Number.POSITIVE_INFINITY);
        const expiry = new Date(Date.now() + ONE_HOUR_MS);
        let fastError: unknown;
        let slowError: unknown;
        try {
          saveOwned(fast, "t", encoded, expiry, owner ?? undefined);
        } catch (error) {
          fastError = String(error);
        }
        try {
          saveOwned(
            slow,
            "t",
            encodeSession(session, Number.POSITIVE_INFINITY),
            expiry,
            owner ?? undefined,
          );
        } catch (error) {
          slowError = String(error);
        }
        expect(fastError, "a bad owner refused alike").to.equal(slowError);
        expect(storedBytes(fast, "t")).to.deep.equal(storedBytes(slow.inner, "t"));
        if (typeof owner === "string" && fastError === undefined) {
          expect(fast.sessionsOf(owner)).to.deep.equal(slow.inner.sessionsOf(owner));
        }
        expect(loaded(fast, "t", Number.POSITIVE_INFINITY)).to.deep.equal(
          loaded(slow, "t", Number.POSITIVE_INFINITY),
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it("a save keeps every guarantee of save: past expiries remove, deleted tokens stay deleted, bad arguments change nothing", () => {
    const fast = made();
    const encoded = encodeSession({ n: 1 }, 1_000);
    const later = new Date(Date.now() + ONE_HOUR_MS);
    saveOwned(fast, "t", encoded, later, "ann");
    saveOwned(fast, "t", encodeSession({ n: 2 }, 1_000), new Date(Date.now() - 1), "ann");
    expect(fast.find("t").exists, "an expiry in the past removes").to.equal(false);
    expect(fast.sessionsOf("ann")).to.deep.equal([]);
    saveOwned(fast, "d", encoded, later, undefined);
    fast.delete("d");
    saveOwned(fast, "d", encoded, later, undefined);
    expect(fast.find("d").exists, "deleted for good").to.equal(false);
    saveOwned(fast, "k", encoded, later, undefined);
    expect(() => saveOwned(fast, "", encoded, later, undefined)).to.throw(TypeError, /`token`/);
    expect(() => saveOwned(fast, "k", encoded, new Date(Number.NaN), undefined)).to.throw(
      RangeError,
      /`expiry`/,
    );
    expect(() => saveOwned(fast, "k", encodeSession({ n: 3 }, 1_000), later, "")).to.throw(
      TypeError,
      /`owner`/,
    );
    expect(loaded(fast, "k", 1_000), "unchanged").to.deep.equal({
      session: { n: 1 },
      json: '{"n":1}',
    });
  });
});
