// The adapters at the byte-store ceiling: each framework's example app over four stores in one
// process (ours over MemStore; a store that keeps the session's JSON in a Map, with no checks; the
// same store with MemStore in place of the Map; the framework's default), requests alternated one
// by one through the framework's own in-process injection, CPU per request. Run alone with
// `node -r ts-node/register bench/adapters-inject.ts`; `npm run bench` runs it in a fresh process
// (bench/adapters-child.ts).
import { setImmediate as turn } from "node:timers/promises";
import { MemoryStore as FastifyMemoryStore, type SessionStore } from "@fastify/session";
import session from "express-session";
import { MemoryStore as HonoMemoryStore, type Store as HonoStore } from "hono-sessions";
import inject from "light-my-request";
import { createApp as createExpressApp } from "../examples/express/app";
import { createApp as createFastifyApp } from "../examples/fastify/app";
import { createApp as createHonoApp } from "../examples/hono/app";
import { createApp as createKoaApp, type KoaExternalStore } from "../examples/koa/app";
import { MemStore } from "../src";
import { utf8Text } from "../src/adapters/shared/session-codec";
import { ExpressSessionStore } from "../src/express";
import { FIND_TEXT, SAVE_TEXT } from "../src/stores/mem/text-access";
import { formatSpread, type Spread, spreadOf, verdict } from "./paired";
import { progress, table } from "./report";
import { ONE_HOUR_MS, QUICK, sessionObject } from "./settings";

const RUN = QUICK
  ? { rounds: 3, requests: 40, warmup: 100 }
  : { rounds: 21, requests: 300, warmup: 1_000 };
const ROUTES = ["/get", "/put"] as const;
type Route = (typeof ROUTES)[number];
/** The route that changes a field of the session, so that the framework saves it. */
const PUT_PATH = "/count";
/** The route that puts {@link BIG_SESSION} in the session, for the section on a session at the bound. */
const FILL_PATH = "/fill";
/** Bytes of JSON of the data {@link FILL_PATH} puts in the session: just under the default bound. */
const BIG_SESSION_BYTES = 1_000_000;
/** Many small entries, as an app's would be, made once when the section needs them. */
let BIG_SESSION: Record<string, unknown> = {};
/**
 * Ours; MemStore with no check ("bare": the ceiling's store over MemStore's text path in place of
 * its Map); the byte-store ceiling; the framework's default store.
 */
const STORE_KINDS = ["ours", "bare", "ceiling", "default"] as const;
type StoreKind = (typeof STORE_KINDS)[number];

/** One app, seen as what a request costs: a request with the session's cookie, to `path`. */
type Requester = (path: string, cookie: string) => Promise<{ cookies: string[]; body: string }>;

interface Framework {
  name: string;
  /** The framework's default store, named. */
  defaultStore: string;
  /** The app over the store of `kind`, ready for requests. */
  app(kind: StoreKind): Promise<Requester>;
}

let counter = 0;
const later = (callback: (error?: unknown, value?: unknown) => void, value?: unknown) =>
  process.nextTick(callback, null, value);

/** Where a ceiling store keeps the sessions' JSON: a Map, or MemStore ({@link memStoreText}). */
interface TextMap {
  get(sid: string): string | undefined;
  set(sid: string, json: string): void;
  delete(sid: string): void;
}

/**
 * A {@link TextMap} over MemStore, through the text path our adapters take (an all-ASCII JSON
 * text stored and read back as it is), with no check: what MemStore costs in place of a Map.
 * Sessions are kept for an hour.
 */
function memStoreText(): TextMap {
  const store = new MemStore(300_000);
  return {
    get: (sid) => {
      const found = store[FIND_TEXT](sid);
      if (typeof found === "string") return found;
      return found.exists ? utf8Text(found.data) : undefined;
    },
    set: (sid, json) =>
      store[SAVE_TEXT](
        sid,
        json,
        Buffer.byteLength(json, "utf8") === json.length,
        new Date(Date.now() + ONE_HOUR_MS),
        undefined,
      ),
    delete: (sid) => store.delete(sid),
  };
}

