// `npm start`: the express-session example on MemStore, or on RedisStore when REDIS_URL is set.
import { once } from "node:events";
import { runExampleServer } from "../run-server";
import { createApp } from "./app";

runExampleServer("express", async ({ store, secret, port, host }) => {
  const server = createApp({ store, secret }).listen(port, host);
  await once(server, "listening");
  return server;
});
