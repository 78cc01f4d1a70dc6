import { createServer, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { type Session, type SessionOptions, type Store, sessionMiddleware } from "hono-sessions";

/** The example's Hono environment: what `c.get` and `c.set` hold. */
export type ExampleEnv = {
  Variables: { session: Session<{ message: unknown }>; session_key_rotation: boolean };
};

/** What {@link createApp} needs. */
export interface ExampleAppOptions {
  /** Where sessions live: a `HonoSessionStore`, or any hono-sessions store. */
  store: Store;
  /**
   * Seals the session cookie (hono-sessions' `encryptionKey`): at least 32 characters. Without
   * it the cookie holds the session token itself.
   */
  encryptionKey?: string;
  /** hono-sessions options to change (`expireAfterSeconds`, `autoExtendExpiration`, ...). */
  session?: Partial<SessionOptions>;
  /** Called with each error before the app answers 500. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/** Iron, which seals the cookie, refuses shorter passwords, on every request. */
const MIN_KEY_LENGTH = 32;

const ROUTES = `scs-memstore example (hono-sessions)
GET /put         store "Hello world!" in your session
GET /get         read it back (empty when there is none)
GET /regenerate  move your session to a new ID (as after a login)
GET /destroy     end your session
`;

/**
 * The example app: Go SCS's `/put` and `/get`, on Hono and hono-sessions. A session lives an
 * hour after its last request.
 *
 * @throws RangeError when `encryptionKey` is shorter than 32 characters.
 */
export function createApp({
  store,
  encryptionKey,
  session: overrides,
  onError = console.error,
}: ExampleAppOptions): Hono<ExampleEnv> {
  if (encryptionKey !== undefined && encryptionKey.length < MIN_KEY_LENGTH) {
    throw new RangeError(
      `The session secret must be at least ${MIN_KEY_LENGTH} characters long, got ${encryptionKey.length}`,
    );
  }
  const app = new Hono<ExampleEnv>();
  app.use(
    sessionMiddleware({
      store,
      expireAfterSeconds: 3_600,
      cookieOptions: { path: "/", httpOnly: true, sameSite: "Lax" },
      ...(encryptionKey === undefined ? {} : { encryptionKey }),
      ...overrides,
    }),
  );

  app.get("/", (c) => c.text(ROUTES));
  app.get("/put", (c) => {
    c.get("session").set("message", "Hello world!");
    return c.text("Stored.\n");
  });
  app.get("/get", (c) => c.text(textOf(c.get("session").get("message"))));
  app.get("/regenerate", (c) => {
    c.set("session_key_rotation", true);
    return c.text("Regenerated.\n");
  });
  app.get("/destroy", (c) => {
    c.get("session").deleteSession();
    return c.text("Destroyed.\n");
  });
  app.onError((error, c) => {
    onError(error);
    return c.text("Internal Server Error\n", 500);
  });
  return app;
}

/** Serves `app` on Node's HTTP server, as `@hono/node-server`'s `serve` does. */
export function listen(app: Hono<ExampleEnv>, port: number, host: string): Server {
  return createServer(getRequestListener(app.fetch)).listen(port, host);
}

/**
 * A stored field read as text: a session holds whatever was stored in it (by an older version of
 * the app, by hand), so a value of another type is treated as absent rather than failing every
 * request of that user.
 */
function textOf(value: unknown): string {
  return typeof value === "string" ? value : "";
}
