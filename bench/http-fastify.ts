// The fastify example app on one store, for the HTTP benchmark. `serveFastifyBench(store)` serves
// it in this process; `node -r ts-node/register bench/http-fastify.ts <store>` serves it in a
// process of its own and prints `Listening on <url>`, as bench/http-server.ts does.
import type { AddressInfo } from "node:net";
import { MemoryStore, type SessionStore } from "@fastify/session";
import { createApp } from "../examples/fastify/app";
import { MemStore, type Store } from "../src";

/** The stores the fastify app is measured on: ours, and @fastify/session's own default. */
export const FASTIFY_HTTP_STORES = ["MemStore", "@fastify/session MemoryStore"] as const;

function storeNamed(name: string): Store | SessionStore {
  switch (name) {
    case "MemStore":
      return new MemStore(300_000);
    case "@fastify/session MemoryStore":
      return new MemoryStore();
    default:
      throw new Error(`unknown store ${name}`);
  }
}

/**
 * Serves the fastify example app (rolling sessions, as @fastify/session's default) over the store
 * named `name` on a free loopback port.
 */
export async function serveFastifyBench(
  name: string,
): Promise<{ baseUrl: string; close(): Promise<void> }> {
  const app = await createApp({
    store: storeNamed(name),
    secret: "a benchmark secret of thirty-two characters",
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
}

if (require.main === module) {
  serveFastifyBench(process.argv[2] as string).then(
    ({ baseUrl }) => {
      console.log(`Listening on ${baseUrl}`);
      process.once("SIGTERM", () => process.exit(0));
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
