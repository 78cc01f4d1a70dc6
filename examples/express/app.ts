import express, { type Express, type NextFunction, type Request, type Response } from "express";
import session, { type SessionData, type SessionOptions } from "express-session";
import type { Store } from "../../src";
import { ExpressSessionStore } from "../../src/express";

declare module "express-session" {
  interface SessionData {
    /** Unknown: a stored session holds whatever was stored, so it is checked where it is read. */
    message?: unknown;
    /** Who logged in to the session (see `/login`); unknown for the same reason. */
    user?: unknown;
  }
}

/** What {@link createApp} needs. */
export interface ExampleAppOptions {
  /** Where sessions live: any store of this package, or any express-session store. */
  store: Store | session.Store;
  /** The secret that signs session cookies. */
  secret: string;
  /** express-session options to change (cookie `maxAge`, `rolling`, ...). */
  session?: Partial<SessionOptions>;
  /** Called with each error before the app answers 500. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

const ROUTES = `scs-memstore example (express-session)
GET /put               store "Hello world!" in your session
GET /get               read it back (empty when there is none)
GET /put-and-redirect  store it, save the session at once, and redirect to /get
GET /regenerate        move your session to a new ID (as after a login)
GET /destroy           end your session (log out)
GET /login?user=NAME   log in as NAME (a stand-in for a real login), on a new session ID
GET /me                who is logged in
GET /sessions          your sessions (where you are logged in)
GET /logout-everywhere end your other sessions, keeping this one
`;

/** The session's owner, for the store's index: its user, if a string (anything else is nobody). */
const ownerOf = (session: SessionData) =>
  typeof session.user === "string" ? session.user : undefined;

/**
 * The example app: Go SCS's `/put` and `/get`, on express-session over any store of this package.
 */
export function createApp({
  store,
  secret,
  session: overrides,
  onError = console.error,
}: ExampleAppOptions): Express {
  const sessionStore =
    store instanceof session.Store ? store : new ExpressSessionStore(store, { ownerOf });
  const app = express();
  app.use(
    session({ store: sessionStore, secret, resave: false, saveUninitialized: false, ...overrides }),
  );

  app.get("/", (_req, res) => {
    res.type("text/plain").send(ROUTES);
  });
  app.get("/put", (req, res) => {
    req.session.message = "Hello world!";
    res.type("text/plain").send("Stored.\n");
  });
  app.get("/get", (req, res) => {
    res.type("text/plain").send(textOf(req.session.message));
  });
  app.get("/put-and-redirect", (req, res, next) => {
    req.session.message = "Hello world!";
    // Saving before a redirect makes sure the next request sees the change.
    req.session.save((error) => (error ? next(error) : res.redirect("/get")));
  });
  app.get("/regenerate", (req, res, next) => {
    req.session.regenerate((error) =>
      error ? next(error) : res.type("text/plain").send("Regenerated.\n"),
    );
  });
  app.get("/destroy", (req, res, next) => {
    req.session.destroy((error) =>
      error ? next(error) : res.type("text/plain").send("Destroyed.\n"),
    );
  });
  app.get("/login", (req, res, next) => {
    const { user } = req.query;
    if (typeof user !== "string" || user === "") {
      res.status(400).type("text/plain").send("Say who: /login?user=NAME\n");
      return;
    }
    // A new session ID at login: an ID planted in the browser before it is worth nothing after.
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.user = user;
      // Saved before the answer: express-session saves at the end of the response, too late to
      // answer 500 when the store fails, and "Logged in" would then be untrue.
      req.session.save((saveError) =>
        saveError ? next(saveError) : res.type("text/plain").send(`Logged in as ${user}.\n`),
      );
    });
  });
  app.get("/me", (req, res) => {
    res.type("text/plain").send(`${ownerOf(req.session) ?? "nobody"}\n`);
  });
  app.get("/sessions", async (req, res) => {
    const user = ownerOf(req.session);
    if (user === undefined || !(sessionStore instanceof ExpressSessionStore)) {
      res.status(401).type("text/plain").send("Log in first.\n");
      return;
    }
    const sessions = await sessionStore.sessionsOf(user);
    res.type("text/plain").send(listSessions(user, sessions, req.sessionID));
  });
  app.get("/logout-everywhere", async (req, res) => {
    const user = ownerOf(req.session);
    if (user === undefined || !(sessionStore instanceof ExpressSessionStore)) {
      res.status(401).type("text/plain").send("Log in first.\n");
      return;
    }
    const ended = await sessionStore.destroySessionsOf(user, { except: req.sessionID });
    res.type("text/plain").send(`Logged out of ${ended} other session(s).\n`);
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    onError(error);
    // express-session saves after the response has started: such an error can only cut off a
    // response still being written, and must leave a finished one (and its connection) alone.
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    res.status(500).type("text/plain").send("Internal Server Error\n");
  });
  return app;
}

/**
 * A stored field read as text: a session holds whatever was stored in it (by an older version of
 * the app, by hand), so a value of another type is treated as absent rather than failing every
 * request of that user.
 */
function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/**
 * The sessions of `user`, this one first, newest expiry next. Only their expiries are shown: a
 * session ID is as good as a password to whoever reads it.
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
