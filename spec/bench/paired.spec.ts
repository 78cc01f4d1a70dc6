import { expect } from "chai";
import { pairedRatios, spreadOf, verdict } from "../../bench/paired";

const times = (value: number) => `${value.toFixed(2)}×`;

describe("bench/paired", () => {
  it("spreadOf: the median and the middle half, whatever the order given", () => {
    expect(spreadOf([9, 1, 5, 3, 7, 2, 8, 4, 6])).to.deep.equal({ median: 5, low: 3, high: 7 });
  });

  it("pairedRatios: above 1 when the measured side does less work, the first of a pair taken in turn", () => {
    const firsts: string[] = [];
    let spin = 0;
    const work = (loops: number) => () => {
      for (let i = 0; i < loops; i++) spin += i;
    };
    const ratios = pairedRatios({
      pairs: 6,
      batch: 50,
      before: () => firsts.push(""),
      measured: (i) => {
        if (i === 0) firsts[firsts.length - 1] ||= "measured";
        work(100)();
      },
      baseline: (i) => {
        if (i === 0) firsts[firsts.length - 1] ||= "baseline";
        work(20_000)();
      },
    });
    expect(spin).to.be.above(0);
    expect(firsts).to.deep.equal([
      "measured",
      "baseline",
      "measured",
      "baseline",
      "measured",
      "baseline",
    ]);
    // One figure for each two pairs, run in opposite orders.
    expect(ratios).to.have.length(3);
    // The first pairs run before the JIT has compiled the work: the median decides.
    expect(spreadOf(ratios).median).to.be.above(1);
  });

  it("pairedRatios: what going first costs weighs on both sides alike", () => {
    // Both sides do the same work, and whichever goes first in a pair does it 16 times over: the
    // ratios of single pairs fall near 1/16 and 16 by turns, and their median in one cluster.
    let spin = 0;
    let first = true;
    const work = () => {
      const loops = first ? 16 * 2_000 : 2_000;
      for (let i = 0; i < loops; i++) spin += i;
    };
    const ratios = pairedRatios({
      pairs: 40,
      batch: 20,
      before: () => {
        first = true;
      },
      measured: (i) => {
        work();
        if (i === 19) first = false;
      },
      baseline: (i) => {
        work();
        if (i === 19) first = false;
      },
    });
    expect(spin).to.be.above(0);
    expect(ratios).to.have.length(20);
    const { median } = spreadOf(ratios);
    expect(median).to.be.within(0.25, 4);
  });

  it("pairedRatios: an odd number of pairs is a RangeError naming it", () => {
    expect(() => pairedRatios({ pairs: 3, batch: 1, measured: () => {}, baseline: () => {} }))
      .to.throw(RangeError)
      .with.property("message", "Expected `pairs` to be even, got 3");
  });

  it("verdict: met at the bound, missed by the gap beyond it, in either direction", () => {
    expect(verdict(0.95, 0.95, false, times)).to.equal("met");
    expect(verdict(0.9, 0.95, false, times)).to.equal("missed by 0.05×");
    expect(verdict(100, 100, true, times)).to.equal("met");
    expect(verdict(120, 100, true, (v) => `${v} ms`)).to.equal("missed by 20 ms");
  });

  it("verdict: a gap below the last digit shown is not called a miss by 0", () => {
    expect(verdict(0.949, 0.95, false, times)).to.equal(
      "missed, by less than the last digit shown",
    );
  });
});
