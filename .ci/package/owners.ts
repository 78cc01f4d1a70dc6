// TypeScript: the owner options and methods type-check as users write them (see check-package).
import type { SessionData } from "express-session";
import type { Session } from "fastify";
import { MemStore } from "scs-memstore";
import {
  type DestroySessionsOptions,
  ExpressSessionStore,
  type ListedSession,
  type OwnerOf,
} from "scs-memstore/express";
import { FastifySessionStore, type FastifySessionStoreOptions } from "scs-memstore/fastify";
import { type HonoSessionReader, HonoSessionStore } from "scs-memstore/hono";
import { KoaSessionStore, type KoaSessionStoreOptions } from "scs-memstore/koa";

declare module "express-session" {
  interface SessionData {
    userId?: string;
  }
}
declare module "fastify" {
  interface Session {
    userId?: string;
  }
}

const store = new MemStore(0);
const ownerOf: OwnerOf<SessionData> = (session) => session.userId;
const express = new ExpressSessionStore(store, { ownerOf });
const fastifyOptions: FastifySessionStoreOptions = {
  ownerOf: (session: Session) => session.userId,
};
const koaOptions: KoaSessionStoreOptions = {
  ownerOf: (session) => (typeof session.user === "string" ? session.user : null),
};
const honoOwner = (session: HonoSessionReader) => String(session.get("user"));
const adapters = [
  express,
  new FastifySessionStore(store, fastifyOptions),
  new KoaSessionStore(store, koaOptions),
  new HonoSessionStore(store, { ownerOf: honoOwner }),
];

async function main(): Promise<void> {
  for (const adapter of adapters) {
    const listed: ListedSession[] = await adapter.sessionsOf("alice");
    const options: DestroySessionsOptions = { except: listed[0]?.id };
    const destroyed: number = await adapter.destroySessionsOf("alice", options);
    if (listed.length !== 0 || destroyed !== 0) throw new Error("alice has no session here");
  }
  store.close();
  console.log("TypeScript: ownerOf, sessionsOf and destroySessionsOf: ok");
}

void main();
