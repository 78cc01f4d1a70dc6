// The fastify example app on one store, for the HTTP benchmark: bench/http.ts runs
// `node -r ts-node/register bench/http-fastify.ts <store>` in a process of its own.
import type { Server } from "node:http";
import { MemoryStore, type SessionStore } from "@fastify/session";
import { createApp } from "../examples/fastify/app";
import { MemStore, type Store } from "../src";
import { serveFromCommandLine } from "./serve-script";

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
export async function serveFastify(name: (typeof FASTIFY_HTTP_STORES)[number]): Promise<Server> {
  const app = await createApp({
    store: storeNamed(name),
    secret: "a benchmark secret of thirty-two characters",
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  return app.server;
}

serveFromCommandLine(module, FASTIFY_HTTP_STORES, serveFastify);
