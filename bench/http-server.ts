// Run by bench/http.ts as `node ... bench/http-server.ts <store>`: the example app on one store.
import type { AddressInfo } from "node:net";
import { RedisStore as ConnectRedisStore } from "connect-redis";
import session from "express-session";
import { createClient } from "redis";
import { createApp } from "../examples/express/app";
import { MemStore } from "../src";
import { RedisStore } from "../src/redis";
import { newMemorystore } from "./peers";

async function redisClient() {
  const client = createClient({ url: process.env.REDIS_URL ?? "" });
  client.on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  return client.connect();
}

async function storeNamed(name: string) {
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
    default:
      throw new Error(`unknown store ${name}`);
  }
}

async function main(name: string): Promise<void> {
  const app = createApp({ store: await storeNamed(name), secret: "benchmark secret" });
  const server = app.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    console.log(`Listening on http://127.0.0.1:${port}`);
  });
  process.once("SIGTERM", () => process.exit(0));
}

main(process.argv[2] as string).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
