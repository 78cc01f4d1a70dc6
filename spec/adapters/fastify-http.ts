import type { AddressInfo } from "node:net";
import type { FastifySessionOptions } from "@fastify/session";
import { COOKIE_NAME, createApp } from "../../examples/fastify/app";
import type { IterableStore, Store } from "../../src";
import type { HarnessFactory } from "../stores/store-contract";
import type { Client } from "../support/http-client";
import { type FrameworkDriver, runAdapterSpecs, type ServedApp } from "./adapter-suite";

export const SECRET = "a spec secret of thirty-two chars";

/** Serves the fastify example app over `store` on a free loopback port. */
export async function serveFastify(
  store: Store,
  session: Partial<FastifySessionOptions> = {},
): Promise<ServedApp> {
  const errors: unknown[] = [];
  const app = await createApp({ store, secret: SECRET, session, onError: (e) => errors.push(e) });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
}

/** The store token inside @fastify/session's signed cookie: `<id>.<signature>`. */
export function tokenOf(client: Client): string {
  const signed = client.cookie(COOKIE_NAME);
  return signed.slice(0, signed.lastIndexOf("."));
}

/** A cookie as @fastify/session writes it (`Cookie#toJSON`), live for an hour. */
function liveCookie(): Record<string, unknown> {
  return {
    expires: new Date(Date.now() + 3_600_000).toISOString(),
    originalMaxAge: 3_600_000,
    sameSite: null,
    secure: false,
    path: "/",
    httpOnly: true,
    domain: null,
  };
}

/** A session holding `"Hello world!"` whose cookie has `fields` in place of its own. */
const withCookie = (fields: Record<string, unknown>) => ({
  cookie: { ...liveCookie(), ...fields },
  message: "Hello world!",
});

/** A session holding `"Hello world!"` and `key: value` beside it. */
const withKey = (key: string, value: unknown) =>
  JSON.parse(`{"cookie":${JSON.stringify(liveCookie())},"message":"Hello world!",
    ${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Record<string, unknown>;

/** `{ a: { a: ... { a: 1 } } }`, `levels` objects deep. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/**
 * Stored sessions that decode as JSON objects but would break @fastify/session, `cookie` or the
 * code that reads the session: each field they read, with a value they do not expect.
 */
const CORRUPT_SESSIONS = [
  { message: "Hello world!" },
  { cookie: null },
  { cookie: [] },
  { cookie: "sessionId" },
  { cookie: 5 },
  withCookie({ expires: "garbage" }),
  withCookie({ expires: { toString: 1, valueOf: 1 } }),
  withCookie({ expires: 12 }),
  withCookie({ expires: true }),
  withCookie({ expires: "Thu, 01 Jan 2099 00:00:00 GMT" }),
  withCookie({ expires: "1600-12-31T23:59:59.999Z", originalMaxAge: null }),
  withCookie({ expires: "+010000-01-01T00:00:00.000Z", originalMaxAge: null }),
  withCookie({ originalExpires: "yesterday" }),
  withCookie({ originalMaxAge: "abc" }),
  withCookie({ originalMaxAge: "1000" }),
  withCookie({ originalMaxAge: {} }),
  withCookie({ originalMaxAge: true }),
  withCookie({ originalMaxAge: 0 }),
  withCookie({ originalMaxAge: -1000 }),
  withCookie({ originalMaxAge: 3e14 }),
  withCookie({ originalMaxAge: 1e300 }),
  withCookie({ maxAge: "abc" }),
  withCookie({ priority: "high" }),
  withCookie({ toJSON: 1 }),
  withCookie({ path: "/a;b" }),
  withCookie({ path: "/é" }),
  withCookie({ path: 5 }),
  withCookie({ path: null }),
  withCookie({ domain: "bad domain" }),
  withCookie({ domain: 5 }),
  withCookie({ sameSite: "bogus" }),
  withCookie({ sameSite: 1 }),
  withCookie({ secure: "yes" }),
  withCookie({ httpOnly: "yes" }),
  withCookie({ partitioned: 1 }),
  JSON.parse(`{"cookie":{"__proto__":{"expires":1},"originalMaxAge":null}}`),
  withKey("__proto__", { isModified: 1 }),
  withKey("__proto__", null),
  ...[
    "constructor",
    "sessionId",
    "encryptedSessionId",
    "options",
    "touch",
    "regenerate",
    "get",
    "set",
    "destroy",
    "reload",
    "save",
    "isModified",
    "isSaved",
  ].map((key) => withKey(key, 1)),
  withKey("user", JSON.parse(`{"name":"alice","__proto__":{"admin":true}}`)),
  withKey("deep", nested(100)),
  withKey("deeper", nested(3_000)),
];

/** @fastify/session, as the shared adapter specs drive it. */
export const fastifyDriver: FrameworkDriver = {
  name: "@fastify/session",
  serve: (store, { maxAgeMs, rolling }) =>
    serveFastify(store, {
      ...(maxAgeMs === undefined ? {} : { cookie: { maxAge: maxAgeMs } }),
      ...(rolling === undefined ? {} : { rolling }),
    }),
  tokenOf,
  validSession: () => withCookie({}),
  corruptSessions: CORRUPT_SESSIONS,
  shortMaxAgeMs: 300,
  regenerates: true,
  touches: false,
};

/** The shared adapter specs of @fastify/session over one store. */
export function runFastifySpecs<S extends IterableStore>(
  name: string,
  makeHarness: HarnessFactory<S>,
): void {
  runAdapterSpecs(fastifyDriver, name, makeHarness);
}
