import { Hono } from "hono";
import { type Session, type Store as SessionStore, sessionMiddleware } from "hono-sessions";
import { MemStore } from "scs-memstore";
import { HonoSessionStore, type HonoSessionStoreOptions } from "scs-memstore/hono";

const options: HonoSessionStoreOptions = { ttlMs: 60_000 };
const store: SessionStore = new HonoSessionStore(new MemStore(0), options);
const app = new Hono<{ Variables: { session: Session<{ message: string }> } }>();
app.use(
  sessionMiddleware({ store: new HonoSessionStore(new MemStore(0)), expireAfterSeconds: 60 }),
);
app.get("/get", (c) => c.text(c.get("session").get("message") ?? ""));
if (store.getSessionById("unknown") !== null)
  throw new Error("TypeScript: an unknown session was found");
console.log("hono-sessions from TypeScript: ok");
