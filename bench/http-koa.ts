// The koa-session example app on one store, for the HTTP benchmark: bench/http.ts runs
// `node -r ts-node/register bench/http-koa.ts <store>` in a process of its own.
import { once } from "node:events";
import type { Server } from "node:http";
import { createApp, type KoaExternalStore } from "../examples/koa/app";
import { MemStore } from "../src";
import { serveFromCommandLine } from "./serve-script";

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
export async function serveKoa(name: KoaStoreName): Promise<Server> {
  const app = createApp({ store: storeNamed(name), secret: "benchmark secret" });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

serveFromCommandLine(module, KOA_STORES, serveKoa);
