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
      withOwnToJSON,
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

describe("FastifySessionStore: the save check answers as a load of what it saves", () => {
  it("set: refuses a session with the problem its load would report, and saves what loads", () => {
    fc.assert(
      fc.property(session, (saved) => {
        const store = new ByteStore();
        const adapter = new FastifySessionStore(store);
        const saveError = outcome((done) => adapter.set("sid", saved, done));

        // The general check: the JSON of the session, stored as it is, then loaded.
        const loader = new ByteStore();
        loader.data = Buffer.from(JSON.stringify(saved), "utf8");
        const loadError = outcome((done) => new FastifySessionStore(loader).get("sid", done));

        if (loadError instanceof CorruptSessionError) {
          expect(saveError).to.be.instanceOf(TypeError);
          expect((saveError as Error).message).to.equal(
            `Cannot save the session: ${loadError.problem}`,
          );
          expect(store.data).to.equal(undefined);
        } else {
          expect([saveError, loadError]).to.deep.equal([null, null]);
          expect(store.data).to.deep.equal(loader.data);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
