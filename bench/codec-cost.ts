// What the adapters' checks cost: each adapter's load (the stored bytes to the session the
// framework sees) and save (the framework's session to the bytes stored), through its own methods
// over a store that hands bytes straight through, against the same calls over a store with no
// checks at all (`JSON.parse` of the stored text on load, `JSON.stringify` of the framework's
// session on save, as connect-redis does): the floor of any store that keeps JSON. For context,
// each against a plain `JSON.parse` and `JSON.stringify` of the session's text, beside its
// framework's calling convention alone (the same calls on a stand-in that answers at once, as the
// adapter does over this store), which weighs most on small sessions. Run alone with
// `node -r ts-node/register bench/codec-cost.ts`; `npm run bench` includes it.
import type { FindResult, Store } from "../src";
import { ExpressSessionStore } from "../src/express";
import { FastifySessionStore } from "../src/fastify";
import { HonoSessionStore } from "../src/hono";
import { KoaSessionStore } from "../src/koa";
import { formatSpread, type Spread, spreadOf, verdict } from "./paired";
import { table } from "./report";
import { QUICK } from "./settings";

/** Session sizes measured, in bytes of JSON. */
export const CODEC_SIZES = [1_000, 100_000, 1_000_000];
const ROUNDS = QUICK ? 5 : 21;

/** A store that keeps the bytes it is given and hands them back, with no copy and no check. */
class ByteStore implements Store {
  data: Uint8Array = new Uint8Array(0);
  find(): FindResult {
    return { exists: true, data: this.data };
  }
  save(_token: string, data: Uint8Array): void {
    this.data = data;
  }
  delete(): void {}
  touch(): boolean {
    return true;
  }
}

/** Session data of about `bytes` bytes of JSON: many small entries, as an app's would be. */
function items(bytes: number): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (let i = 0; i < Math.ceil(bytes / 44); i++)
    data[`key${i}`] = { n: i, s: `value ${i}`, ok: true };
  return data;
}

const inAnHour = () => new Date(Date.now() + 3_600_000);

/** One adapter's load and save of one session, through its own methods. */
interface Subject {
  /** The session as JSON, for the plain round trip. */
  json: string;
  roundTrip(): Promise<void> | void;
  /** The same calls on a stand-in that answers at once, in the framework's calling convention. */
  convention(): Promise<void> | void;
  /** The same calls on a store with no checks: it parses on load and stringifies on save. */
  noChecks(): Promise<void> | void;
}

/** Loads the stored JSON, and stores the JSON of what it is given, with no check. */
function unchecked(json: string): { load(): unknown; save(session: unknown): void } {
  let stored = Buffer.from(json);
  return {
    load: () => JSON.parse(stored.toString()),
    save: (session) => {
      stored = Buffer.from(JSON.stringify(session));
    },
  };
}

/** express-session's calls: `get`, then `set` of what it loaded, each answering in a callback. */
interface ExpressCalls {
  get(sid: string, callback: (error: unknown, session?: unknown) => void): void;
  set(sid: string, session: never, callback: (error?: unknown) => void): void;
}

function expressSubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new ExpressSessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const session = {
    cookie: { originalMaxAge: 3_600_000, expires: inAnHour(), httpOnly: true, path: "/" },
    data: items(bytes),
  };
  const json = JSON.stringify(session);
  store.data = Buffer.from(json);
  const roundTrip = (calls: ExpressCalls) => () =>
    new Promise<void>((resolve, reject) =>
      calls.get("sid", (error, loaded) =>
        error
          ? reject(error)
          : calls.set("sid", loaded as never, (e) => (e ? reject(e) : resolve())),
      ),
    );
  // The adapter answers in a later tick, as express-session's own MemoryStore does.
  const standIn: ExpressCalls = {
    get: (_sid, callback) => process.nextTick(callback, null, session),
    set: (_sid, _session, callback) => process.nextTick(callback),
  };
  const plain = unchecked(json);
  const noChecks: ExpressCalls = {
    get: (_sid, callback) => process.nextTick(callback, null, plain.load()),
    set: (_sid, session, callback) => {
      plain.save(session);
      process.nextTick(callback);
    },
  };
  return {
    json,
    roundTrip: roundTrip(adapter as ExpressCalls),
    convention: roundTrip(standIn),
    noChecks: roundTrip(noChecks),
  };
}

