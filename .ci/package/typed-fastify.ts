import fastifyCookie from "@fastify/cookie";
import fastifySession, { type SessionStore } from "@fastify/session";
import Fastify from "fastify";
import { MemStore } from "scs-memstore";
import {
  CorruptSessionError,
  FastifySessionStore,
  type FastifySessionStoreOptions,
} from "scs-memstore/fastify";

const options: FastifySessionStoreOptions = { ttlMs: 60_000 };
const store = new MemStore(0);
const sessionStore: SessionStore = new FastifySessionStore(store, options);
const app = Fastify();
app.register(fastifyCookie);
app.register(fastifySession, {
  secret: "a secret of at least thirty-two characters",
  store: new FastifySessionStore(new MemStore()),
});
const corrupt: unknown = new CorruptSessionError("a problem");
if (!(corrupt instanceof Error)) throw new Error("TypeScript: CorruptSessionError is not an Error");
sessionStore.destroy("token", (error) => {
  if (error) throw error;
  app.close().then(() => console.log("TypeScript (fastify): ok"));
});
