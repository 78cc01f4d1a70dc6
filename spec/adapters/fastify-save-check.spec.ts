import { expect } from "chai";
import fc from "fast-check";
import type { Session } from "fastify";
import type { FindResult, Store } from "../../src";
import { CorruptSessionError, FastifySessionStore } from "../../src/fastify";

/** A store that keeps the last bytes saved, and hands back whatever bytes it is given to. */
class ByteStore implements Store {
  data: Uint8Array | undefined;
  find(): FindResult {
    return this.data === undefined
      ? { exists: false, data: undefined }
      : { exists: true, data: this.data };
  }
  save(_token: string, data: Uint8Array): void {
    this.data = data;
  }
  delete(): void {}
  touch(): boolean {
    return true;
  }
}

/** @fastify/session's `Cookie`, as far as a save reads it: `toJSON` on its prototype. */
class Cookie {
  constructor(private readonly sent: object) {}
  toJSON() {
    return this.sent;
  }
}

const inAnHour = () => new Date(Date.now() + 3_600_000);
const withOwnToJSON = () => Object.assign(inAnHour(), { toJSON: () => "2030-01-01T00:00:00.000Z" });
/** Values of the fields a cookie sends, of every kind JSON writes them as. */
const field = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    true,
    false,
    "/",
    "lax",
    "Strict",
    "none",
    "2030-01-01T00:00:00.000Z",
  ),
  fc.constantFrom(3_600_000, -1, 0, Number.NaN, Number.POSITIVE_INFINITY, 1e300),
  fc
    .constantFrom(
      inAnHour,
      () => new Date(Number.NaN),
      // The first and last times a cookie may send, and one past each.
      () => new Date(Date.UTC(1601, 0, 1)),
      () => new Date(Date.UTC(1601, 0, 1) - 1),
      () => new Date(Date.UTC(10_000, 0, 1) - 1),
      () => new Date(Date.UTC(10_000, 0, 1)),
      withOwnToJSON,
      // A Date that JSON writes otherwise than as its ISO string.
      () => Object.assign(inAnHour(), { toISOString: () => "soon" }),
      () => new (class extends Date {})(Date.now()),
      () =>
        new (class extends Date {
          override toJSON() {
            return "later";
          }
        })(Date.now()),
      () => ({}),
      () => ["/"],
    )
    .map((make) => make()),
  fc.string({ maxLength: 6 }),
);
/** What a cookie's `toJSON` answers: its expiry a Date or null, as a save requires. */
const sent = fc
  .record(
    {
      expires: fc.oneof(fc.constant(null), fc.constant(undefined).map(inAnHour)),
      originalMaxAge: field,
      originalExpires: field,
      path: field,
      domain: field,
      sameSite: field,
      secure: field,
      httpOnly: field,
      partitioned: field,
      other: field,
    },
    { requiredKeys: ["expires"] },
  )
  .chain((fields) =>
    fc.oneof(
      fc.constant(fields),
      // A field JSON.stringify leaves out: inherited, or not enumerable.
      fc.constant(Object.create(fields)),
      fc.constant(Object.defineProperty({ ...fields }, "path", { value: 1, enumerable: false })),
      // JSON writes a String object as a string, not an object.
      fc.constant(Object.assign(new String("/"), fields)),
    ),
  );

/** @fastify/session's `Session`, as far as a save reads it: its methods are on the prototype. */
class FrameworkSession {
  get(key: string): unknown {
    return Reflect.get(this, key);
  }
  save(): void {}
}

const RESERVED = ["__proto__", "constructor", "sessionId", "get", "save", "isSaved", "options"];
const key = fc.oneof(
  { arbitrary: fc.constantFrom("user", "cart", "n", "a\u0001"), weight: 3 },
  { arbitrary: fc.constantFrom(...RESERVED), weight: 1 },
);
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom("get", "__proto__", "x"),
    fc.integer(),
    fc.constant(undefined),
    fc.constant(() => 1),
    fc.array(tie("value"), { maxLength: 3 }),
    { arbitrary: fc.array(fc.tuple(key, tie("value")), { maxLength: 3 }).map(objectOf), weight: 3 },
  ),
})).value;

