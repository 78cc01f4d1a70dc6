import { expect } from "chai";
import {
  isCookieDomain,
  isCookiePath,
  isPriority,
  isSameSite,
} from "../../../src/adapters/shared/cookie-attributes";

describe("cookie-attributes", () => {
  describe("isCookieDomain", () => {
    it("isCookieDomain: a domain, with or without a leading dot, in any case", () => {
      for (const domain of [
        "example.com",
        ".example.com",
        "EXAMPLE.Com",
        "a",
        "a.b",
        "a.b.c",
        "a-b.c-d",
        "aaa.aaa",
        "zzz.zzz",
        "000.000",
        "999.999",
        "a0z9.z9a0",
        `${"a".repeat(63)}.${"b".repeat(63)}`,
      ]) {
        expect(isCookieDomain(domain), domain).to.equal(true);
      }
    });

    it("isCookieDomain: the empty string (no Domain) is one", () => {
      expect(isCookieDomain("")).to.equal(true);
    });

    it("isCookieDomain: a label too long, starting or ending with a hyphen, or a stray character is not", () => {
      for (const domain of [
        "a".repeat(64),
        `a.${"b".repeat(64)}`,
        "-a.com",
        "a-.com",
        "a.-b",
        "a.b-",
        "a..b",
        "..a",
        "a.",
        "a b",
        " example.com",
        "example.com ",
        "a_b",
        "a/b",
        "é.com",
        "a;b",
      ]) {
        expect(isCookieDomain(domain), domain).to.equal(false);
      }
    });

    it("isCookieDomain: a non-string is not, even one whose text would be", () => {
      expect(isCookieDomain(123)).to.equal(false);
      expect(isCookieDomain(["example.com"])).to.equal(false);
      expect(isCookieDomain(null)).to.equal(false);
    });
  });

  describe("isCookiePath", () => {
    it("isCookiePath: printable ASCII but ; is one, the edges of its ranges included", () => {
      for (const path of ["", "/", "/a b", " ", "/:", "/=", "/~", "/a/b?c#d"]) {
        expect(isCookiePath(path), path).to.equal(true);
      }
    });

    it("isCookiePath: a control character, ;, <, DEL or a non-ASCII character anywhere is not", () => {
      for (const path of ["/a;b", ";", "/<", "<", "/\u001F", "\u001F/", "/\u007F", "/é", "/\n"]) {
        expect(isCookiePath(path), JSON.stringify(path)).to.equal(false);
      }
    });

    it("isCookiePath: a non-string is not", () => {
      expect(isCookiePath(1)).to.equal(false);
      expect(isCookiePath(undefined)).to.equal(false);
    });
  });

  describe("isSameSite", () => {
    it("isSameSite: a boolean, or lax, strict or none in any case", () => {
      for (const value of [true, false, "lax", "strict", "none", "LAX", "Strict", "NONE"]) {
        expect(isSameSite(value), String(value)).to.equal(true);
      }
    });

    it("isSameSite: anything else is not", () => {
      for (const value of ["", "lenient", "lax ", 1, null, undefined, ["lax"]]) {
        expect(isSameSite(value), String(value)).to.equal(false);
      }
    });
  });

  describe("isPriority", () => {
    it("isPriority: low, medium or high in any case", () => {
      for (const value of ["low", "medium", "high", "LOW", "Medium", "HIGH"]) {
        expect(isPriority(value), value).to.equal(true);
      }
    });

    it("isPriority: anything else is not", () => {
      for (const value of ["", "urgent", "low ", true, 1, null, ["low"]]) {
        expect(isPriority(value), String(value)).to.equal(false);
      }
    });
  });
});
