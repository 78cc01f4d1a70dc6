import { expect } from "chai";
import { MemStore, type Store } from "../../../src";
import { encodeSession } from "../../../src/adapters/shared/session-codec";
import {
  checkOwnerOf,
  deleteSessionsOf,
  listSessionsOf,
  ownerIn,
  saveOwned,
} from "../../../src/adapters/shared/session-owners";

/** A store that keeps no owners: the four methods of the contract and nothing more. */
class PlainStore implements Store {
  readonly saves: unknown[][] = [];
  find() {
    return { exists: false as const, data: undefined };
  }
  save(...args: unknown[]) {
    this.saves.push(args);
  }
  delete() {}
  touch() {
    return false;
  }
}

/** A store that indexes owners, and records what it is asked. */
class RecordingOwnerStore extends PlainStore {
  readonly calls: unknown[][] = [];
  sessionsOf(owner: string) {
    this.calls.push(["sessionsOf", owner]);
    return [{ token: "t1", expiry: new Date(5_000) }];
  }
  deleteSessionsOf(owner: string, exceptToken?: string) {
    this.calls.push(["deleteSessionsOf", owner, exceptToken]);
    return 2;
  }
}

const plainStoreObject: Store = {
  find: () => ({ exists: false, data: undefined }),
  save: () => undefined,
  delete: () => undefined,
  touch: () => false,
};

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("session owners", () => {
  const expiry = new Date(Date.now() + 60_000);

  it("checkOwnerOf: no ownerOf answers undefined, over any store", () => {
    expect(checkOwnerOf(undefined, new PlainStore())).to.equal(undefined);
  });

  it("checkOwnerOf: a function over a store that indexes owners is the option itself", () => {
    const ownerOf = () => "ann";
    expect(checkOwnerOf(ownerOf, new RecordingOwnerStore())).to.equal(ownerOf);
    const store = new MemStore(0);
    expect(checkOwnerOf(ownerOf, store)).to.equal(ownerOf);
    store.close();
  });

  it("checkOwnerOf: anything but a function is a TypeError naming the option and the value", () => {
    expect(() => checkOwnerOf("user" as never, new RecordingOwnerStore())).to.throw(
      TypeError,
      "Expected `ownerOf` to be a function, got `'user'` (string)",
    );
    expect(() => checkOwnerOf(null as never, new RecordingOwnerStore())).to.throw(
      TypeError,
      "Expected `ownerOf` to be a function, got `null` (null)",
    );
  });

  it("checkOwnerOf: a store that does not index owners is a TypeError naming its class", () => {
    expect(() => checkOwnerOf(() => "ann", new PlainStore())).to.throw(
      TypeError,
      "`ownerOf` needs a store that indexes sessions by owner (an OwnerIndexedStore, with sessionsOf and deleteSessionsOf), got a PlainStore without sessionsOf and deleteSessionsOf",
    );
  });

  it("checkOwnerOf: a store with only one of the two methods does not index owners", () => {
    const halves = [
      Object.assign(new PlainStore(), { sessionsOf: () => [] }),
      Object.assign(new PlainStore(), { deleteSessionsOf: () => 0 }),
      Object.assign(new PlainStore(), { sessionsOf: [], deleteSessionsOf: 0 }),
    ];
    for (const store of halves) {
      expect(() => checkOwnerOf(() => "ann", store)).to.throw(TypeError, /`ownerOf` needs/);
    }
  });

  it("checkOwnerOf: a store without a class of its own is named a store", () => {
    const bare = Object.assign(Object.create(null) as object, plainStoreObject) as Store;
    const anonymous = new (class {})() as unknown as Store;
    const noConstructor = Object.assign(
      Object.create(Object.create(null)) as object,
      plainStoreObject,
    ) as Store;
    for (const store of [plainStoreObject, bare, anonymous, noConstructor]) {
      expect(() => checkOwnerOf(() => "ann", store)).to.throw(
        TypeError,
        /, got a store without sessionsOf and deleteSessionsOf$/,
      );
    }
  });

  it("ownerIn: without ownerOf, none, and nothing is called", () => {
    expect(ownerIn(undefined, { user: "ann" })).to.equal(undefined);
  });

  it("ownerIn: what ownerOf answers for the session; undefined and null are no owner", () => {
    const seen: unknown[] = [];
    const session = { user: "ann" };
    expect(
      ownerIn((s: { user: string }) => {
        seen.push(s);
        return s.user;
      }, session),
    ).to.equal("ann");
    expect(seen).to.deep.equal([session]);
    expect(ownerIn(() => undefined, session)).to.equal(undefined);
    expect(ownerIn(() => null, session)).to.equal(undefined);
  });

  it("ownerIn: an answer that is not an owner is a TypeError naming it", () => {
    for (const [answer, shown] of [
      ["", "`''` (string)"],
      [7, "`7` (number)"],
      ["\ud800", "`'\\ud800'` (string)"],
    ] as const) {
      expect(() => ownerIn(() => answer as never, {})).to.throw(
        TypeError,
        `Expected \`ownerOf\` to answer a non-empty string of well-formed Unicode, undefined or null, got ${shown}`,
      );
    }
  });

  it("saveOwned: without an owner, the store's plain save; with one, the save names it", () => {
    const store = new RecordingOwnerStore();
    const encoded = encodeSession({ n: 1 }, 1_000);
    saveOwned(store, "t1", encoded, expiry, undefined);
    saveOwned(store, "t2", encoded, expiry, "ann");
    expect(store.saves).to.deep.equal([
      ["t1", encoded.data, expiry],
      ["t2", encoded.data, expiry, "ann"],
    ]);
  });

  it("listSessionsOf: the owner's sessions, each token as the ID and the expiry as a new Date", async () => {
    const store = new RecordingOwnerStore();
    const listed = await listSessionsOf(store, "ann");
    expect(listed).to.deep.equal([{ id: "t1", expires: new Date(5_000) }]);
    expect(store.calls).to.deep.equal([["sessionsOf", "ann"]]);
  });

  it("listSessionsOf: a store that does not index owners, or a bad owner, is a rejection naming it", async () => {
    const plain = await rejection(listSessionsOf(new PlainStore(), "ann"));
    expect(plain).to.be.instanceOf(TypeError);
    expect(plain.message).to.equal(
      "sessionsOf needs a store that indexes sessions by owner (an OwnerIndexedStore, with sessionsOf and deleteSessionsOf), got a PlainStore without sessionsOf and deleteSessionsOf",
    );
    const store = new RecordingOwnerStore();
    const owner = await rejection(listSessionsOf(store, ""));
    expect(owner).to.be.instanceOf(TypeError);
    expect(owner.message).to.equal(
      "Expected `owner` to be a non-empty string of well-formed Unicode, got `''` (string)",
    );
    expect(store.calls).to.deep.equal([]);
  });

  it("deleteSessionsOf: passes the owner and the session to keep, and answers the count", async () => {
    const store = new RecordingOwnerStore();
    expect(await deleteSessionsOf(store, "ann", { except: "t1" })).to.equal(2);
    expect(await deleteSessionsOf(store, "ann")).to.equal(2);
    expect(await deleteSessionsOf(store, "ann", {})).to.equal(2);
    expect(store.calls).to.deep.equal([
      ["deleteSessionsOf", "ann", "t1"],
      ["deleteSessionsOf", "ann", undefined],
      ["deleteSessionsOf", "ann", undefined],
    ]);
  });

  it("deleteSessionsOf: bad arguments are rejections naming them, and nothing is deleted", async () => {
    const store = new RecordingOwnerStore();
    const cases: [Promise<number>, string][] = [
      [
        deleteSessionsOf(new PlainStore(), "ann"),
        "destroySessionsOf needs a store that indexes sessions by owner (an OwnerIndexedStore, with sessionsOf and deleteSessionsOf), got a PlainStore without sessionsOf and deleteSessionsOf",
      ],
      [
        deleteSessionsOf(store, 1 as never),
        "Expected `owner` to be a non-empty string of well-formed Unicode, got `1` (number)",
      ],
      [
        deleteSessionsOf(store, "ann", null as never),
        "Expected `options` to be an object, got `null` (null)",
      ],
      [
        deleteSessionsOf(store, "ann", "t1" as never),
        "Expected `options` to be an object, got `'t1'` (string)",
      ],
      [
        deleteSessionsOf(store, "ann", { except: "" }),
        "Expected `except` to be a session ID (a non-empty string of well-formed Unicode) or undefined, got `''` (string)",
      ],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      expect(error).to.be.instanceOf(TypeError);
      expect(error.message).to.equal(message);
    }
    expect(store.calls).to.deep.equal([]);
  });
});
