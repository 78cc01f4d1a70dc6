import { expect } from "chai";
import type { Store } from "../../src";
import { DELETE_FOUND, type DeleteFinding, MARK_MOVED } from "../../src/stores/delete-found";
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
    const markMoved = (token: string, movedTo: string) => store[MARK_MOVED](token, movedTo);
    /** Saves `token`, live for an hour, then deletes it as a move to `movedTo` does. */
    const move = async (token: string, movedTo: string) => {
      await store.save(token, bytes(1), inMs(ONE_HOUR_MS));
      expect(await deleteFound(token)).to.equal("live");
      await markMoved(token, movedTo);
    };

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

    it("a session a request moved: `moved` while the ID it moved to is not saved yet or live, `deleted` once that ID is destroyed", async () => {
      await move("old", "new");
      expect(await deleteFound("old"), "the new ID not saved yet").to.equal("moved");
      await store.save("new", bytes(2), inMs(ONE_HOUR_MS));
      expect(await deleteFound("old"), "the new ID live").to.equal("moved");
      await store.save("old", bytes(3), inMs(ONE_HOUR_MS));
      expectMissing(await store.find("old")); // a moved session's marker refuses saves too
      await store.delete("new");
      expect(await deleteFound("old"), "the new ID destroyed").to.equal("deleted");
    });

    it("moves are followed from ID to ID: a session moved twice reads as destroyed once its last ID is", async () => {
      await move("first", "second");
      await move("second", "third");
      await store.save("third", bytes(1), inMs(ONE_HOUR_MS));
      expect(await deleteFound("first")).to.equal("moved");
      await store.delete("third");
      expect(await deleteFound("first")).to.equal("deleted");
      expect(await deleteFound("second")).to.equal("deleted");
    });

    it("a move whose new ID expired reads as moved; a move's marker expires with the session, and the move with it", async () => {
      await store.save("old", bytes(1), inMs(500 + harness.toleranceMs));
      expect(await deleteFound("old")).to.equal("live");
      await markMoved("old", "new");
      await store.save("new", bytes(2), inMs(100));
      await harness.advance(100 + harness.toleranceMs);
      expect(await deleteFound("old"), "the new ID expired, not destroyed").to.equal("moved");
      await harness.advance(400 + harness.toleranceMs);
      expect(await deleteFound("old"), "past the old session's own expiry").to.equal("none");
      await store.save("old", bytes(3), inMs(ONE_HOUR_MS));
      expect((await store.find("old")).exists).to.equal(true);
    });

    it("MARK_MOVED changes nothing where no marker is, keeps the first move of a marker, and brings nothing back", async () => {
      await markMoved("unknown", "elsewhere");
      expect(await deleteFound("unknown")).to.equal("none");
      await store.save("live", bytes(1), inMs(ONE_HOUR_MS));
      await markMoved("live", "elsewhere");
      expect((await store.find("live")).exists, "a live session stays as it is").to.equal(true);
      await move("old", "first");
      await markMoved("old", "second");
      await store.save("first", bytes(2), inMs(ONE_HOUR_MS));
      await store.delete("first");
      expect(await deleteFound("old"), "the first move counts").to.equal("deleted");
      expectMissing(await store.find("old"));
    });

    it("a delete that is a move records it in the same step: to the ID given, or to one not known yet until MARK_MOVED names it", async () => {
      await store.save("known", bytes(1), inMs(ONE_HOUR_MS));
      expect(await store[DELETE_FOUND]("known", "known-new")).to.equal("live");
      expect(await deleteFound("known")).to.equal("moved");
      await store.save("known-new", bytes(2), inMs(ONE_HOUR_MS));
      await store.delete("known-new");
      expect(await deleteFound("known"), "the ID it moved to destroyed").to.equal("deleted");

      await store.save("unknown-yet", bytes(1), inMs(ONE_HOUR_MS));
      expect(await store[DELETE_FOUND]("unknown-yet", "")).to.equal("live");
      expect(await deleteFound("unknown-yet"), "moved, to an ID not known yet").to.equal("moved");
      await markMoved("unknown-yet", "named");
      await store.save("named", bytes(2), inMs(ONE_HOUR_MS));
      await store.delete("named");
      expect(await deleteFound("unknown-yet"), "the ID named since, destroyed").to.equal("deleted");

      expect(await store[DELETE_FOUND]("never-saved", "elsewhere"), "nothing to move").to.equal(
        "none",
      );
      expect(await deleteFound("never-saved")).to.equal("none");
    });

    it('a move to a token that reads as a number ("1", "0", "-1") is a move like any other', async () => {
      for (const movedTo of ["1", "0", "-1"]) {
        await move(`from-${movedTo}`, movedTo);
        expect(await deleteFound(`from-${movedTo}`), `moved to "${movedTo}"`).to.equal("moved");
        await store.save(movedTo, bytes(2), inMs(ONE_HOUR_MS));
        await store.delete(movedTo);
        expect(await deleteFound(`from-${movedTo}`), `"${movedTo}" destroyed`).to.equal("deleted");
      }
    });

    it("a token that is not a non-empty string is a TypeError naming `token`, or `movedTo`", async () => {
      await expectFailure(async () => deleteFound(""), TypeError, /`token`.*got/);
      await expectFailure(async () => markMoved("", "new"), TypeError, /`token`.*got/);
      await expectFailure(async () => markMoved("old", ""), TypeError, /`movedTo`.*got/);
      await expectFailure(
        async () => store[DELETE_FOUND]("old", "\ud800"),
        TypeError,
        /`movedTo`.*got/,
      );
    });
  });
}