/** An object with these own enumerable keys, `__proto__` an ordinary key as JSON.parse makes it. */
function objectOf(entries: [string, unknown][], target: object = {}): object {
  for (const [name, inner] of entries) {
    Object.defineProperty(target, name, {
      value: inner,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return target;
}

/** A session the way a save may be handed one: plain, a class instance, or with a `toJSON`. */
const session = fc
  .record({
    entries: fc.array(fc.tuple(key, value), { maxLength: 4 }),
    shape: fc.constantFrom("plain", "instance", "toJSON"),
    written: key,
    inherited: fc.boolean(),
    sent,
  })
  .map(({ entries, shape, written, inherited, sent }) => {
    const target = shape === "instance" ? new FrameworkSession() : {};
    const cookie = new Cookie(sent);
    const made = objectOf(entries, target) as Record<string, unknown>;
    if (inherited) Object.setPrototypeOf(made, { cookie });
    else made.cookie = cookie;
    if (shape === "toJSON") {
      // What toJSON writes need not be the session's own keys.
      made.toJSON = () => objectOf([[written, 1]], { cookie });
    }
    return made as unknown as Session;
  });

const outcome = (run: (done: (error?: unknown) => void) => void): unknown => {
  let answer: unknown = "no answer";
  run((error) => {
    answer = error;
  });
  return answer;
};

/** Saves `saved`, and checks the outcome against a load of its JSON stored as it is. */
function expectSaveAsLoad(saved: Session): void {
  const store = new ByteStore();
  const adapter = new FastifySessionStore(store);
  const saveError = outcome((done) => adapter.set("sid", saved, done));

  // The general check: the JSON of the session, stored as it is, then loaded.
  const loader = new ByteStore();
  loader.data = Buffer.from(JSON.stringify(saved), "utf8");
  const loadError = outcome((done) => new FastifySessionStore(loader).get("sid", done));

  if (loadError instanceof CorruptSessionError) {
    expect(saveError).to.be.instanceOf(TypeError);
    expect((saveError as Error).message).to.equal(`Cannot save the session: ${loadError.problem}`);
    expect(store.data).to.equal(undefined);
  } else {
    expect([saveError, loadError]).to.deep.equal([null, null]);
    expect(store.data).to.deep.equal(loader.data);
  }
}

describe("FastifySessionStore: the save check answers as a load of what it saves", () => {
  it("set: refuses a session with the problem its load would report, and saves what loads", () => {
    fc.assert(fc.property(session, expectSaveAsLoad), { numRuns: 3_000 });
  });

  it("set: a cookie otherwise valid, its dates of every kind, answers as its load", () => {
    const dates = [
      null,
      undefined,
      inAnHour(),
      new Date(Number.NaN),
      new Date(Date.UTC(1601, 0, 1)),
      new Date(Date.UTC(1601, 0, 1) - 1),
      new Date(Date.UTC(10_000, 0, 1) - 1),
      new Date(Date.UTC(10_000, 0, 1)),
      withOwnToJSON(),
      Object.assign(inAnHour(), { toJSON: () => "later" }),
      Object.assign(inAnHour(), { toISOString: () => "soon" }),
      Object.defineProperty(inAnHour(), Symbol.toPrimitive, { value: () => Number.NaN }),
      new (class extends Date {})(Date.now()),
      new (class extends Date {
        override toISOString() {
          return "soon";
        }
      })(Date.now()),
      "2030-01-01T00:00:00.000Z",
      "2030-01-01",
    ];
    // A save takes for `expires` only a Date of a time a cookie may send, or null.
    const sendable = (date: unknown) =>
      date === null ||
      (date instanceof Date &&
        date.getTime() >= Date.UTC(1601, 0, 1) &&
        date.getTime() < Date.UTC(10_000, 0, 1));
    for (const expires of dates.filter(sendable)) {
      for (const originalExpires of dates) {
        const sent = { expires, originalMaxAge: null, originalExpires, path: "/", httpOnly: true };
        expectSaveAsLoad({ cookie: new Cookie(sent) } as unknown as Session);
      }
    }
  });
});

describe("FastifySessionStore: a save takes a cookie's Date for its ISO string only while Date's methods are the language's", () => {
  for (const method of ["toJSON", "toISOString"] as const) {
    it(`set: with Date.prototype.${method} replaced, the Date is checked as JSON writes it`, () => {
      const original = Date.prototype[method];
      const expires = inAnHour();
      const saved = {
        cookie: new Cookie({ expires: null, originalExpires: expires }),
      } as unknown as Session;
      const store = new ByteStore();
      Date.prototype[method] = () => "soon";
      let saveError: unknown;
      try {
        saveError = outcome((done) => new FastifySessionStore(store).set("sid", saved, done));
      } finally {
        Date.prototype[method] = original;
      }
      expect(saveError).to.be.instanceOf(TypeError);
      expect((saveError as Error).message).to.equal(
        "Cannot save the session: expected `cookie.originalExpires` to be an ISO date from year 1601 to 9999, or null, got `'soon'` (string)",
      );
      expect(store.data).to.equal(undefined);
      // The same Date, once Date is itself again, is saved.
      expect(outcome((done) => new FastifySessionStore(store).set("sid", saved, done))).to.equal(
        null,
      );
      expect(JSON.parse(Buffer.from(store.data as Uint8Array).toString()).cookie).to.deep.equal({
        expires: null,
        originalExpires: expires.toISOString(),
      });
    });
  }
});
