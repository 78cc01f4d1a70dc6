// `npm run start:hono`: the hono-sessions example on MemStore, or on RedisStore when REDIS_URL is
// set. The cookie holds the session token itself, so no SESSION_SECRET is used: see docs/frameworks.md.
import { once } from "node:events";
import { runExampleServer } from "../run-server";
import { createApp, listen } from "./app";

runExampleServer(
  "hono",
  async ({ store, port, host }) => {
    const server = listen(createApp({ store }), port, host);
    await once(server, "listening");
    return server;
  },
  { usesSecret: false },
);
