// The contract suite of the installed package, under node:test, on MemStore: it runs with no mocha
// or chai installed, and MemStore passes it (node exits non-zero when a spec fails).
import { describe, it } from "node:test";
import { MemStore } from "scs-memstore";
import { iterableStoreContract } from "scs-memstore/testing";

iterableStoreContract({ describe, it }, "MemStore from the packed package", {
  create: () => new MemStore(0),
  close: (store) => store.close(),
});
