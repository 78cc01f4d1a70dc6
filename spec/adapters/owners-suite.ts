import { expect } from "chai";
import type { Store } from "../../src";
import type { ListedSession } from "../../src/express";
import { expectFailure, type HarnessFactory, type StoreHarness } from "../stores/store-contract";
import type { Client } from "../support/http-client";
import { eachServedSpec, type ServedApp } from "./adapter-suite";

/** A request held open by the spec: the route calls `pass`, the spec `release`s it. */
export class Gate {
  /** Settles once the route has loaded the session and is waiting. */
  readonly entered: Promise<void>;
  private readonly released: Promise<void>;
  private enter = () => {};
  /** Lets the waiting route go on and answer. */
  release = () => {};

  constructor() {
    this.entered = new Promise((resolve) => {
      this.enter = resolve;
    });
    this.released = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  private entries = 0;
  private readonly waiting: { count: number; resolve: () => void }[] = [];

  /** Settles once `count` requests in all have reached the gate. */
  reached(count: number): Promise<void> {
    if (this.entries >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ count, resolve }));
  }

  /** Called by the route: says it is waiting, and waits. */
  async pass(): Promise<void> {
    this.entries++;
    this.enter();
    for (const waiter of this.waiting) if (this.entries >= waiter.count) waiter.resolve();
    await this.released;
  }
}

/** What every adapter offers for owners. */
export interface OwnerAdapter {
  sessionsOf(owner: string): Promise<ListedSession[]>;
  destroySessionsOf(owner: string, options?: { except?: string }): Promise<number>;
}

/** What the owner specs need of one framework. */
export interface OwnerDriver {
  /** The framework's session package: `express-session`. */
  readonly name: string;
  /** Makes the framework's adapter, as `new XSessionStore(store, options)` does. */
  construct(store: Store, options: { ownerOf?: unknown }): OwnerAdapter;
  /**
   * Serves the example app over `store` (a Store of this package, which the app wraps with its
   * own `ownerOf`, or an adapter made by `construct`), with two more routes: `GET /slow` changes
   * the session, then waits at `gate` before it answers; `GET /slow-regenerate` changes it, waits
   * at `gate`, then moves it to a new ID with its fields (the framework's regenerate or key
   * rotation) before it answers.
   */
  serve(store: Store | OwnerAdapter, gate: Gate): Promise<ServedApp>;
  /** The store token of the session a browser holds. */
  tokenOf(client: Client): string;
  /**
   * Whether the adapter knows, when it deletes a session's old ID, that the request is moving it
   * (express-session's `regenerate`, which the adapter runs; koa-session's, whose request still
   * holds the session; hono-sessions', which is no logout, seen through the `_delete` the session
   * handed over records), and records the move in the same store call. @fastify/session deletes
   * the old ID the same way for a logout and for a move, so the adapter records the move at the
   * save of the new ID, one call later.
   */
  readonly movesWithDelete: boolean;
}

/**
 * The owner index and the logout that sticks, over real HTTP on loopback, for one framework and
 * one store. Each store's owner spec calls this for each framework.
 */
