import type { Clock } from "@sinonjs/fake-timers";
import { expect } from "chai";
import { dateInMs, MAX_DATE_MS } from "../../../src/adapters/shared/dates";
import { installClock, START_MS } from "../../support/fake-clock";

describe("dates", () => {
  let clock: Clock;
  beforeEach(() => {
    clock = installClock({ dateOnly: true });
  });
  afterEach(() => clock.uninstall());

  it("MAX_DATE_MS: the latest instant a Date holds", () => {
    expect(MAX_DATE_MS).to.equal(8.64e15);
    expect(new Date(MAX_DATE_MS).getTime()).to.equal(MAX_DATE_MS);
    expect(Number.isNaN(new Date(MAX_DATE_MS + 1).getTime())).to.equal(true);
  });

  it("dateInMs: the instant ms from now", () => {
    expect(dateInMs(1_500).getTime()).to.equal(START_MS + 1_500);
    expect(dateInMs(0).getTime()).to.equal(START_MS);
    clock.tick(10);
    expect(dateInMs(1).getTime()).to.equal(START_MS + 11);
  });

  it("dateInMs: capped at the last valid Date, never an invalid one", () => {
    expect(dateInMs(MAX_DATE_MS).getTime()).to.equal(MAX_DATE_MS);
    expect(dateInMs(Number.POSITIVE_INFINITY).getTime()).to.equal(MAX_DATE_MS);
    expect(dateInMs(MAX_DATE_MS - START_MS).getTime()).to.equal(MAX_DATE_MS);
    expect(dateInMs(MAX_DATE_MS - START_MS - 1).getTime()).to.equal(MAX_DATE_MS - 1);
  });
});
