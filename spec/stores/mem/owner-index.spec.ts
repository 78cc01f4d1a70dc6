import { expect } from "chai";
import { assertOwner, OwnerIndex } from "../../../src/stores/mem/owner-index";

/** How many owners the index holds a set of keys for: memory that `keysOf` cannot show. */
function ownersHeld(index: OwnerIndex): number {
  return (index as unknown as { keysOfOwner: Map<string, unknown> }).keysOfOwner.size;
}

describe("OwnerIndex", () => {
  it("assertOwner: takes a non-empty string of well-formed Unicode; anything else is a TypeError naming it", () => {
    expect(() => assertOwner("ann")).not.to.throw();
    expect(() => assertOwner("")).to.throw(
      TypeError,
      "Expected `owner` to be a non-empty string of well-formed Unicode, got `''` (string)",
    );
    expect(() => assertOwner("\ud800")).to.throw(TypeError, /`owner`/);
    expect(() => assertOwner(7)).to.throw(TypeError, /got `7` \(number\)$/);
  });

  it("set: lists a key under its owner, and counts it", () => {
    const index = new OwnerIndex();
    expect(index.size).to.equal(0);
    expect(index.keysOf("ann")).to.deep.equal([]);
    index.set("k1", "ann");
    index.set("k2", "ann");
    index.set("k3", "bob");
    expect(index.size).to.equal(3);
    expect(index.keysOf("ann")).to.deep.equal(["k1", "k2"]);
    expect(index.keysOf("bob")).to.deep.equal(["k3"]);
  });

  it("set: the same owner again changes nothing; another owner moves the key", () => {
    const index = new OwnerIndex();
    index.set("k1", "ann");
    index.set("k2", "ann");
    index.set("k1", "ann");
    expect(index.size).to.equal(2);
    expect(index.keysOf("ann"), "k1 kept in its place").to.deep.equal(["k1", "k2"]);
    index.remove("k2");
    index.set("k1", "bob");
    expect(index.size).to.equal(1);
    expect(index.keysOf("ann")).to.deep.equal([]);
    expect(index.keysOf("bob")).to.deep.equal(["k1"]);
    expect(ownersHeld(index), "ann, left with no key, forgotten").to.equal(1);
  });

  it("set: no owner forgets the key's owner; for an unknown key it records nothing", () => {
    const index = new OwnerIndex();
    index.set("k1", "ann");
    index.set("k2", "ann");
    index.set("k1", undefined);
    index.set("k9", undefined);
    expect(index.size).to.equal(1);
    expect(index.keysOf("ann")).to.deep.equal(["k2"]);
  });

  it("remove: forgets a key, an owner with no key left included; an unknown key changes nothing", () => {
    const index = new OwnerIndex();
    index.set("k1", "ann");
    index.set("k2", "ann");
    index.remove("k1");
    index.remove("unknown");
    expect(index.size).to.equal(1);
    expect(index.keysOf("ann")).to.deep.equal(["k2"]);
    expect(ownersHeld(index)).to.equal(1);
    index.remove("k2");
    expect(index.size).to.equal(0);
    expect(index.keysOf("ann")).to.deep.equal([]);
    expect(ownersHeld(index), "no set kept for an owner with no key").to.equal(0);
    index.set("k3", "ann");
    expect(index.keysOf("ann")).to.deep.equal(["k3"]);
  });

  it("an owner's only session, moved, unowned or removed, leaves the owner forgotten; a second joins it", () => {
    const index = new OwnerIndex();
    index.set("k1", "ann");
    index.set("k1", "bob");
    expect(index.keysOf("ann")).to.deep.equal([]);
    expect(index.keysOf("bob")).to.deep.equal(["k1"]);
    expect(ownersHeld(index), "ann forgotten once k1 moved").to.equal(1);
    index.set("k1", undefined);
    expect([index.size, ownersHeld(index)], "bob forgotten once k1 has no owner").to.deep.equal([
      0, 0,
    ]);
    index.set("k2", "cat");
    index.remove("k2");
    expect([index.size, ownersHeld(index)], "cat forgotten once k2 is removed").to.deep.equal([
      0, 0,
    ]);
    index.set("k3", "dan");
    index.set("k4", "dan");
    index.set("k5", "dan");
    expect(index.keysOf("dan")).to.deep.equal(["k3", "k4", "k5"]);
    for (const key of ["k4", "k3", "k5"]) index.remove(key);
    expect([index.size, ownersHeld(index)]).to.deep.equal([0, 0]);
  });

  it("keysOf: a new array, which the caller may change without changing the index", () => {
    const index = new OwnerIndex();
    index.set("k1", "ann");
    const keys = index.keysOf("ann");
    keys.push("k2");
    index.remove("k1");
    expect(keys).to.deep.equal(["k1", "k2"]);
    expect(index.keysOf("ann")).to.deep.equal([]);
  });
});
