import { installClock } from "../support/fake-clock";
import { ReferenceOwnerStore } from "../support/reference-owner-store";
import { OWNER_DRIVERS } from "./owners-drivers";
import { runOwnerSpecs } from "./owners-suite";

for (const driver of OWNER_DRIVERS) {
  runOwnerSpecs(driver, "the reference owner store", () => {
    const clock = installClock({ dateOnly: true });
    return {
      store: new ReferenceOwnerStore(),
      toleranceMs: 0,
      advance: async (ms) => {
        clock.tick(ms);
      },
      close: () => clock.uninstall(),
    };
  });
}
