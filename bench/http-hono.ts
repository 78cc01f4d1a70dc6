// The hono-sessions example app over one store, for the HTTP benchmark: `serveHono` in this
// process, or `node -r ts-node/register bench/http-hono.ts <store>`, which prints
// `Listening on <url>` as bench/http-server.ts does, and exits on SIGTERM.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MemoryStore } from "hono-sessions";
import { createApp, listen } from "../examples/hono/app";
import { MemStore } from "../src";
import { HonoSessionStore } from "../src/hono";

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

if (require.main === module) {
  const name = process.argv[2] as HonoHttpStore;
  if (!HONO_HTTP_STORES.includes(name)) {
    console.error(`unknown store ${name}: one of ${HONO_HTTP_STORES.join(", ")}`);
    process.exit(1);
  }
  serveHono(name).then((server) => {
    const { port } = server.address() as AddressInfo;
    console.log(`Listening on http://127.0.0.1:${port}`);
    process.once("SIGTERM", () => process.exit(0));
  });
}