/**
 * The byte-store ceiling for express-session: the session's JSON in a Map (or `sessions`), no
 * checks, calling back in the next tick, as ours does.
 */
class ExpressCeiling extends session.Store {
  constructor(private readonly sessions: TextMap = new Map<string, string>()) {
    super();
  }
  override get(
    sid: string,
    callback: (error: unknown, session?: session.SessionData | null) => void,
  ) {
    const json = this.sessions.get(sid);
    later(callback as never, json === undefined ? null : JSON.parse(json));
  }
  override set(sid: string, data: session.SessionData, callback?: (error?: unknown) => void) {
    this.sessions.set(sid, JSON.stringify(data));
    if (callback) later(callback);
  }
  override touch(sid: string, data: session.SessionData, callback?: () => void) {
    this.sessions.set(sid, JSON.stringify(data));
    if (callback) later(callback);
  }
  override destroy(sid: string, callback?: (error?: unknown) => void) {
    this.sessions.delete(sid);
    if (callback) later(callback);
  }
}

/** The byte-store ceiling for @fastify/session, calling back in the same turn, as ours does. */
function fastifyCeiling(sessions: TextMap = new Map<string, string>()): SessionStore {
  return {
    get: (sid, callback) => {
      const json = sessions.get(sid);
      callback(null, json === undefined ? null : JSON.parse(json));
    },
    set: (sid, data, callback) => {
      sessions.set(sid, JSON.stringify(data));
      callback();
    },
    destroy: (sid, callback) => {
      sessions.delete(sid);
      callback();
    },
  };
}

/** The byte-store ceiling for koa-session, as an external store. */
function koaCeiling(sessions: TextMap = new Map<string, string>()): KoaExternalStore {
  return {
    get: async (key: string) => {
      const json = sessions.get(key);
      return json === undefined ? undefined : JSON.parse(json);
    },
    set: async (key: string, data: unknown) => {
      sessions.set(key, JSON.stringify(data));
    },
    destroy: async (key: string) => {
      sessions.delete(key);
    },
  };
}

/** The byte-store ceiling for hono-sessions. */
function honoCeiling(sessions: TextMap = new Map<string, string>()): HonoStore {
  const put = (sid: string, data: unknown) => {
    sessions.set(sid, JSON.stringify(data));
  };
  return {
    getSessionById: (sid) => {
      const json = sid === undefined ? undefined : sessions.get(sid);
      return json === undefined ? null : JSON.parse(json);
    },
    createSession: put,
    persistSessionData: put,
    deleteSession: (sid) => {
      sessions.delete(sid);
    },
  };
}

/** The name=value pairs of `set-cookie` headers. */
const cookiesOf = (header: string | string[] | undefined) =>
  (header === undefined ? [] : Array.isArray(header) ? header : [header]).map(
    (cookie) => cookie.split(";")[0] as string,
  );

