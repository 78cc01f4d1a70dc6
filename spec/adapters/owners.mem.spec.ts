import { memStoreHarness } from "../support/fake-clock";
import { OWNER_DRIVERS } from "./owners-drivers";
import { runOwnerSpecs } from "./owners-suite";

for (const driver of OWNER_DRIVERS) {
  runOwnerSpecs(driver, "MemStore", () => memStoreHarness(0, {}, { dateOnly: true }));
}
