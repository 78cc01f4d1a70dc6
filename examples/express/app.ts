import express, { type Express, type NextFunction, type Request, type Response } from "express";
import session, { type SessionOptions } from "express-session";
import type { Store } from "../../src";
import { ExpressSessionStore } from "../../src/express";

declare module "express-session" {
  interface SessionData {
    /** Unknown: a stored session holds whatever was stored, so it is checked where it is read. */
    message?: unknown;
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
GET /destroy           end your session
GET /sessions          how many sessions the store holds
`;

/**
 * The example app: Go SCS's `/put` and `/get`, on express-session over any store of this package.
 */
export function createApp({
  store,
  secret,
  session: overrides,
  onError = console.error,
}: ExampleAppOptions): Express {
  const sessionStore = store instanceof session.Store ? store : new ExpressSessionStore(store);
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
  app.get("/sessions", (_req, res, next) => {
    if (sessionStore.length === undefined) {
      res.status(501).type("text/plain").send("This store cannot count its sessions.\n");
      return;
    }
    sessionStore.length((error, count) =>
      error ? next(error) : res.type("text/plain").send(`${count}\n`),
    );
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