const FRAMEWORKS: Framework[] = [
  {
    name: "express-session",
    defaultStore: "express-session MemoryStore",
    app: async (kind) => {
      const store = {
        ours: () => new MemStore(300_000),
        bare: () => new ExpressCeiling(memStoreText()),
        ceiling: () => new ExpressCeiling(),
        default: () => new session.MemoryStore(),
      }[kind]();
      const app = createExpressApp({ store, secret: "benchmark secret" });
      app.get(PUT_PATH, (req, res) => {
        (req.session as unknown as { n: number }).n = counter++;
        res.type("text/plain").send("Counted.\n");
      });
      app.get(FILL_PATH, (req, res) => {
        (req.session as unknown as { big: unknown }).big = BIG_SESSION;
        res.type("text/plain").send("Filled.\n");
      });
      return async (path, cookie) => {
        const response = await inject(app, { method: "GET", url: path, headers: { cookie } });
        return { cookies: cookiesOf(response.headers["set-cookie"]), body: response.payload };
      };
    },
  },
  {
    name: "@fastify/session",
    defaultStore: "@fastify/session MemoryStore",
    app: async (kind) => {
      const store = {
        ours: () => new MemStore(300_000),
        bare: () => fastifyCeiling(memStoreText()),
        ceiling: () => fastifyCeiling(),
        default: () => new FastifyMemoryStore(),
      }[kind]();
      const app = await createFastifyApp({
        store,
        secret: "a benchmark secret of thirty-two characters",
      });
      app.get(PUT_PATH, async (request, reply) => {
        (request.session as unknown as { n: number }).n = counter++;
        return reply.type("text/plain").send("Counted.\n");
      });
      app.get(FILL_PATH, async (request, reply) => {
        (request.session as unknown as { big: unknown }).big = BIG_SESSION;
        return reply.type("text/plain").send("Filled.\n");
      });
      await app.ready();
      return async (path, cookie) => {
        const response = await app.inject({ method: "GET", url: path, headers: { cookie } });
        return { cookies: cookiesOf(response.headers["set-cookie"]), body: response.payload };
      };
    },
  },
  {
    name: "koa-session",
    defaultStore: "koa-session cookie sessions",
    app: async (kind) => {
      const store = {
        ours: () => new MemStore(300_000),
        bare: () => koaCeiling(memStoreText()),
        ceiling: () => koaCeiling(),
        default: () => null,
      }[kind]();
      const app = createKoaApp({ store, secret: "benchmark secret" });
      app.use(async (ctx, next) => {
        if (ctx.path === FILL_PATH) {
          (ctx.session as unknown as { big: unknown }).big = BIG_SESSION;
          ctx.type = "text/plain";
          ctx.body = "Filled.\n";
          return;
        }
        if (ctx.path !== PUT_PATH) return next();
        (ctx.session as unknown as { n: number }).n = counter++;
        ctx.type = "text/plain";
        ctx.body = "Counted.\n";
      });
      const handler = app.callback();
      return async (path, cookie) => {
        const response = await inject(handler, { method: "GET", url: path, headers: { cookie } });
        return { cookies: cookiesOf(response.headers["set-cookie"]), body: response.payload };
      };
    },
  },
  {
    name: "hono-sessions",
    defaultStore: "hono-sessions MemoryStore",
    app: async (kind) => {
      const store = {
        ours: () => new MemStore(300_000),
        bare: () => honoCeiling(memStoreText()),
        ceiling: () => honoCeiling(),
        default: () => new HonoMemoryStore(),
      }[kind]();
      const app = createHonoApp({ store });
      app.get(PUT_PATH, (c) => {
        (c.get("session") as unknown as { set(key: string, value: unknown): void }).set(
          "n",
          counter++,
        );
        return c.text("Counted.\n");
      });
      app.get(FILL_PATH, (c) => {
        (c.get("session") as unknown as { set(key: string, value: unknown): void }).set(
          "big",
          BIG_SESSION,
        );
        return c.text("Filled.\n");
      });
      return async (path, cookie) => {
        const response = await app.request(path, { headers: { cookie } });
        return { cookies: response.headers.getSetCookie(), body: await response.text() };
      };
    },
  },
];

/** An app with a live session: its requester and the session's cookie. */
interface LiveApp {
  kind: StoreKind;
  request: Requester;
  cookie: string;
}

async function liveApp(framework: Framework, kind: StoreKind): Promise<LiveApp> {
  const request = await framework.app(kind);
  const { cookies } = await request("/put", "");
  const cookie = cookies.map((pair) => pair.split(";")[0]).join("; ");
  for (const path of ["/get", PUT_PATH, "/get"]) {
    const { body } = await request(path, cookie);
    if (path === "/get" && body !== "Hello world!") {
      throw new Error(`${framework.name} over ${kind}: /get answered ${JSON.stringify(body)}`);
    }
  }
  return { kind, request, cookie };
}

