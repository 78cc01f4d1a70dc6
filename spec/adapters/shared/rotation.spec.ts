import { expect } from "chai";
import { MemStore } from "../../../src";
import { deleteNoticingRevoked, RevokedIds } from "../../../src/adapters/shared/rotation";
import { PromiseStore } from "../../support/promise-store";

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("rotation", () => {
  it("deleteNoticingRevoked: true only for a session another call had deleted for good already", () => {
    const store = new MemStore(0);
    store.save("live", new Uint8Array([1]), inAnHour());
    expect(deleteNoticingRevoked(store, "live"), "a live session").to.equal(false);
    expect(deleteNoticingRevoked(store, "live"), "deleted by the call before").to.equal(true);
    expect(deleteNoticingRevoked(store, "unknown"), "an unknown token").to.equal(false);
    expect(store.find("live").exists).to.equal(false);
    store.close();
  });

  it("deleteNoticingRevoked: a store whose delete says nothing of what it found answers false, after deleting", async () => {
    const inner = new MemStore(0);
    const store = new PromiseStore(inner);
    inner.save("token", new Uint8Array([1]), inAnHour());
    expect(await deleteNoticingRevoked(store, "token")).to.equal(false);
    expect(inner.find("token").exists).to.equal(false);
    expect(await deleteNoticingRevoked(store, "token")).to.equal(false);
    inner.close();
  });

  it("RevokedIds: remembers the most recent 10,000 IDs, the oldest forgotten first", () => {
    const ids = new RevokedIds();
    expect(ids.empty, "before the first").to.equal(true);
    for (let i = 0; i < 10_000; i++) ids.add(`id-${i}`);
    expect(ids.empty).to.equal(false);
    ids.add("id-0"); // added again: now the most recent
    ids.add("one more");
    expect(ids.has("id-0")).to.equal(true);
    expect(ids.has("id-1"), "the oldest, forgotten").to.equal(false);
    expect(ids.has("id-2")).to.equal(true);
    expect(ids.has("one more")).to.equal(true);
    expect(ids.has("never added")).to.equal(false);
  });
});
