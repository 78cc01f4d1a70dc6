// The hono-sessions example app on one store, for the HTTP benchmark: bench/http.ts runs
// `node -r ts-node/register bench/http-hono.ts <store>` in a process of its own.
import { once } from "node:events";
import type { Server } from "node:http";
import { MemoryStore } from "hono-sessions";
import { createApp, listen } from "../examples/hono/app";
import { MemStore } from "../src";
import { HonoSessionStore } from "../src/hono";
import { serveFromCommandLine } from "./serve-script";

/** The stores compared through hono-sessions, by name: ours first, then its own default. */
export const HONO_HTTP_STORES = ["MemStore", "hono-sessions MemoryStore"] as const;

/** One of {@link HONO_HTTP_STORES}. */
export type HonoHttpStore = (typeof HONO_HTTP_STORES)[number];

/**
 * Serves the hono-sessions example app, as `npm run start:hono` does (sessions live an hour after
 * the last request), over the store `name`, on a free loopback port.
 */
export async function serveHono(name: HonoHttpStore): Promise<Server> {
  const store =
    name === "MemStore" ? new HonoSessionStore(new MemStore(300_000)) : new MemoryStore();
  const server = listen(createApp({ store }), 0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

serveFromCommandLine(module, HONO_HTTP_STORES, serveHono);