/** Microseconds of CPU (user and system) that `work` takes, the process's whole. */
async function cpuOf(work: () => Promise<unknown>): Promise<number> {
  const started = process.cpuUsage();
  await work();
  const { user, system } = process.cpuUsage(started);
  return user + system;
}

/** One framework's figures: CPU per request of each store, and the throughput ratios, by route. */
interface FrameworkFigures {
  cpuUs: Map<string, Spread>;
  oursToCeiling: Map<Route, Spread>;
  /** What the checks cost: ours against the same MemStore with no check. */
  oursToBare: Map<Route, Spread>;
  /** What MemStore costs: MemStore with no check against the ceiling's Map. */
  bareToCeiling: Map<Route, Spread>;
  oursToDefault: Map<Route, Spread>;
}

async function measureFramework(framework: Framework): Promise<FrameworkFigures> {
  const apps: LiveApp[] = [];
  for (const kind of STORE_KINDS) apps.push(await liveApp(framework, kind));
  const pathOf = (route: Route) => (route === "/put" ? PUT_PATH : route);
  for (const route of ROUTES) {
    for (let i = 0; i < RUN.warmup; i++) {
      for (const app of apps) {
        await app.request(pathOf(route), app.cookie);
        await turn();
      }
    }
  }
  const perRound = new Map<string, number[]>();
  const push = (key: string, value: number) =>
    perRound.set(key, [...(perRound.get(key) ?? []), value]);
  for (let round = 1; round <= RUN.rounds; round++) {
    progress(
      `${framework.name} in process, round ${round}/${RUN.rounds}: ${RUN.requests} requests of each route on each store, alternated`,
    );
    for (const route of ROUTES) {
      const totals = new Map<StoreKind, number>(STORE_KINDS.map((kind) => [kind, 0]));
      for (let i = 0; i < RUN.requests; i++) {
        // One request on each app in turn, each request starting one app further on.
        for (let j = 0; j < apps.length; j++) {
          const app = apps[(i + j) % apps.length] as LiveApp;
          const us = await cpuOf(() => app.request(pathOf(route), app.cookie));
          totals.set(app.kind, (totals.get(app.kind) as number) + us);
          // The event loop turns between requests, as in a server, untimed: otherwise what each
          // request leaves to a later turn (light-my-request's socket writes, in setImmediate)
          // piles up over the round, and collecting the pile lands on whichever request is next.
          await turn();
        }
      }
      const per = (kind: StoreKind) => (totals.get(kind) as number) / RUN.requests;
      for (const kind of STORE_KINDS) push(`${route}|${kind}`, per(kind));
      push(`${route}|ours/ceiling`, per("ceiling") / per("ours"));
      push(`${route}|ours/bare`, per("bare") / per("ours"));
      push(`${route}|bare/ceiling`, per("ceiling") / per("bare"));
      push(`${route}|ours/default`, per("default") / per("ours"));
    }
  }
  const spread = (key: string) => spreadOf(perRound.get(key) ?? []);
  return {
    cpuUs: new Map(
      ROUTES.flatMap((route) =>
        STORE_KINDS.map((kind) => [`${route}|${kind}`, spread(`${route}|${kind}`)]),
      ),
    ),
    oursToCeiling: new Map(ROUTES.map((route) => [route, spread(`${route}|ours/ceiling`)])),
    oursToBare: new Map(ROUTES.map((route) => [route, spread(`${route}|ours/bare`)])),
    bareToCeiling: new Map(ROUTES.map((route) => [route, spread(`${route}|bare/ceiling`)])),
    oursToDefault: new Map(ROUTES.map((route) => [route, spread(`${route}|ours/default`)])),
  };
}

/** The goal: each adapter at 0.95× of the ceiling or more. */
const CEILING_GOAL = 0.95;
/** express-session: at least MemoryStore's synchronous work per call. */
const MEMORY_STORE_GOAL = 1;
const times = (value: number) => `${value.toFixed(2)}×`;
/** The lowest and highest of `values`, as ratios: `0.93× to 0.97×`. */
const rangeOf = (values: number[]) =>
  `${times(Math.min(...values))} to ${times(Math.max(...values))}`;
