// Runs the exported contract suite under node:test, on the store named by the first argument,
// and prints the CPU time it used (for the spec that runs this file in a child process).
import { describe, it } from "node:test";
import { MemStore } from "../../src";
import type { IterableStore } from "../../src/store";
import { iterableStoreContract } from "../../src/testing";
import { FoundAtExpiryStore, MapStore, ResurrectingStore } from "./reference-stores";

const STORES: Record<string, () => IterableStore> = {
  MemStore: () => new MemStore(0),
  MapStore: () => new MapStore(),
  FoundAtExpiryStore: () => new FoundAtExpiryStore(),
  ResurrectingStore: () => new ResurrectingStore(),
};

const name = process.argv[2] ?? "";
const create = STORES[name];
if (create === undefined) throw new Error(`Unknown store ${name}: one of ${Object.keys(STORES)}`);
iterableStoreContract({ describe, it }, name, {
  create,
  close: (store) => {
    if (store instanceof MemStore) store.close();
  },
});
