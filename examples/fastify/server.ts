// `npm run start:fastify`: the @fastify/session example on MemStore, or on RedisStore when
// REDIS_URL is set.
import { runExampleServer } from "../run-server";
import { createApp } from "./app";

runExampleServer("fastify", async ({ store, secret, port, host }) => {
  const app = await createApp({ store, secret });
  await app.listen({ port, host });
  return app.server;
});
