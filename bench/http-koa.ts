// The koa-session example app on one store, for the HTTP benchmark. Run as a script
// (`node -r ts-node/register bench/http-koa.ts <store>`), it serves that store on a free loopback
// port and prints `Listening on <url>`, as bench/http-server.ts does for express-session.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp, type KoaExternalStore } from "../examples/koa/app";
import { MemStore } from "../src";

/** The stores the Koa HTTP benchmark compares, side by side. */
export const KOA_STORES = [
  "KoaSessionStore(MemStore)",
  "koa-session cookie sessions",
  "koa-session Map store",
] as const;

export type KoaStoreName = (typeof KOA_STORES)[number];

/**
 * An in-memory external store as koa-session users write it (and as koa-session's own tests
 * do): the session objects it is handed, in a Map, with no copy, no check and no expiry of its
 * own (koa-session refuses a session past its `_expire`, but nothing ever frees it).
 */
function mapStore(): KoaExternalStore {
  const sessions = new Map<string, unknown>();
  return {
    get: async (key) => sessions.get(key),
    set: async (key, session) => {
      sessions.set(key, session);
    },
    destroy: async (key) => {
      sessions.delete(key);
    },
  };
}

function storeNamed(name: KoaStoreName) {
  switch (name) {
    case "KoaSessionStore(MemStore)":
      return new MemStore(300_000);
    case "koa-session cookie sessions":
      return null;
    case "koa-session Map store":
      return mapStore();
  }
}

/**
 * Serves the koa example app (koa-session's defaults: a one-day session) over the store `name`
 * on a free loopback port.
 */
export async function startKoaApp(name: KoaStoreName): Promise<Server> {
  const app = createApp({ store: storeNamed(name), secret: "benchmark secret" });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

if (require.main === module) {
  const name = process.argv[2] as KoaStoreName;
  if (!KOA_STORES.includes(name)) {
    console.error(`unknown store ${name}: expected one of ${KOA_STORES.join(", ")}`);
    process.exit(1);
  }
  startKoaApp(name).then((server) => {
    const { port } = server.address() as AddressInfo;
    console.log(`Listening on http://127.0.0.1:${port}`);
    process.once("SIGTERM", () => process.exit(0));
  });
}
