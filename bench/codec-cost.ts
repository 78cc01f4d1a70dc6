// What the adapters' checks cost: each adapter's load (the stored bytes to the session the
// framework sees) and save (the framework's session to the bytes stored), through its own methods
// over a store that hands bytes straight through, against a plain `JSON.parse` and
// `JSON.stringify` of the same session. Run alone with
// `node -r ts-node/register bench/codec-cost.ts`; `npm run bench` includes it.
import type { FindResult, Store } from "../src";
import { ExpressSessionStore } from "../src/express";
import { FastifySessionStore } from "../src/fastify";
import { HonoSessionStore } from "../src/hono";
import { KoaSessionStore } from "../src/koa";
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
  return {
    json,
    roundTrip: () =>
      new Promise<void>((resolve, reject) =>
        adapter.get("sid", (error, loaded) =>
          error
            ? reject(error)
            : adapter.set("sid", loaded as never, (e) => (e ? reject(e) : resolve())),
        ),
      ),
  };
}

function fastifySubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new FastifySessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const expires = inAnHour();
  const cookie = { expires, originalMaxAge: 3_600_000, path: "/", httpOnly: true, secure: false };
  const json = JSON.stringify({ cookie, data: items(bytes) });
  store.data = Buffer.from(json);
  return {
    json,
    roundTrip: () => {
      adapter.get("sid", (error, loaded) => {
        if (error) throw error;
        // @fastify/session hands `set` its Session, whose cookie has a `toJSON`.
        const session = { ...loaded, cookie: { ...cookie, toJSON: () => cookie } };
        adapter.set("sid", session as never, (e) => {
          if (e) throw e;
        });
      });
    },
  };
}

function koaSubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new KoaSessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const json = JSON.stringify({
    data: items(bytes),
    _expire: Date.now() + 3_600_000,
    _maxAge: 3_600_000,
  });
  store.data = Buffer.from(json);
  return {
    json,
    roundTrip: async () => {
      const loaded = await adapter.get("key");
      await adapter.set("key", loaded as Record<string, unknown>);
    },
  };
}

function honoSubject(bytes: number): Subject {
  const store = new ByteStore();
  const adapter = new HonoSessionStore(store, { maxSessionBytes: Number.POSITIVE_INFINITY });
  const _data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(items(bytes))) _data[key] = { value, flash: false };
  const json = JSON.stringify({
    _data,
    _expire: inAnHour().toISOString(),
    _delete: false,
    _accessed: null,
  });
  store.data = Buffer.from(json);
  return {
    json,
    roundTrip: async () => {
      const loaded = await adapter.getSessionById("11111111-1111-4111-8111-111111111111");
      await adapter.persistSessionData("11111111-1111-4111-8111-111111111111", loaded as never);
    },
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

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/**
 * Each adapter's round trip (load, then save) against the plain one, batch by batch: each pair
 * of batches runs both on the same session, one right after the other, the first taken in turn.
 * Reports the median of the pairs' ratios and their middle half.
 */
export async function codecCostTable(): Promise<string> {
  const rows: string[][] = [];
  for (const [name, make] of SUBJECTS) {
    const cells: string[] = [name];
    for (const bytes of CODEC_SIZES) {
      const subject = make(bytes);
      const plain = () => {
        JSON.stringify(JSON.parse(subject.json));
      };
      const times = Math.max(1, Math.round(2_000_000 / bytes));
      await timed(times, subject.roundTrip); // warm-up
      await timed(times, plain);
      const ratios: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const first = round % 2 === 0;
        const a = first ? await timed(times, plain) : await timed(times, subject.roundTrip);
        const b = first ? await timed(times, subject.roundTrip) : await timed(times, plain);
        ratios.push(first ? b / a : a / b);
      }
      ratios.sort((x, y) => x - y);
      const fmt = (ratio: number) => `${ratio.toFixed(2)}×`;
      cells.push(
        `${fmt(quantile(ratios, 0.5))} (${fmt(quantile(ratios, 0.25))}–${fmt(quantile(ratios, 0.75))})`,
      );
    }
    rows.push(cells);
  }
  return table(
    ["adapter, load + save", ...CODEC_SIZES.map((b) => `${b.toLocaleString("en-US")} B`)],
    rows,
  );
}

if (require.main === module) {
  codecCostTable().then((text) => console.log(text));
}
