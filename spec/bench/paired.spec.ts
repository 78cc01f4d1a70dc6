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
    expect(ratios).to.have.length(6);
    // The first pairs run before the JIT has compiled the work: the median decides.
    expect(spreadOf(ratios).median).to.be.above(1);
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
