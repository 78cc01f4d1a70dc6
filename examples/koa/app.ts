import Koa from "koa";
import session, { type CreateSessionOptions } from "koa-session";
import type { Store } from "../../src";
import { KoaSessionStore } from "../../src/koa";

/** A koa-session external store: what koa-session's `store` option takes. */
export type KoaExternalStore = NonNullable<CreateSessionOptions["store"]>;

/** What {@link createApp} needs. */
export interface ExampleAppOptions {
  /**
   * Where sessions live: any store of this package (wrapped in a `KoaSessionStore`), any
   * koa-session external store, or `null` for koa-session's cookie sessions (no store at all).
   */
  store: Store | KoaExternalStore | null;
  /** The secret that signs session cookies (`app.keys`). */
  secret: string;
  /** koa-session options to change (`maxAge`, `rolling`, `renew`, ...). */
  session?: Omit<CreateSessionOptions, "store">;
  /** Called with each error before the app answers 500. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

const ROUTES = `scs-memstore example (koa-session)
GET /put         store "Hello world!" in your session
GET /get         read it back (empty when there is none)
GET /regenerate  move your session to a new key (as after a login)
GET /destroy     end your session
`;

/** The example app: Go SCS's `/put` and `/get`, on Koa and koa-session over any store. */
export function createApp({
  store,
  secret,
  session: overrides = {},
  onError = console.error,
}: ExampleAppOptions): Koa {
  const app = new Koa();
  // Signed cookies (koa-session's default) need keys: without them every save fails.
  app.keys = [secret];

  // First, so that it also catches what koa-session and its store reject with.
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      onError(error);
      ctx.status = 500;
      ctx.type = "text/plain";
      ctx.body = "Internal Server Error\n";
    }
  });
  app.use(session({ ...overrides, ...(store === null ? {} : { store: external(store) }) }, app));

  app.use(async (ctx) => {
    if (ctx.method !== "GET") return; // 404
    ctx.type = "text/plain";
    switch (ctx.path) {
      case "/":
        ctx.body = ROUTES;
        return;
      case "/put":
        ctx.session.message = "Hello world!";
        ctx.body = "Stored.\n";
        return;
      case "/get":
        ctx.body = textOf(ctx.session.message);
        return;
      case "/regenerate":
        await ctx.session.regenerate();
        ctx.body = "Regenerated.\n";
        return;
      case "/destroy":
        ctx.session = null;
        ctx.body = "Destroyed.\n";
        return;
    }
  });
  return app;
}

function external(store: Store | KoaExternalStore): KoaExternalStore {
  return "find" in store ? new KoaSessionStore(store) : store;
}

/**
 * A stored field read as text: a session holds whatever was stored in it (by an older version of
 * the app, by hand), so a value of another type is treated as absent rather than failing every
 * request of that user.
 */
function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}