const micro = (value: Spread, digits = 1) => formatSpread(value, " µs", digits);

/** The section on the adapters in process, against the byte-store ceiling. */
export async function adaptersInjectSection(): Promise<[string, string, string]> {
  const cpuRows: string[][] = [];
  const ratioRows: string[][] = [];
  const goals: string[] = [];
  const checkRatios: number[] = [];
  const storeRatios: number[] = [];
  let ceilingMissed = false;
  for (const framework of FRAMEWORKS) {
    const figures = await measureFramework(framework);
    for (const route of ROUTES) {
      const toCeiling = figures.oursToCeiling.get(route) as Spread;
      const toBare = figures.oursToBare.get(route) as Spread;
      const bareToCeiling = figures.bareToCeiling.get(route) as Spread;
      checkRatios.push(toBare.median);
      storeRatios.push(bareToCeiling.median);
      const cpu = (kind: StoreKind) => micro(figures.cpuUs.get(`${route}|${kind}`) as Spread);
      cpuRows.push([
        framework.name,
        route,
        cpu("ours"),
        cpu("bare"),
        cpu("ceiling"),
        `${cpu("default")} (${framework.defaultStore})`,
      ]);
      ratioRows.push([
        framework.name,
        route,
        formatSpread(toCeiling),
        formatSpread(toBare),
        formatSpread(bareToCeiling),
        formatSpread(figures.oursToDefault.get(route) as Spread),
      ]);
      goals.push(
        `${framework.name} ${route} ${times(toCeiling.median)}, ${verdict(toCeiling.median, CEILING_GOAL, false, times)}`,
      );
      if (toCeiling.median < CEILING_GOAL) ceilingMissed = true;
    }
  }
  const express = await expressCallCost();
  const expressGoals = express.rows
    .map(
      ({ label, ratio }) =>
        `${label} ${times(ratio.median)}, ${verdict(ratio.median, MEMORY_STORE_GOAL, false, times)}`,
    )
    .join("; ");
  const rowOf = (label: "set" | "get") => express.rows.find((row) => row.label === label);
  const missed = (label: "set" | "get") =>
    (rowOf(label)?.ratio.median ?? MEMORY_STORE_GOAL) < MEMORY_STORE_GOAL;
  /** A call's synchronous work and its callback's turn, in µs. */
  const wholeCallUs = (label: "set" | "get", who: "ours" | "theirs") => {
    const row = rowOf(label);
    return row === undefined ? 0 : row.syncUs[who].median + row.turnUs[who].median;
  };
  const text =
    "In a fresh process, as a server starts (after the sections before it, which run MemStore and node-cache in every configuration they try, our adapter measured lower): each framework's example app (`examples/`) four times, over our adapter and MemStore; " +
    "over the byte-store ceiling, a store in the framework's own store API that keeps `JSON.stringify` of the session in a Map and parses it back, with no check " +
    "(called as our adapter is answered: callbacks in the next tick for express-session and in the same turn for @fastify/session, Promises for koa-session, values at once for hono-sessions); " +
    "over the same store with MemStore in place of its Map (`MemStore, no check`: the JSON text saved and found through the text path our adapters take, kept for an hour); and over the framework's default store. " +
    "`/get` is the app's own, reading a field of a live session; `/put` is a route added to each app that sets a counter in the session, so that every request changes it and the framework saves it. Requests go through the framework's own in-process injection " +
    "(`fastify.inject`, light-my-request for express and Koa, Hono's `app.request`), alternated one by one between the four apps, each request starting one app further on; " +
    `each is timed in CPU (\`process.cpuUsage\`, user and system), and the event loop turns after it, untimed, as it does between a server's requests (the injections leave their socket writes to \`setImmediate\`; a loop that never turned let them pile up over a round, and the garbage collector's work on the pile, landing on whichever request came next, was half the CPU of some rounds). ${RUN.rounds} rounds of ${RUN.requests} requests of each route on each app; ` +
    "the medians of the rounds, in brackets their middle half. The ratios are of throughput (the other's CPU per request over ours; above 1, ours is cheaper), each taken round by round: `ours ÷ ceiling` splits into what the checks cost (`ours ÷ no check`) and what MemStore costs against a Map (`no check ÷ ceiling`). " +
    "Section 5 loads the same apps over HTTP, its rounds listed with their spread. " +
    `Goal: each adapter at ${times(CEILING_GOAL)} of the ceiling or more: ${goals.join("; ")}.` +
    (ceilingMissed
      ? ` Why: two costs, which the app over MemStore with no check tells apart; the request's other work is the same on every app, so each cost is its share of the request. The checks, ${rangeOf(checkRatios)} (\`ours ÷ no check\`): ours checks every session its framework hands it and every one it loads (a session over the size bound, one that nests too deep or holds what JSON cannot, stored text that is not strict UTF-8 JSON of a session its framework can read, a field that would reach an object's prototype); section 1c measures them by session size. MemStore, ${rangeOf(storeRatios)} (\`no check ÷ ceiling\`): it keeps each session in node-cache, through node-cache's own methods, with the session's exact expiry checked on every read and set on every write, where the ceiling reads and writes a Map and never expires anything.`
      : "") +
    "\n\n" +
    "express-session's Store calls on their own, as a request makes them, one after the other, each in the callback of the one before: " +
    `pairs of chains of ${CALLS.chain.toLocaleString("en-US")} \`set\` or \`get\` calls, ExpressSessionStore over MemStore and express-session's MemoryStore one right after the other, the first taken in turn (${CALLS.pairs} pairs). ` +
    "Each call's synchronous work (from the call to its return, throughput ratio in the middle column) and its callback's turn (from the return to the callback: " +
    "ours is answered in `process.nextTick`, MemoryStore in `setImmediate`) are timed apart. " +
    `Goal: at least ${times(MEMORY_STORE_GOAL)} MemoryStore's throughput in synchronous work per call: ${expressGoals}.` +
    (missed("set")
      ? " Why `set` misses: MemoryStore's `set` is `JSON.stringify` and an assignment to an object's key; ours also checks the session (its size against the bound, its depth, its cookie's fields) and MemStore keeps its text in node-cache with the session's exact expiry."
      : "") +
    (missed("get")
      ? " Why `get` misses: MemoryStore's `get` is a lookup, `JSON.parse` and a look at the cookie's expiry; ours also checks the token, reads node-cache, which checks the session's exact expiry, and checks every field express-session reads before handing the session on (a stored session that fails is removed and reported, where MemoryStore hands it on as it is)."
      : "") +
    ` With the callback's turn, a whole \`set\` takes ${wholeCallUs("set", "ours").toFixed(2)} µs against MemoryStore's ${wholeCallUs("set", "theirs").toFixed(2)} µs, and a whole \`get\` ${wholeCallUs("get", "ours").toFixed(2)} µs against ${wholeCallUs("get", "theirs").toFixed(2)} µs.` +
    `\n\n${express.table}`;
  return [
    "5b. The adapters against the byte-store ceiling, in process",
    text,
    `${table(
      ["CPU per request", "route", "ours", "MemStore, no check", "ceiling", "default store"],
      cpuRows,
    )}\n\n${table(
      [
        "throughput ratio",
        "route",
        "ours ÷ ceiling",
        "ours ÷ no check",
        "no check ÷ ceiling",
        "ours ÷ default",
      ],
      ratioRows,
    )}`,
  ];
}

