// The express-session example app on one store, for the HTTP benchmark: bench/http.ts runs
// `node -r ts-node/register bench/http-express.ts <store>` in a process of its own.
import { once } from "node:events";
import type { Server } from "node:http";
import { RedisStore as ConnectRedisStore } from "connect-redis";
import session from "express-session";
import { createClient } from "redis";
import { createApp } from "../examples/express/app";
import { MemStore } from "../src";
import { RedisStore } from "../src/redis";
import { newMemorystore } from "./peers";
import { serveFromCommandLine } from "./serve-script";

/** The stores compared through express-session: ours first, then the peers users pick instead. */
export const EXPRESS_HTTP_STORES = [
  "MemStore",
  "express-session MemoryStore",
  "memorystore",
  "RedisStore",
  "connect-redis",
] as const;

async function storeNamed(name: (typeof EXPRESS_HTTP_STORES)[number]) {
  switch (name) {
    case "MemStore":
      return new MemStore(300_000);
    case "express-session MemoryStore":
      return new session.MemoryStore();
    case "memorystore":
      return newMemorystore();
    case "RedisStore":
      return new RedisStore(await redisClient());
    case "connect-redis":
      return new ConnectRedisStore({ client: await redisClient() });
  }
}

async function redisClient() {
  const client = createClient({ url: process.env.REDIS_URL ?? "" });
  client.on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  return client.connect();
}

/** Serves the express example app over the store `name` on a free loopback port. */
export async function serveExpress(name: (typeof EXPRESS_HTTP_STORES)[number]): Promise<Server> {
  const app = createApp({ store: await storeNamed(name), secret: "benchmark secret" });
  const server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}

serveFromCommandLine(module, EXPRESS_HTTP_STORES, serveExpress);
