import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { MemStore, type Store } from "../src";
import { RedisStore } from "../src/redis";
import { createApp } from "./app";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";

/** The store to serve from, and how to release it at shutdown. */
interface OpenStore {
  store: Store;
  description: string;
  close(): Promise<void> | void;
}

/** MemStore, or RedisStore when REDIS_URL is set. */
async function openStore(redisUrl: string | undefined): Promise<OpenStore> {
  if (!redisUrl) {
    const store = new MemStore(300_000);
    return { store, description: "sessions in memory: MemStore", close: () => store.close() };
  }
  const client = createClient({ url: redisUrl });
  client.on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  await client.connect();
  const { host: redisHost, pathname } = new URL(redisUrl);
  return {
    store: new RedisStore(client),
    description: `sessions in Redis at ${redisHost}${pathname}: RedisStore`,
    close: async () => {
      await client.quit();
    },
  };
}

async function main(): Promise<void> {
  let secret = process.env.SESSION_SECRET;
  if (!secret) {
    secret = randomBytes(32).toString("hex");
    console.warn(
      "SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts.",
    );
  }

  const { store, description, close } = await openStore(process.env.REDIS_URL);
  const server = createApp({ store, secret }).listen(port, host, () => {
    const { address, port: actualPort } = server.address() as AddressInfo;
    console.log(`Listening on http://${address}:${actualPort} (${description})`);
  });
  server.on("error", (error) => {
    console.error(`Cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  });

  const shutDown = (signal: NodeJS.Signals) => {
    console.log(`${signal} received: closing the server.`);
    server.close(async () => {
      await close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.once("SIGINT", shutDown);
  process.once("SIGTERM", shutDown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
