import Koa from "koa";
import session, { type CreateSessionOptions } from "koa-session";
import { MemStore } from "scs-memstore";
import { KoaSessionStore } from "scs-memstore/koa";

const app = new Koa();
app.keys = ["secret"];
const store: NonNullable<CreateSessionOptions["store"]> = new KoaSessionStore(new MemStore(0));
app.use(session({ store: new KoaSessionStore(new MemStore(0)), maxAge: 60_000 }, app));
app.use((ctx) => {
  ctx.body = typeof store.get;
});
console.log("TypeScript, @types/koa 2: ok");
