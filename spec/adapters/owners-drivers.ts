import type { SessionStore } from "@fastify/session";
import type { Store as HonoStore } from "hono-sessions";
import { createApp as createExpressApp } from "../../examples/express/app";
import { createApp as createHonoApp, listen as listenHono } from "../../examples/hono/app";
import { createApp as createKoaApp } from "../../examples/koa/app";
import type { Store } from "../../src";
import { ExpressSessionStore, type ExpressSessionStoreOptions } from "../../src/express";
import { FastifySessionStore, type FastifySessionStoreOptions } from "../../src/fastify";
import { HonoSessionStore, type HonoSessionStoreOptions } from "../../src/hono";
import { KoaSessionStore, type KoaSessionStoreOptions } from "../../src/koa";
import { listenOnLoopback } from "./adapter-suite";
import { sidOf } from "./express-http";
import { tokenOf as fastifyTokenOf, serveFastify } from "./fastify-http";
import { tokenOf as honoTokenOf } from "./hono-http";
import { keyOf } from "./koa-http";
import type { OwnerDriver } from "./owners-suite";

const SECRET = "a spec secret of thirty-two chars";

/** express-session, as the owner specs drive it. */
export const expressOwners: OwnerDriver = {
  name: "express-session",
  construct: (store, options) =>
    new ExpressSessionStore(store, options as ExpressSessionStoreOptions),
  serve: (store, gate) => {
    const errors: unknown[] = [];
    const app = createExpressApp({
      store: store as Store | ExpressSessionStore,
      secret: SECRET,
      onError: (error) => errors.push(error),
    });
    app.get("/slow", async (req, res) => {
      req.session.message = "changed by a slow request";
      await gate.pass();
      res.type("text/plain").send("Done.\n");
    });
    app.get("/slow-regenerate", async (req, res, next) => {
      req.session.message = "changed by a slow request";
      await gate.pass();
      const { user, message } = req.session;
      req.session.regenerate((error) => {
        if (error) return next(error);
        Object.assign(req.session, { user, message });
        res.type("text/plain").send("Done.\n");
      });
    });
    return listenOnLoopback((port, host) => app.listen(port, host), errors);
  },
  tokenOf: sidOf,
  movesWithDelete: true,
};

/** @fastify/session, as the owner specs drive it. */
export const fastifyOwners: OwnerDriver = {
  name: "@fastify/session",
  construct: (store, options) =>
    new FastifySessionStore(store, options as FastifySessionStoreOptions),
  serve: (store, gate) =>
    serveFastify(store as Store | SessionStore, {}, (app) => {
      app.get("/slow", async (request, reply) => {
        request.session.message = "changed by a slow request";
        await gate.pass();
        return reply.type("text/plain").send("Done.\n");
      });
      app.get("/slow-regenerate", async (request, reply) => {
        request.session.message = "changed by a slow request";
        await gate.pass();
        await request.session.regenerate(["user", "message"]);
        return reply.type("text/plain").send("Done.\n");
      });
    }),
  tokenOf: fastifyTokenOf,
  movesWithDelete: false,
};

/** koa-session, as the owner specs drive it. */
export const koaOwners: OwnerDriver = {
  name: "koa-session",
  construct: (store, options) => new KoaSessionStore(store, options as KoaSessionStoreOptions),
  serve: (store, gate) => {
    const errors: unknown[] = [];
    const app = createKoaApp({
      store: store as Store | KoaSessionStore,
      secret: SECRET,
      onError: (error) => errors.push(error),
    });
    app.use(async (ctx, next) => {
      if (ctx.path !== "/slow" && ctx.path !== "/slow-regenerate") return next();
      ctx.session.message = "changed by a slow request";
      await gate.pass();
      if (ctx.path === "/slow-regenerate") await ctx.session.regenerate();
      ctx.type = "text/plain";
      ctx.body = "Done.\n";
    });
    return listenOnLoopback((port, host) => app.listen(port, host), errors);
  },
  tokenOf: keyOf,
  movesWithDelete: true,
};

/** hono-sessions, as the owner specs drive it. */
export const honoOwners: OwnerDriver = {
  name: "hono-sessions",
  construct: (store, options) => new HonoSessionStore(store, options as HonoSessionStoreOptions),
  serve: (store, gate) => {
    const errors: unknown[] = [];
    const app = createHonoApp({
      store: store as Store | HonoStore,
      onError: (error) => errors.push(error),
    });
    app.get("/slow", async (c) => {
      c.get("session").set("message", "changed by a slow request");
      await gate.pass();
      return c.text("Done.\n");
    });
    app.get("/slow-regenerate", async (c) => {
      c.get("session").set("message", "changed by a slow request");
      await gate.pass();
      c.set("session_key_rotation", true);
      return c.text("Done.\n");
    });
    return listenOnLoopback((port, host) => listenHono(app, port, host), errors);
  },
  tokenOf: honoTokenOf,
  movesWithDelete: true,
};

/** Every framework, for the owner specs. */
export const OWNER_DRIVERS: readonly OwnerDriver[] = [
  expressOwners,
  fastifyOwners,
  koaOwners,
  honoOwners,
];