/** @fastify/session's calls: `get`, then `set` of its Session, each answering in a callback. */
interface FastifyCalls {
  get(sid: string, callback: (error: unknown, session?: unknown) => void): void;
  set(sid: string, session: never, callback: (error?: unknown) => void): void;
}

function fastifySubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new FastifySessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const expires = inAnHour();
  const cookie = { expires, originalMaxAge: 3_600_000, path: "/", httpOnly: true, secure: false };
  const json = JSON.stringify({ cookie, data: items(bytes) });
  store.data = Buffer.from(json);
  const roundTrip = (calls: FastifyCalls) => () => {
    calls.get("sid", (error, loaded) => {
      if (error) throw error;
      // @fastify/session hands `set` its Session, whose cookie has a `toJSON`.
      const session = { ...(loaded as object), cookie: { ...cookie, toJSON: () => cookie } };
      calls.set("sid", session as never, (e) => {
        if (e) throw e;
      });
    });
  };
  // Over a store that answers at once, the adapter calls back before it returns.
  const loaded = { cookie, data: {} };
  const standIn: FastifyCalls = {
    get: (_sid, callback) => callback(null, loaded),
    set: (_sid, _session, callback) => callback(),
  };
  const plain = unchecked(json);
  const noChecks: FastifyCalls = {
    get: (_sid, callback) => callback(null, plain.load()),
    set: (_sid, session, callback) => {
      plain.save(session);
      callback();
    },
  };
  return {
    json,
    roundTrip: roundTrip(adapter as FastifyCalls),
    convention: roundTrip(standIn),
    noChecks: roundTrip(noChecks),
  };
}

/** koa-session's calls: `get`, then `set` of what it loaded, each a Promise. */
interface KoaCalls {
  get(key: string): Promise<unknown>;
  set(key: string, session: Record<string, unknown>): Promise<void>;
}

function koaSubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new KoaSessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const session = { data: items(bytes), _expire: Date.now() + 3_600_000, _maxAge: 3_600_000 };
  const json = JSON.stringify(session);
  store.data = Buffer.from(json);
  const roundTrip = (calls: KoaCalls) => async () => {
    const loaded = await calls.get("key");
    await calls.set("key", loaded as Record<string, unknown>);
  };
  // koa-session awaits the store's Promises; the adapter's methods are async functions.
  const standIn: KoaCalls = {
    get: async () => session,
    set: async () => {},
  };
  const plain = unchecked(json);
  const noChecks: KoaCalls = {
    get: async () => plain.load(),
    set: async (_key, loaded) => plain.save(loaded),
  };
  return {
    json,
    roundTrip: roundTrip(adapter),
    convention: roundTrip(standIn),
    noChecks: roundTrip(noChecks),
  };
}

/** hono-sessions' calls: `getSessionById`, then `persistSessionData`, each awaited. */
interface HonoCalls {
  getSessionById(sessionId: string): unknown;
  persistSessionData(sessionId: string, session: never): unknown;
}

function honoSubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new HonoSessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const _data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(items(bytes))) _data[key] = { value, flash: false };
  const session = { _data, _expire: inAnHour().toISOString(), _delete: false, _accessed: null };
  const json = JSON.stringify(session);
  store.data = Buffer.from(json);
  const id = "11111111-1111-4111-8111-111111111111";
  const roundTrip = (calls: HonoCalls) => async () => {
    const loaded = await calls.getSessionById(id);
    await calls.persistSessionData(id, loaded as never);
  };
  // hono-sessions awaits each call; over a store that answers at once, the adapter answers so too.
  const standIn: HonoCalls = {
    getSessionById: () => session,
    persistSessionData: () => undefined,
  };
  const plain = unchecked(json);
  const noChecks: HonoCalls = {
    getSessionById: () => plain.load(),
    persistSessionData: (_id, loaded) => plain.save(loaded),
  };
  return {
    json,
    roundTrip: roundTrip(adapter),
    convention: roundTrip(standIn),
    noChecks: roundTrip(noChecks),
  };
}

