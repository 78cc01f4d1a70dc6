import { expect } from "chai";
import type { Store } from "../../src";
import { DELETE_FOUND, type DeleteFinding } from "../../src/stores/delete-found";
import {
  bytes,
  eachSpec,
  expectFailure,
  expectMissing,
  type HarnessFactory,
  type StoreHarness,
} from "./store-contract";

const ONE_HOUR_MS = 3_600_000;
const inMs = (ms: number) => new Date(Date.now() + ms);

/**
 * What a delete of this package's stores tells the adapters it found (`DELETE_FOUND`): a live
 * session, a session deleted for good already, or nothing. The adapters guard a move of a session
 * to a new ID by it.
 */
export function runDeleteFoundSpecs<S extends Store & DeleteFinding>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  describe(`${name}: what a delete found`, () => {
    let harness: StoreHarness<S>;
    let store: S;
    eachSpec(makeHarness, (made) => {
      harness = made;
      store = made.store;
    });
    const deleteFound = (token: string) => store[DELETE_FOUND](token);

    it("a live session: `live`, and it is deleted for good, as by delete", async () => {
      await store.save("token", bytes(1), inMs(ONE_HOUR_MS));
      expect(await deleteFound("token")).to.equal("live");
      expectMissing(await store.find("token"));
      await store.save("token", bytes(2), inMs(ONE_HOUR_MS));
      expectMissing(await store.find("token"));
    });

    it("a session deleted before, by delete or by this: `deleted`, until the session's own expiry", async () => {
      await store.save("a", bytes(1), inMs(ONE_HOUR_MS));
      await store.save("b", bytes(2), inMs(500 + harness.toleranceMs));
      await store.delete("a");
      expect(await deleteFound("b")).to.equal("live");
      expect(await deleteFound("a")).to.equal("deleted");
      expect(await deleteFound("b")).to.equal("deleted");
      await harness.advance(500 + 2 * harness.toleranceMs);
      expect(await deleteFound("b"), "past the session's expiry").to.equal("none");
      expect(await deleteFound("a")).to.equal("deleted");
    });

    it("an unknown or expired token: `none`, and nothing is left behind", async () => {
      expect(await deleteFound("unknown")).to.equal("none");
      await store.save("short", bytes(1), inMs(100));
      await harness.advance(100 + harness.toleranceMs);
      expect(await deleteFound("short")).to.equal("none");
      await store.save("short", bytes(2), inMs(ONE_HOUR_MS));
      expect((await store.find("short")).exists, "no marker: the token is free again").to.equal(
        true,
      );
    });

    it("a token that is not a non-empty string is a TypeError naming `token`", async () => {
      await expectFailure(async () => deleteFound(""), TypeError, /`token`.*got/);
    });
  });
}
