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

  it("add: lists a key under its owner, and counts it; the same key again changes nothing", () => {
    const index = new OwnerIndex();
    expect(index.size).to.equal(0);
    expect(index.keysOf("ann")).to.deep.equal([]);
    index.add("k1", "ann");
    index.add("k2", "ann");
    index.add("k3", "bob");
    expect(index.size).to.equal(3);
    expect(index.keysOf("ann")).to.deep.equal(["k1", "k2"]);
    expect(index.keysOf("bob")).to.deep.equal(["k3"]);
    index.add("k1", "ann");
    index.add("k3", "bob");
    expect(index.size, "a key listed already, alone or among others, counted once").to.equal(3);
    expect(index.keysOf("ann"), "k1 kept in its place").to.deep.equal(["k1", "k2"]);
    expect(index.keysOf("bob")).to.deep.equal(["k3"]);
  });

  it("remove: forgets a key, an owner with no key left included", () => {
    const index = new OwnerIndex();
    index.add("k1", "ann");
    index.add("k2", "ann");
    index.remove("k1", "ann");
    expect(index.size).to.equal(1);
    expect(index.keysOf("ann")).to.deep.equal(["k2"]);
    expect(ownersHeld(index)).to.equal(1);
    index.remove("k2", "ann");
    expect(index.size).to.equal(0);
    expect(index.keysOf("ann")).to.deep.equal([]);
    expect(ownersHeld(index), "no set kept for an owner with no key").to.equal(0);
    index.add("k3", "ann");
    expect(index.keysOf("ann")).to.deep.equal(["k3"]);
  });

  it("remove: a key not listed under that owner changes nothing, whatever the owner holds", () => {
    const index = new OwnerIndex();
    index.remove("k1", "ann");
    index.add("k1", "ann");
    index.remove("k1", "bob");
    index.remove("k2", "ann");
    expect([index.size, index.keysOf("ann")], "an owner of one key").to.deep.equal([1, ["k1"]]);
    index.add("k2", "ann");
    index.remove("k3", "ann");
    expect([index.size, index.keysOf("ann")], "an owner of a set").to.deep.equal([2, ["k1", "k2"]]);
    expect(ownersHeld(index)).to.equal(1);
  });

  it("a key moved from one owner to another is listed under the second only", () => {
    const index = new OwnerIndex();
    index.add("k1", "ann");
    index.add("k2", "ann");
    index.remove("k1", "ann");
    index.add("k1", "bob");
    expect(index.size).to.equal(2);
    expect(index.keysOf("ann")).to.deep.equal(["k2"]);
    expect(index.keysOf("bob")).to.deep.equal(["k1"]);
    index.remove("k2", "ann");
    expect(ownersHeld(index), "ann, left with no key, forgotten").to.equal(1);
  });

  it("an owner's only key, or the last of a set, removed leaves the owner forgotten; a second joins it", () => {
    const index = new OwnerIndex();
    index.add("k1", "ann");
    index.remove("k1", "ann");
    expect([index.size, ownersHeld(index)], "ann forgotten once k1 is removed").to.deep.equal([
      0, 0,
    ]);
    index.add("k3", "dan");
    index.add("k4", "dan");
    index.add("k5", "dan");
    expect(index.keysOf("dan")).to.deep.equal(["k3", "k4", "k5"]);
    for (const key of ["k4", "k3", "k5"]) index.remove(key, "dan");
    expect([index.size, ownersHeld(index)]).to.deep.equal([0, 0]);
  });

  it("keysOf: a new array, which the caller may change without changing the index", () => {
    const index = new OwnerIndex();
    index.add("k1", "ann");
    const keys = index.keysOf("ann");
    keys.push("k2");
    index.remove("k1", "ann");
    expect(keys).to.deep.equal(["k1", "k2"]);
    expect(index.keysOf("ann")).to.deep.equal([]);
    index.add("k1", "ann");
    index.add("k2", "ann");
    const fromSet = index.keysOf("ann");
    fromSet.pop();
    expect(index.keysOf("ann")).to.deep.equal(["k1", "k2"]);
  });
});