export function runOwnerSpecs<S extends Store>(
  driver: OwnerDriver,
  storeName: string,
  makeHarness: HarnessFactory<S>,
): void {
  describe(`${driver.name} over ${storeName}: owners`, () => {
    let harness: StoreHarness<S>;
    const served = eachServedSpec(makeHarness, (made) => {
      harness = made;
    });
    const name = driver.name;

    async function serve(store: Store | OwnerAdapter = harness.store, gate = new Gate()) {
      return served(await driver.serve(store, gate));
    }
    const adapter = () => driver.construct(harness.store, {});
    const idsOf = async (owner: string) =>
      (await adapter().sessionsOf(owner)).map(({ id }) => id).sort();
    const found = async (token: string) => (await harness.store.find(token)).exists;

    async function logIn(client: Client, user: string): Promise<void> {
      expect(await client.get(`/login?user=${user}`)).to.deep.equal({
        status: 200,
        text: `Logged in as ${user}.\n`,
      });
    }

    /** Serves the app, logs alice in, and starts `route` on her session, held at the gate. */
    async function aliceHeldAt(route: "/slow" | "/slow-regenerate") {
      const gate = new Gate();
      const { client } = await serve(harness.store, gate);
      const alice = client();
      await logIn(alice, "alice");
      const token = driver.tokenOf(alice);
      const slow = alice.get(route);
      await gate.entered;
      return { alice, token, gate, slow };
    }

    it(`${name}: sessionsOf lists each owner's sessions by the framework's session ID, with their expiry`, async () => {
      const { client } = await serve();
      const [alice1, alice2, bob, visitor] = [client(), client(), client(), client()];
      await logIn(alice1, "alice");
      await logIn(alice2, "alice");
      await logIn(bob, "bob");
      await visitor.get("/put");
      const listed = await adapter().sessionsOf("alice");
      expect(listed.map(({ id }) => id).sort()).to.deep.equal(
        [driver.tokenOf(alice1), driver.tokenOf(alice2)].sort(),
      );
      for (const { expires } of listed) {
        expect(expires).to.be.instanceOf(Date);
        expect(expires.getTime()).to.be.greaterThan(Date.now());
      }
      expect(await idsOf("bob")).to.deep.equal([driver.tokenOf(bob)]);
      expect(await idsOf("carol")).to.deep.equal([]);
      const page = await alice1.get("/sessions");
      expect(page.status).to.equal(200);
      expect(page.text).to.match(/^alice is logged in to 2 session\(s\):\n/);
      expect(page.text.match(/\(this session\)/g)).to.have.length(1);
      expect(page.text, "no session ID is shown").not.to.include(driver.tokenOf(alice2));
      expect((await visitor.get("/sessions")).status).to.equal(401);
    });

    it(`${name}: a logged-out or regenerated session is no longer listed`, async () => {
      const { client } = await serve();
      const [alice1, alice2] = [client(), client()];
      await logIn(alice1, "alice");
      await logIn(alice2, "alice");
      const before = driver.tokenOf(alice2);
      await logIn(alice2, "alice"); // a new session ID at login
      expect(await found(before)).to.equal(false);
      await alice1.get("/destroy");
      expect(await idsOf("alice")).to.deep.equal([driver.tokenOf(alice2)]);
    });

    it(`${name}: logout sticks: a request that loaded the session before it cannot save it back`, async () => {
      const { alice, token, gate, slow } = await aliceHeldAt("/slow");
      expect((await alice.get("/destroy")).status).to.equal(200);
      expect((await alice.get("/me")).text).to.equal("nobody\n");
      gate.release();
      expect((await slow).status, "the slow request answers as usual").to.equal(200);
      expect(await found(token)).to.equal(false);
      expect(await idsOf("alice")).to.deep.equal([]);
      expect((await alice.get("/me")).text, "with the cookie the slow request left").to.equal(
        "nobody\n",
      );
    });

    it(`${name}: logout sticks across a new ID: a request that loaded the session before and regenerates it after stores nothing`, async () => {
      const { alice, token, gate, slow } = await aliceHeldAt("/slow-regenerate");
      expect((await alice.get("/destroy")).status).to.equal(200);
      gate.release();
      expect((await slow).status, "the slow request answers as usual").to.equal(200);
      expect(driver.tokenOf(alice), "the slow request moved the browser to a new ID").not.to.equal(
        token,
      );
      expect(await found(token)).to.equal(false);
      expect(await found(driver.tokenOf(alice)), "nothing stored under the new ID").to.equal(false);
      expect(await idsOf("alice")).to.deep.equal([]);
      expect((await alice.get("/me")).text, "with the cookie the slow request left").to.equal(
        "nobody\n",
      );
    });

    it(`${name}: a request that regenerates with no logout meanwhile moves the session, fields and all`, async () => {
      const { alice, token, gate, slow } = await aliceHeldAt("/slow-regenerate");
      gate.release();
      expect((await slow).status).to.equal(200);
      expect(driver.tokenOf(alice)).not.to.equal(token);
      expect(await found(token)).to.equal(false);
      expect(await idsOf("alice")).to.deep.equal([driver.tokenOf(alice)]);
      expect((await alice.get("/me")).text).to.equal("alice\n");
    });

    it(`${name}: two requests that held the session and regenerate it at once (a login sent twice) ${driver.movesWithDelete ? "both keep their move" : "answer as usual, and bring back nothing but alice's session"}`, async () => {
      const gate = new Gate();
      const { app, client } = await serve(harness.store, gate);
      const first = client();
      await logIn(first, "alice");
      // A login again moves a live session, which records the move: on Redis, its script is then
      // loaded, as it is in a server that ran a while.
      await logIn(first, "alice");
      const token = driver.tokenOf(first);
      const second = first.at(app.baseUrl); // the same cookie, as a second tab sends it
      const slow = [first.get("/slow-regenerate"), second.get("/slow-regenerate")];
      await gate.reached(2);
      gate.release();
      for (const reply of await Promise.all(slow)) expect(reply.status).to.equal(200);
      const moved = [driver.tokenOf(first), driver.tokenOf(second)];
      expect(moved[0]).not.to.equal(moved[1]);
      expect(await found(token), "the old ID stays gone").to.equal(false);
      const stored = [];
      for (const id of moved) if (await found(id)) stored.push(id);
      expect(await idsOf("alice")).to.deep.equal(stored.sort());
      if (driver.movesWithDelete) {
        expect(stored, "each new ID stored").to.have.length(2);
        expect((await first.get("/me")).text).to.equal("alice\n");
        expect((await second.get("/me")).text).to.equal("alice\n");
      }
    });

    it(`${name}: a request that regenerates a session another request moved, whose new ID was logged out since, stores nothing`, async () => {
      const gate = new Gate();
      const { app, client } = await serve(harness.store, gate);
      const alice = client();
      await logIn(alice, "alice");
      const thief = alice.at(app.baseUrl); // another holder of the same cookie
      const slow = thief.get("/slow-regenerate");
      await gate.entered;
      await logIn(alice, "alice"); // moves the session to a new ID
      expect((await alice.get("/destroy")).status, "then logs out of it").to.equal(200);
      gate.release();
      expect((await slow).status, "the slow request answers as usual").to.equal(200);
      expect(await found(driver.tokenOf(thief)), "nothing under its new ID").to.equal(false);
      expect((await thief.get("/me")).text).to.equal("nobody\n");
      expect(await idsOf("alice")).to.deep.equal([]);
    });

    it(`${name}: /logout-everywhere sticks across a new ID: a request that regenerates a session it ended stores nothing`, async () => {
      const gate = new Gate();
      const { client } = await serve(harness.store, gate);
      const [phone, laptop] = [client(), client()];
      await logIn(phone, "alice");
      await logIn(laptop, "alice");
      const slow = phone.get("/slow-regenerate");
      await gate.entered;
      expect((await laptop.get("/logout-everywhere")).status).to.equal(200);
      gate.release();
      expect((await slow).status).to.equal(200);
      expect((await phone.get("/me")).text).to.equal("nobody\n");
      expect(await idsOf("alice")).to.deep.equal([driver.tokenOf(laptop)]);
    });

    it(`${name}: /logout-everywhere sticks: the owner's other sessions stay gone, even one a request was saving`, async () => {
      const gate = new Gate();
      const { client } = await serve(harness.store, gate);
      const [phone, laptop, bob] = [client(), client(), client()];
      await logIn(phone, "alice");
      await logIn(laptop, "alice");
      await logIn(bob, "bob");
      const slow = phone.get("/slow");
      await gate.entered;
      expect(await laptop.get("/logout-everywhere")).to.deep.equal({
        status: 200,
        text: "Logged out of 1 other session(s).\n",
      });
      gate.release();
      expect((await slow).status).to.equal(200);
      expect((await phone.get("/me")).text).to.equal("nobody\n");
      expect((await laptop.get("/me")).text).to.equal("alice\n");
      expect((await bob.get("/me")).text).to.equal("bob\n");
      expect(await idsOf("alice")).to.deep.equal([driver.tokenOf(laptop)]);
    });

    it(`${name}: destroySessionsOf answers how many it destroyed, keeps except and other owners' sessions`, async () => {
      const { client } = await serve();
      const [alice1, alice2, alice3, bob] = [client(), client(), client(), client()];
      for (const alice of [alice1, alice2, alice3]) await logIn(alice, "alice");
      await logIn(bob, "bob");
      const except = driver.tokenOf(alice3);
      expect(await adapter().destroySessionsOf("alice", { except })).to.equal(2);
      expect(await idsOf("alice")).to.deep.equal([except]);
      expect(await adapter().destroySessionsOf("alice")).to.equal(1);
      expect(await adapter().destroySessionsOf("alice")).to.equal(0);
      expect(await idsOf("bob")).to.deep.equal([driver.tokenOf(bob)]);
      for (const alice of [alice1, alice2, alice3]) {
        expect((await alice.get("/me")).text).to.equal("nobody\n");
      }
    });

    for (const [what, ownerOf] of [
      ["throws", throwing],
      ["answers a number", () => 42],
      ["answers an empty string", () => ""],
    ] as const) {
      it(`${name}: an ownerOf that ${what} fails the save through the framework's error path, and the server carries on`, async () => {
        const failing = driver.construct(harness.store, { ownerOf });
        const { app, client } = await serve(failing);
        const alice = client();
        await alice.get("/login?user=alice");
        expect(app.errors).to.have.length.greaterThan(0);
        expect(await idsOf("alice")).to.deep.equal([]);
        expect([200, 500], "the app still answers").to.include((await alice.get("/me")).status);
        for (const error of app.errors.splice(0)) {
          expect(error).to.be.instanceOf(what === "throws" ? Error : TypeError);
          expect((error as Error).message).to.match(/ownerOf/);
        }
        const { client: healthy } = await serve();
        await logIn(healthy(), "alice");
        expect(await idsOf("alice")).to.have.length(1);
      });
    }

    it(`${name}: sessionsOf and destroySessionsOf reject bad arguments with a TypeError naming them`, async () => {
      for (const owner of ["", 42, undefined, "\ud800"] as unknown[]) {
        await expectFailure(() => adapter().sessionsOf(owner as string), TypeError, /`owner`.*got/);
        await expectFailure(
          () => adapter().destroySessionsOf(owner as string),
          TypeError,
          /`owner`.*got/,
        );
      }
      for (const except of ["", 42, null] as unknown[]) {
        await expectFailure(
          () => adapter().destroySessionsOf("alice", { except: except as string }),
          TypeError,
          /`except`.*got/,
        );
      }
    });

    it(`${name}: constructing with ownerOf over a store that cannot index owners is a TypeError saying so`, async () => {
      const plain: Store = {
        find: (token) => harness.store.find(token),
        save: (token, data, expiry) => harness.store.save(token, data, expiry),
        delete: (token) => harness.store.delete(token),
        touch: (token, expiry) => harness.store.touch(token, expiry),
      };
      await expectFailure(
        () => driver.construct(plain, { ownerOf: () => "alice" }),
        TypeError,
        /`ownerOf` needs a store that indexes sessions by owner/,
      );
      await expectFailure(
        () => driver.construct(harness.store, { ownerOf: "user" }),
        TypeError,
        /`ownerOf`.*function.*got/,
      );
      await expectFailure(
        () => driver.construct(plain, {}).sessionsOf("alice"),
        TypeError,
        /sessionsOf needs a store that indexes sessions by owner/,
      );
    });
  });
}

function throwing(): never {
  throw new Error("ownerOf failed");
}
