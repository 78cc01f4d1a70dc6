import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import fastifyCookie from "@fastify/cookie";
import fastifySession from "@fastify/session";
import { getRequestListener } from "@hono/node-server";
import { expect } from "chai";
import express, { type NextFunction, type Request, type Response } from "express";
import session from "express-session";
import Fastify from "fastify";
import { Hono } from "hono";
import { type Session, sessionMiddleware } from "hono-sessions";
import Koa from "koa";
import koaSession from "koa-session";
import { MemStore, type Store } from "../../src";
import { ExpressSessionStore } from "../../src/express";
import { FastifySessionStore } from "../../src/fastify";
import { HonoSessionStore } from "../../src/hono";
import { KoaSessionStore } from "../../src/koa";
import { RedisStore } from "../../src/redis";
import { Client } from "../support/http-client";
import { PromiseStore } from "../support/promise-store";
import { useRedisServer } from "../support/redis-server";
import { listenOnLoopback, type ServedApp } from "./adapter-suite";

/**
 * A route whose answer the framework refuses once the session is saved, so that it answers 500
 * from inside the callback it handed the adapter, and a route that throws after changing the
 * session. Each app serves them beside `/put` and `/get`, and records what reaches its error path.
 */
type Serve = (store: Store) => Promise<ServedApp>;

declare module "express-session" {
  interface SessionData {
    message?: unknown;
  }
}
declare module "fastify" {
  interface Session {
    message?: unknown;
  }
}

const MESSAGE = "Hello world!";

const serveExpress: Serve = (store) => {
  const errors: unknown[] = [];
  const app = express();
  app.use(
    session({
      store: new ExpressSessionStore(store),
      secret: "spec secret",
      resave: false,
      saveUninitialized: false,
    }),
  );
  app.get("/put", (req, res) => {
    req.session.message = MESSAGE;
    res.send("Stored.");
  });
  app.get("/get", (req, res) => {
    res.send(String(req.session.message ?? ""));
  });
  app.get("/refused", (req, res, next) => {
    req.session.message = "refused";
    // Express refuses the status from inside the save's callback.
    req.session.save((error) => (error ? next(error) : res.status(42).send("never")));
  });
  app.get("/throw", (req) => {
    req.session.message = "thrown";
    throw new Error("route failed");
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    errors.push(error);
    if (!res.headersSent) res.status(500).send("Internal Server Error");
  });
  return listenOnLoopback((port, host) => app.listen(port, host), errors);
};

const serveFastify: Serve = async (store) => {
  const errors: unknown[] = [];
  const app = Fastify();
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: "a spec secret of thirty-two chars",
    store: new FastifySessionStore(store),
    saveUninitialized: false,
    cookie: { secure: false },
  });
  app.get("/put", async (request) => {
    request.session.message = MESSAGE;
    return "Stored.";
  });
  app.get("/get", async (request) => String(request.session.message ?? ""));
  // Fastify refuses a number as a text/plain payload once the session's save calls back.
  app.get("/refused", async (request, reply) => {
    request.session.message = "refused";
    return reply.type("text/plain").send(42 as unknown as string);
  });
  app.get("/throw", async (request) => {
    request.session.message = "thrown";
    throw new Error("route failed");
  });
  app.setErrorHandler(async (error, _request, reply) => {
    errors.push(error);
    return reply.code(500).type("text/plain").send("Internal Server Error");
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    errors,
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
    },
  };
};

const serveKoa: Serve = (store) => {
  const errors: unknown[] = [];
  const app = new Koa();
  app.keys = ["spec secret"];
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      errors.push(error);
      ctx.status = 500;
      ctx.body = "Internal Server Error";
    }
  });
  app.use(koaSession({ store: new KoaSessionStore(store) }, app));
  app.use(async (ctx) => {
    switch (ctx.path) {
      case "/put":
        ctx.session.message = MESSAGE;
        ctx.body = "Stored.";
        return;
      case "/get":
        ctx.body = String(ctx.session.message ?? "");
        return;
      case "/refused":
        ctx.session.message = "refused";
        ctx.status = 42; // Koa refuses the status
        return;
      case "/throw":
        ctx.session.message = "thrown";
        throw new Error("route failed");
    }
  });
  return listenOnLoopback((port, host) => app.listen(port, host), errors);
};

