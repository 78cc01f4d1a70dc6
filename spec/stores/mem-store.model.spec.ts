import { expect } from "chai";
import fc from "fast-check";
import { MemStore } from "../../src";
import { installClock } from "../support/fake-clock";
import { expectFound, expectMissing } from "./store-contract";

type Operation =
  | { kind: "save"; token: string; data: Uint8Array; ttlMs: number }
  | { kind: "find"; token: string }
  | { kind: "delete"; token: string }
  | { kind: "all" }
  | { kind: "advance"; ms: number };

const token = fc.oneof(
  fc.constantFrom("a", "b", "__proto__", "constructor", "toString", "0", "#a"),
  fc.string({ minLength: 1, maxLength: 3 }),
);

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant("save" as const),
    token,
    data: fc.uint8Array({ maxLength: 8 }),
    // Past, exactly now, 1 ms and longer: the edges where a TTL could turn into "forever".
    ttlMs: fc.integer({ min: -5, max: 60 }),
  }),
  fc.record({ kind: fc.constant("find" as const), token }),
  fc.record({ kind: fc.constant("delete" as const), token }),
  fc.record({ kind: fc.constant("all" as const) }),
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

interface ModelSession {
  data: Uint8Array;
  expiryMs: number;
}

/** The model: a plain Map, where a session is live while now is before its expiry. */
function liveInModel(model: Map<string, ModelSession>, name: string): ModelSession | undefined {
  const session = model.get(name);
  return session !== undefined && Date.now() < session.expiryMs ? session : undefined;
}

function apply(
  store: MemStore,
  model: Map<string, ModelSession>,
  op: Operation,
  tick: (ms: number) => void,
) {
  switch (op.kind) {
    case "save": {
      const expiryMs = Date.now() + op.ttlMs;
      store.save(op.token, op.data, new Date(expiryMs));
      model.set(op.token, { data: Uint8Array.from(op.data), expiryMs });
      op.data.fill(0xff); // the caller's array changing afterwards must not reach the store
      return;
    }
    case "find": {
      const expected = liveInModel(model, op.token);
      const found = store.find(op.token);
      if (expected === undefined) expectMissing(found);
      else expectFound(found, expected.data);
      found.data?.fill(0xaa); // nor may a returned copy
      return;
    }
    case "delete":
      store.delete(op.token);
      model.delete(op.token);
      return;
    case "all": {
      const sessions = store.all();
      const live = [...model.keys()].filter((name) => liveInModel(model, name) !== undefined);
      expect([...sessions.keys()].sort()).to.deep.equal(live.sort());
      for (const name of live) {
        expectFound(
          { exists: true, data: sessions.get(name) as Uint8Array },
          (liveInModel(model, name) as ModelSession).data,
        );
      }
      return;
    }
    case "advance":
      tick(op.ms);
  }
}

describe("MemStore: model-based sequences", () => {
  it("save/find/delete/all and clock advances agree with a Map model (1,000 sequences)", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 7, 50),
        fc.array(operation, { maxLength: 60 }),
        (cleanupIntervalMs, operations) => {
          const clock = installClock();
          const store = new MemStore(cleanupIntervalMs);
          try {
            const model = new Map<string, ModelSession>();
            for (const op of operations) apply(store, model, op, (ms) => clock.tick(ms));
            apply(store, model, { kind: "all" }, () => {});
          } finally {
            store.close();
            clock.uninstall();
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
