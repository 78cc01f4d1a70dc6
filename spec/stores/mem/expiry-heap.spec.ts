import { expect } from "chai";
import fc from "fast-check";
import { ExpiryHeap } from "../../../src/stores/mem/expiry-heap";

describe("ExpiryHeap", () => {
  it("pops listings earliest first, however pushes, pops and rebuilds interleave (500 sequences against a sorted list)", () => {
    const step = fc.oneof(
      { weight: 5, arbitrary: fc.record({ push: fc.integer({ min: 0, max: 20 }) }) },
      { weight: 3, arbitrary: fc.constant({ pop: true as const }) },
      { weight: 1, arbitrary: fc.record({ keepOver: fc.integer({ min: 0, max: 20 }) }) },
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), (steps) => {
        const heap = new ExpiryHeap<string>();
        let model: { ms: number; item: string }[] = [];
        steps.forEach((current, i) => {
          if ("push" in current) {
            heap.push(current.push, `item-${i}`);
            model.push({ ms: current.push, item: `item-${i}` });
          } else if ("pop" in current) {
            if (model.length === 0) return;
            const earliestMs = Math.min(...model.map(({ ms }) => ms));
            expect(heap.earliestMs).to.equal(earliestMs);
            const item = heap.pop();
            const at = model.findIndex((listing) => listing.item === item);
            expect(model[at]?.ms, "an item listed at the earliest time").to.equal(earliestMs);
            model.splice(at, 1);
          } else {
            heap.rebuild((_item, ms) => ms > current.keepOver);
            model = model.filter(({ ms }) => ms > current.keepOver);
          }
          expect(heap.size).to.equal(model.length);
        });
        const drained: number[] = [];
        while (heap.size > 0) {
          drained.push(heap.earliestMs);
          heap.pop();
        }
        expect(drained).to.deep.equal(model.map(({ ms }) => ms).sort((a, b) => a - b));
        expect(heap.earliestMs, "empty").to.equal(Number.POSITIVE_INFINITY);
      }),
      { numRuns: 500, seed: 20_261_207 },
    );
  });
});