const CALLS = { chain: 1_000, pairs: QUICK ? 10 : 100, sessions: 1_000 };

type Call = (i: number, callback: () => void) => void;

/**
 * `count` calls one after the other, each made in the callback of the one before, as a request
 * makes them: the mean synchronous work of a call (from the call to its return) and the mean
 * turn of its callback (from the return to the callback), in microseconds.
 */
function chain(call: Call, count: number): Promise<{ syncUs: number; turnUs: number }> {
  return new Promise((resolve) => {
    let [i, syncMs, turnMs, returnedMs] = [0, 0, 0, 0];
    const next = () => {
      if (i > 0) turnMs += performance.now() - returnedMs;
      if (i === count) {
        resolve({ syncUs: (syncMs * 1_000) / count, turnUs: (turnMs * 1_000) / count });
        return;
      }
      const startedMs = performance.now();
      call(i++, next);
      returnedMs = performance.now();
      syncMs += returnedMs - startedMs;
    };
    next();
  });
}

/**
 * ExpressSessionStore over MemStore against express-session's MemoryStore, call by call: pairs
 * of chains of `set` or `get` calls, the two stores one right after the other, the first taken
 * in turn. The synchronous work and the callback's turn are timed apart, call by call.
 */
async function expressCallCost() {
  const memStore = new MemStore(300_000);
  const stores = { ours: new ExpressSessionStore(memStore), theirs: new session.MemoryStore() };
  const data = sessionObject() as unknown as session.SessionData;
  const sids = Array.from({ length: CALLS.sessions }, (_, i) => `sid-${i}`.padStart(32, "s"));
  for (const store of Object.values(stores)) for (const sid of sids) store.set(sid, data);
  await turn();
  const sid = (i: number) => sids[i % CALLS.sessions] as string;
  const callsOf = (store: session.Store): Record<"set" | "get", Call> => ({
    set: (i, callback) => store.set(sid(i), data, callback),
    get: (i, callback) => store.get(sid(i), callback),
  });
  const calls = { ours: callsOf(stores.ours), theirs: callsOf(stores.theirs) };
  const rows = [];
  for (const label of ["set", "get"] as const) {
    progress(`express-session Store calls: ${label}, ${CALLS.pairs} pairs of chains`);
    const ratios: number[] = [];
    const syncUs = { ours: [] as number[], theirs: [] as number[] };
    const turnUs = { ours: [] as number[], theirs: [] as number[] };
    for (const who of ["ours", "theirs"] as const) await chain(calls[who][label], CALLS.chain); // warm-up
    for (let pair = 0; pair < CALLS.pairs; pair++) {
      const order = pair % 2 === 0 ? (["ours", "theirs"] as const) : (["theirs", "ours"] as const);
      const got = { ours: 0, theirs: 0 };
      for (const who of order) {
        const timed = await chain(calls[who][label], CALLS.chain);
        got[who] = timed.syncUs;
        syncUs[who].push(timed.syncUs);
        turnUs[who].push(timed.turnUs);
      }
      ratios.push(got.theirs / got.ours);
    }
    rows.push({
      label,
      ratio: spreadOf(ratios),
      syncUs: { ours: spreadOf(syncUs.ours), theirs: spreadOf(syncUs.theirs) },
      turnUs: { ours: spreadOf(turnUs.ours), theirs: spreadOf(turnUs.theirs) },
    });
  }
  memStore.close();
  return {
    rows,
    table: table(
      [
        "express-session Store call",
        "synchronous work: ours",
        "MemoryStore",
        "ours, × MemoryStore",
        "callback turn: ours",
        "MemoryStore",
      ],
      rows.map(({ label, ratio, syncUs, turnUs }) => [
        label,
        micro(syncUs.ours, 2),
        micro(syncUs.theirs, 2),
        formatSpread(ratio),
        micro(turnUs.ours, 2),
        micro(turnUs.theirs, 2),
      ]),
    ),
  };
}

