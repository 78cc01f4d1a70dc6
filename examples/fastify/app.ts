import fastifyCookie from "@fastify/cookie";
import fastifySession, { type FastifySessionOptions, type SessionStore } from "@fastify/session";
import Fastify, { type FastifyInstance, type Session } from "fastify";
import type { Store } from "../../src";
import { FastifySessionStore } from "../../src/fastify";

declare module "fastify" {
  interface Session {
    /** Unknown: a stored session holds whatever was stored, so it is checked where it is read. */
    message?: unknown;
    /** Who logged in to the session (see `/login`); unknown for the same reason. */
    user?: unknown;
  }
}

/** The name of the session cookie (@fastify/session's default). */
export const COOKIE_NAME = "sessionId";

/** The shortest secret @fastify/session accepts, in characters. */
export const MIN_SECRET_LENGTH = 32;

/** What {@link createApp} needs. */
export interface ExampleAppOptions {
  /** Where sessions live: any store of this package, or any @fastify/session store. */
  store: Store | SessionStore;
  /** The secret that signs session cookies: at least {@link MIN_SECRET_LENGTH} characters. */
  secret: string;
  /** @fastify/session options to change (`cookie`, `rolling`, ...). */
  session?: Partial<FastifySessionOptions>;
  /** Called with each error that reaches the error handler before it answers. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

const ROUTES = `scs-memstore example (@fastify/session)
GET /put         store "Hello world!" in your session
GET /get         read it back (empty when there is none)
GET /regenerate  move your session to a new ID, keeping its data (as after a login)
GET /destroy     end your session (log out)
GET /login?user=NAME   log in as NAME (a stand-in for a real login), on a new session ID
GET /me                who is logged in
GET /sessions          your sessions (where you are logged in)
GET /logout-everywhere end your other sessions, keeping this one
`;

/** The session's owner, for the store's index: its user, if a string (anything else is nobody). */
const ownerOf = (session: Session) => (typeof session.user === "string" ? session.user : undefined);

/**
 * The example app: Go SCS's `/put` and `/get`, on Fastify 5 and @fastify/session over any store
 * of this package. Resolves once every plugin is registered; the app is not listening yet.
 *
 * @throws Error when `secret` is shorter than {@link MIN_SECRET_LENGTH} characters.
 */
export async function createApp({
  store,
  secret,
  session: overrides = {},
  onError = console.error,
}: ExampleAppOptions): Promise<FastifyInstance> {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `The session secret must be at least ${MIN_SECRET_LENGTH} characters long for @fastify/session, got ${secret.length}`,
    );
  }
  const sessionStore = "find" in store ? new FastifySessionStore(store, { ownerOf }) : store;
  const app = Fastify();
  await app.register(fastifyCookie); // before @fastify/session, which reads the parsed cookies
  await app.register(fastifySession, {
    secret,
    store: sessionStore,
    cookieName: COOKIE_NAME,
    saveUninitialized: false, // no session is stored for a visitor who never puts anything in one
    ...overrides,
    // Plain http here: a Secure cookie (the default) would never be sent back, nor saved.
    cookie: { secure: false, ...overrides.cookie },
  });

  app.get("/", async (_request, reply) => reply.type("text/plain").send(ROUTES));
  app.get("/put", async (request, reply) => {
    request.session.message = "Hello world!";
    return reply.type("text/plain").send("Stored.\n");
  });
  app.get("/get", async (request, reply) =>
    reply.type("text/plain").send(textOf(request.session.message)),
  );
  app.get("/regenerate", async (request, reply) => {
    await request.session.regenerate(["message"]);
    // Saved at once: a regenerated session that holds nothing is otherwise stored but its cookie
    // is not sent (saveUninitialized is false).
    await request.session.save();
    return reply.type("text/plain").send("Regenerated.\n");
  });
  app.get("/destroy", async (request, reply) => {
    await request.session.destroy();
    // @fastify/session leaves the cookie in the browser; this forgets it.
    reply.clearCookie(COOKIE_NAME, { path: "/" });
    return reply.type("text/plain").send("Destroyed.\n");
  });
  app.get<{ Querystring: { user?: unknown } }>("/login", async (request, reply) => {
    const { user } = request.query;
    if (typeof user !== "string" || user === "") {
      return reply.code(400).type("text/plain").send("Say who: /login?user=NAME\n");
    }
    // A new session ID at login: an ID planted in the browser before it is worth nothing after.
    await request.session.regenerate();
    request.session.user = user;
    return reply.type("text/plain").send(`Logged in as ${user}.\n`);
  });
  app.get("/me", async (request, reply) =>
    reply.type("text/plain").send(`${ownerOf(request.session) ?? "nobody"}\n`),
  );
  app.get("/sessions", async (request, reply) => {
    const user = ownerOf(request.session);
    if (user === undefined || !(sessionStore instanceof FastifySessionStore)) {
      return reply.code(401).type("text/plain").send("Log in first.\n");
    }
    const sessions = await sessionStore.sessionsOf(user);
    return reply.type("text/plain").send(listSessions(user, sessions, request.session.sessionId));
  });
  app.get("/logout-everywhere", async (request, reply) => {
    const user = ownerOf(request.session);
    if (user === undefined || !(sessionStore instanceof FastifySessionStore)) {
      return reply.code(401).type("text/plain").send("Log in first.\n");
    }
    const except = request.session.sessionId;
    const ended = await sessionStore.destroySessionsOf(user, { except });
    return reply.type("text/plain").send(`Logged out of ${ended} other session(s).\n`);
  });
  app.setErrorHandler(async (error, request, reply) => {
    onError(error);
    // The error reply does not save the session again: the save may be what failed, and a second
    // failure would go to Fastify's default handler, which sends the error's message.
    (request as { session: unknown }).session = null;
    return reply.code(500).type("text/plain").send("Internal Server Error\n");
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
