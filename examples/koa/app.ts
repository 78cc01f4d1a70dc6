import Koa from "koa";
import session, { type CreateSessionOptions } from "koa-session";
import type { Store } from "../../src";
import { KoaSessionStore } from "../../src/koa";

/** The session's owner, for the store's index: its user, if a string (anything else is nobody). */
const ownerOf = (session: Record<string, unknown>) =>
  typeof session.user === "string" ? session.user : undefined;

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
GET /destroy     end your session (log out)
GET /login?user=NAME   log in as NAME (a stand-in for a real login), on a new session key
GET /me                who is logged in
GET /sessions          your sessions (where you are logged in)
GET /logout-everywhere end your other sessions, keeping this one
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
  const sessionStore = store === null ? null : external(store);
  // Sessions by owner need this package's adapter: koa-session's own stores have no index.
  const owners = sessionStore instanceof KoaSessionStore ? sessionStore : undefined;
  app.use(
    session({ ...overrides, ...(sessionStore === null ? {} : { store: sessionStore }) }, app),
  );

  app.use(async (ctx, next) => {
    if (ctx.method !== "GET") return next(); // 404, unless a later middleware serves it
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
      case "/login": {
        const { user } = ctx.query;
        if (typeof user !== "string" || user === "") {
          ctx.status = 400;
          ctx.body = "Say who: /login?user=NAME\n";
          return;
        }
        // A new session key at login: a key planted in the browser before it is worth nothing after.
        await ctx.session.regenerate();
        ctx.session.user = user;
        ctx.body = `Logged in as ${user}.\n`;
        return;
      }
      case "/me":
        ctx.body = `${ownerOf(ctx.session.toJSON()) ?? "nobody"}\n`;
        return;
      case "/sessions":
      case "/logout-everywhere": {
        const user = ownerOf(ctx.session.toJSON());
        const key = ctx.session.externalKey;
        if (user === undefined || owners === undefined || key === undefined) {
          ctx.status = 401;
          ctx.body = "Log in first.\n";
          return;
        }
        if (ctx.path === "/sessions") {
          ctx.body = listSessions(user, await owners.sessionsOf(user), key);
        } else {
          const ended = await owners.destroySessionsOf(user, { except: key });
          ctx.body = `Logged out of ${ended} other session(s).\n`;
        }
        return;
      }
    }
    ctx.type = "";
    return next();
  });
  return app;
}

function external(store: Store | KoaExternalStore): KoaExternalStore {
  return "find" in store ? new KoaSessionStore(store, { ownerOf }) : store;
}

/**
 * The sessions of `user`, this one first, newest expiry next. Only their expiries are shown: a
 * session key is as good as a password to whoever reads it.
 */
function listSessions(
  user: string,
  sessions: readonly { id: string; expires: Date }[],
  currentId: string,
): string {
  const sorted = [...sessions].sort(
    (a, b) =>
      Number(b.id === currentId) - Number(a.id === currentId) ||
      b.expires.getTime() - a.expires.getTime(),
  );
  const lines = sorted.map(
    ({ id, expires }) =>
      `- until ${expires.toISOString()}${id === currentId ? " (this session)" : ""}\n`,
  );
  return `${user} is logged in to ${sessions.length} session(s):\n${lines.join("")}`;
}

/**
 * A stored field read as text: a session holds whatever was stored in it (by an older version of
 * the app, by hand), so a value of another type is treated as absent rather than failing every
 * request of that user.
 */
function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}