const serveHono: Serve = (store) => {
  const errors: unknown[] = [];
  const app = new Hono<{ Variables: { session: Session<{ message: string }> } }>();
  app.use(sessionMiddleware({ store: new HonoSessionStore(store), expireAfterSeconds: 3_600 }));
  app.get("/put", (c) => {
    c.get("session").set("message", MESSAGE);
    return c.text("Stored.");
  });
  app.get("/get", (c) => c.text(c.get("session").get("message") ?? ""));
  app.get("/refused", (c) => {
    c.get("session").set("message", "refused");
    return c.json(42n as unknown as number); // JSON refuses a BigInt
  });
  app.get("/throw", (c) => {
    c.get("session").set("message", "thrown");
    throw new Error("route failed");
  });
  app.onError((error, c) => {
    errors.push(error);
    return c.text("Internal Server Error", 500);
  });
  return listenOnLoopback(
    (port, host) => createServer(getRequestListener(app.fetch)).listen(port, host),
    errors,
  );
};

const FRAMEWORKS: [string, Serve][] = [
  ["express-session", serveExpress],
  ["@fastify/session", serveFastify],
  ["koa-session", serveKoa],
  ["hono-sessions", serveHono],
];

/**
 * The no-crash rule for every adapter over one store: a route that the framework answers 500
 * takes the framework's own error path, and the server serves the next request. A throw that
 * escaped the framework (an unhandled rejection, an uncaught exception) fails the spec.
 */
function runRouteErrorSpecs(storeName: string, makeStore: () => Store | Promise<Store>): void {
  for (const [name, serve] of FRAMEWORKS) {
    describe(`${name} over ${storeName}: route errors`, () => {
      let app: ServedApp;
      const escaped: unknown[] = [];
      const onEscape = (error: unknown) => escaped.push(error);

      beforeEach(async () => {
        escaped.length = 0;
        process.on("unhandledRejection", onEscape);
        process.on("uncaughtException", onEscape);
        app = await serve(await makeStore());
      });
      afterEach(async () => {
        await app.close();
        process.off("unhandledRejection", onEscape);
        process.off("uncaughtException", onEscape);
      });

      for (const path of ["/refused", "/throw"]) {
        it(`${name}: a route that answers 500 (${path}) goes through the error path, and the next request is served`, async () => {
          const alice = new Client(app.baseUrl);
          await alice.get("/put");
          const failed = await alice.get(path);
          expect(failed.status).to.equal(500);
          expect(failed.text).to.equal("Internal Server Error");
          expect(app.errors).to.have.length.of.at.least(1);
          // Settled work (a Promise's reaction, a tick) would have escaped by now.
          await new Promise((resolve) => setImmediate(resolve));
          expect(escaped).to.deep.equal([]);
          expect((await alice.get("/get")).status).to.equal(200);
          const bob = new Client(app.baseUrl);
          await bob.get("/put");
          expect(await bob.get("/get")).to.deep.equal({ status: 200, text: MESSAGE });
        });
      }
    });
  }
}

runRouteErrorSpecs("MemStore", () => new MemStore(0));
runRouteErrorSpecs("MemStore behind Promises", () => new PromiseStore(new MemStore(0)));
describe("route errors over RedisStore, against a real redis-server", function () {
  this.timeout(20_000);
  const redis = useRedisServer();
  runRouteErrorSpecs("RedisStore", async () => {
    await redis.client().flushDb();
    return new RedisStore(redis.client());
  });
});