if (require.main === module) {
  adaptersInjectSection().then(
    ([title, text, body]) => console.log(`## ${title}\n\n${text}\n\n${body}\n`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

const BOUND_RUN = { requests: QUICK ? 3 : 15 };

/** Sets {@link BIG_SESSION} to entries that make `bytes` of JSON or just over. */
function makeBigSession(bytes: number): string {
  const data: Record<string, unknown> = {};
  let length = 2;
  for (let i = 0; length < bytes; i++) {
    const value = { n: i, s: `value ${i}`, ok: true };
    data[`key${i}`] = value;
    length += `"key${i}":`.length + JSON.stringify(value).length + 1;
  }
  BIG_SESSION = data;
  return JSON.stringify(data);
}

/**
 * What one request costs each framework, in CPU, when its session holds just under the adapters'
 * default bound: ours, the byte-store ceiling and the framework's default store side by side.
 */
export async function boundRequestSection(): Promise<[string, string, string]> {
  const json = makeBigSession(BIG_SESSION_BYTES);
  const plainStarted = process.cpuUsage();
  for (let i = 0; i < 5; i++) JSON.stringify(JSON.parse(json));
  const plain = process.cpuUsage(plainStarted);
  const plainMs = (plain.user + plain.system) / 5 / 1_000;
  const routes = [
    ["/get", "/get", "Hello world!"],
    ["/put", PUT_PATH, "Counted.\n"],
  ] as const;
  const rows: string[][] = [];
  for (const framework of FRAMEWORKS) {
    progress(`${framework.name}: requests with a session of ${BIG_SESSION_BYTES} B`);
    // koa-session's default keeps the session in its cookie, which cannot hold a megabyte.
    // MemStore with no check is section 5b's, where it splits what ours costs.
    const kinds = STORE_KINDS.filter(
      (kind) => kind !== "bare" && (framework.name !== "koa-session" || kind !== "default"),
    );
    const apps: LiveApp[] = [];
    for (const kind of kinds) {
      const app = await liveApp(framework, kind);
      const filled = await app.request(FILL_PATH, app.cookie);
      if (filled.body !== "Filled.\n") {
        throw new Error(`${framework.name} over ${kind}: ${FILL_PATH} answered ${filled.body}`);
      }
      apps.push(app);
    }
    const cpuMs = new Map<string, number[]>();
    for (let i = 0; i < BOUND_RUN.requests; i++) {
      for (const [route, path, expected] of routes) {
        for (let j = 0; j < apps.length; j++) {
          const app = apps[(i + j) % apps.length] as LiveApp;
          let body = "";
          const us = await cpuOf(async () => {
            ({ body } = await app.request(path, app.cookie));
          });
          if (body !== expected) {
            throw new Error(`${framework.name} over ${app.kind}: ${path} answered ${body}`);
          }
          const key = `${route}|${app.kind}`;
          cpuMs.set(key, [...(cpuMs.get(key) ?? []), us / 1_000]);
          await turn();
        }
      }
    }
    for (const [route] of routes) {
      const cell = (kind: StoreKind) => {
        const values = cpuMs.get(`${route}|${kind}`);
        return values === undefined ? "—" : formatSpread(spreadOf(values), " ms", 0);
      };
      rows.push([framework.name, route, cell("ours"), cell("ceiling"), cell("default")]);
    }
  }
  BIG_SESSION = {};
  const text =
    `The apps of section 5b, each with a session that holds ${BIG_SESSION_BYTES.toLocaleString("en-US")} B of JSON in many small entries ` +
    "(just under the adapters' default `maxSessionBytes`, 1 MiB), put there by a route added to each app: " +
    `CPU per request, the medians of ${BOUND_RUN.requests} requests of each route on each store, alternated one by one, in brackets their middle half. ` +
    `A plain \`JSON.stringify(JSON.parse(json))\` of the same data takes ${plainMs.toFixed(0)} ms here. ` +
    "Most of each request is the framework's own work on the session, which every store pays: express-session and @fastify/session serialize it and hash the text to see whether it changed (@fastify/session with a stable stringify that sorts the keys), and hono-sessions hashes the session object with `ohash` more than once a request. " +
    "The bound keeps a request at about this cost; an app whose sessions stay small can lower it.";
  return [
    "1d. A request with a session at the bound",
    text,
    table(["", "route", "ours", "ceiling", "default store"], rows),
  ];
}
