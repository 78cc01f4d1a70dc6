import { expect } from "chai";
import { MISSING } from "../src/store";

describe("store", () => {
  it("MISSING: a find that found nothing, frozen so no caller can change it", () => {
    expect(MISSING).to.deep.equal({ exists: false, data: undefined });
    expect(Object.keys(MISSING)).to.deep.equal(["exists", "data"]);
    expect(Object.isFrozen(MISSING)).to.equal(true);
  });
});
