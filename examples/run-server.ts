// What every example server shares: configuration from the environment, the store (MemStore, or
// RedisStore when REDIS_URL is set), and a clean shutdown on Ctrl-C or SIGTERM.
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "redis";
import { MemStore, type Store } from "../src";
import { RedisStore } from "../src/redis";

/** What an example server starts its framework with. */
export interface ExampleServerSettings {
  /** Where sessions live. */
  store: Store;
  /**
   * The secret that signs (or encrypts) session cookies: `SESSION_SECRET`, or a random one; empty
   * for a framework that uses none.
   */
  secret: string;
  /** `PORT`, default 4000 (`0` picks a free one). */
  port: number;
  /** `HOST`, default `127.0.0.1`. */
  host: string;
}

/** How {@link runExampleServer} runs a framework. */
export interface ExampleServerOptions {
  /**
   * Whether the framework signs or seals its cookies with a secret. When `false`, SESSION_SECRET
   * is not read and `secret` is empty. Default: `true`.
   */
  usesSecret?: boolean;
}

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
  const { host: redisHost, pathname } = new URL(redisUrl);
  const client = createClient({ url: redisUrl });
  // A Redis that cannot be reached at start stops the server at once, with one message, rather
  // than a connection error every second while the client retries.
  const firstError = new Promise<never>((_, failed) => client.once("error", failed));
  client.on("error", () => {});
  try {
    await Promise.race([client.connect(), firstError]);
  } catch (error) {
    client.destroy();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Cannot reach Redis at ${redisHost} (REDIS_URL): ${reason}. Start Redis there, or unset REDIS_URL to keep sessions in memory.`,
    );
  }
  client.removeAllListeners("error");
  // Once connected, the client reconnects by itself: say what goes wrong meanwhile.
  client.on("error", (error: Error) => console.error(`Redis: ${error.message}`));
  return {
    store: new RedisStore(client),
    description: `sessions in Redis at ${redisHost}${pathname}: RedisStore`,
    close: async () => {
      await client.quit();
    },
  };
}

/**
 * Runs one framework's example server: `start` listens with the settings it is given and resolves
 * with the listening `http.Server`. Prints `Listening on <url> (<framework>, <store>)`, and on
 * SIGINT or SIGTERM closes the server, then the store, and exits with code 0. A failure to start
 * is printed, and exits with code 1.
 */
export function runExampleServer(
  framework: string,
  start: (settings: ExampleServerSettings) => Promise<Server>,
  options: ExampleServerOptions = {},
): void {
  serve(framework, start, options).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}

async function serve(
  framework: string,
  start: (settings: ExampleServerSettings) => Promise<Server>,
  { usesSecret = true }: ExampleServerOptions,
): Promise<void> {
  const secret = usesSecret ? secretFromEnvironment() : "";
  const port = Number(process.env.PORT ?? 4000);
  const host = process.env.HOST ?? "127.0.0.1";
  const { store, description, close } = await openStore(process.env.REDIS_URL);
  const server = await start({ store, secret, port, host });
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
  // Only once the signals are handled: whoever reads this line may send one at once.
  const { address, port: actualPort } = server.address() as AddressInfo;
  console.log(`Listening on http://${address}:${actualPort} (${framework}, ${description})`);
}

/** SESSION_SECRET, or a random secret (with a warning) when it is not set. */
function secretFromEnvironment(): string {
  const secret = process.env.SESSION_SECRET;
  if (secret) return secret;
  console.warn(
    "SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts.",
  );
  return randomBytes(32).toString("hex");
}