const SUBJECTS: [string, (bytes: number) => Subject][] = [
  ["express-session", expressSubject],
  ["@fastify/session", fastifySubject],
  ["koa-session", koaSubject],
  ["hono-sessions", honoSubject],
];

/** How long `work` takes, in ns, repeated `times` times. */
async function timed(times: number, work: () => Promise<void> | void): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < times; i++) await work();
  return Number(process.hrtime.bigint() - started) / times;
}

const fmt = (ratio: number) => `${ratio.toFixed(2)}×`;

/**
 * How long `work` takes against `base`, batch by batch: each pair of batches runs both, one right
 * after the other, the first taken in turn. The median of the pairs' ratios, and in brackets their
 * middle half. `bytes` of JSON set the batch's length.
 */
async function ratioTo(
  bytes: number,
  base: () => Promise<void> | void,
  work: () => Promise<void> | void,
): Promise<Spread> {
  const times = Math.max(1, Math.round(2_000_000 / bytes));
  await timed(times, work); // warm-up
  await timed(times, base);
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const first = round % 2 === 0;
    const a = first ? await timed(times, base) : await timed(times, work);
    const b = first ? await timed(times, work) : await timed(times, base);
    ratios.push(first ? b / a : a / b);
  }
  return spreadOf(ratios);
}

/** How long `work` takes against the plain round trip of `json` (see {@link ratioTo}). */
const ratioToPlain = (json: string, work: () => Promise<void> | void) =>
  ratioTo(
    json.length,
    () => {
      JSON.stringify(JSON.parse(json));
    },
    work,
  );

const cell = (spread: Spread) => formatSpread(spread);

/**
 * The goal: the adapter's load + save, checks included, within 1.5× of the same calls over a store
 * that only parses and stringifies: the plain JSON round trip of the same session, as its
 * framework hands it over and calls its store.
 */
const CODEC_GOAL = 1.5;

/**
 * Two tables. First, what the checks cost: each adapter's round trip (load, then save) against
 * the same calls over a store with no checks, at every size, batch by batch; the goal is judged
 * on it. Second, for context, each against the plain round trip of the session's text: the
 * adapter, the store with no checks (the floor: what any store that keeps JSON pays in that
 * framework, its own objects such as a cookie's `Date` and `toJSON` included, and the text decoded
 * and encoded), and the framework's calling convention alone.
 */
export async function codecCostTable(): Promise<string> {
  const checks: string[][] = [];
  const context: string[][] = [];
  const misses: string[] = [];
  for (const [name, make] of SUBJECTS) {
    const against: string[] = [name];
    const adapter: string[] = [name];
    const floor: string[] = [`${name}: a store with no checks`];
    const convention: string[] = [`${name}: its calling convention alone`];
    for (const bytes of CODEC_SIZES) {
      const subject = make(bytes);
      const spread = await ratioTo(subject.json.length, subject.noChecks, subject.roundTrip);
      against.push(cell(spread));
      const judged = verdict(spread.median, CODEC_GOAL, true, fmt);
      if (judged !== "met") misses.push(`${name} at ${bytes.toLocaleString("en-US")} B ${judged}`);
      adapter.push(cell(await ratioToPlain(subject.json, subject.roundTrip)));
      floor.push(cell(await ratioToPlain(subject.json, subject.noChecks)));
      convention.push(cell(await ratioToPlain(subject.json, subject.convention)));
    }
    checks.push(against);
    context.push(adapter, floor, convention);
  }
  const sizes = CODEC_SIZES.map((b) => `${b.toLocaleString("en-US")} B`);
  const goal =
    `Goal: every adapter's load + save, checks included, at most ${fmt(CODEC_GOAL)} the same framework's plain JSON round trip, at every size: ` +
    (misses.length === 0 ? "met." : `${misses.join("; ")}; met elsewhere.`);
  return [
    goal,
    table(["load + save, against a store with no checks", ...sizes], checks),
    table(["load + save, against the plain round trip of the text", ...sizes], context),
  ].join("\n\n");
}

if (require.main === module) {
  codecCostTable().then((text) => console.log(text));
}
