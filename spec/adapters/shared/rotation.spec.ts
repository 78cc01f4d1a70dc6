import { expect } from "chai";
import { MemStore } from "../../../src";
import { deleteFinding, RecentIds, recordMove } from "../../../src/adapters/shared/rotation";
import { PromiseStore } from "../../support/promise-store";

const inAnHour = () => new Date(Date.now() + 3_600_000);

describe("rotation", () => {
  it("deleteFinding: what the store's delete found, a live session, a session deleted for good or moved, or nothing", () => {
    const store = new MemStore(0);
    store.save("live", new Uint8Array([1]), inAnHour());
    store.save("moving", new Uint8Array([2]), inAnHour());
    expect(deleteFinding(store, "live"), "a live session").to.equal("live");
    expect(deleteFinding(store, "live"), "deleted by the call before").to.equal("deleted");
    expect(deleteFinding(store, "unknown"), "an unknown token").to.equal("none");
    expect(deleteFinding(store, "moving")).to.equal("live");
    recordMove(store, "moving", "moved");
    expect(deleteFinding(store, "moving"), "moved by the call before").to.equal("moved");
    expect(store.find("live").exists).to.equal(false);
    store.close();
  });

  it("deleteFinding and recordMove over a store whose delete says nothing of what it found: undefined, after deleting; no move recorded", async () => {
    const inner = new MemStore(0);
    const store = new PromiseStore(inner);
    inner.save("token", new Uint8Array([1]), inAnHour());
    expect(await deleteFinding(store, "token")).to.equal(undefined);
    expect(inner.find("token").exists).to.equal(false);
    expect(recordMove(store, "token", "new")).to.equal(undefined);
    expect(await deleteFinding(store, "token")).to.equal(undefined);
    expect(inner.find("token").exists).to.equal(false);
    inner.close();
  });

  it("RecentIds: remembers the most recent 10,000 IDs, the oldest forgotten first; take forgets one", () => {
    const ids = new RecentIds();
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
    expect(ids.take("id-2")).to.equal(true);
    expect(ids.take("id-2"), "taken already").to.equal(false);
    expect(ids.has("id-2")).to.equal(false);
  });
});
