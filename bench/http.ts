import autocannon from "autocannon";
import { startServerProcess, stopExampleServer } from "../spec/support/example-process";
import { Client } from "../spec/support/http-client";
import { EXPRESS_HTTP_STORES } from "./http-express";
import { FASTIFY_HTTP_STORES } from "./http-fastify";
import { HONO_HTTP_STORES } from "./http-hono";
import { KOA_STORES } from "./http-koa";
import { SETTINGS } from "./settings";

/** Connections autocannon keeps open. */
export const HTTP_CONNECTIONS = 10;

/** One framework's example app, and the stores it is measured on: ours first. */
export interface HttpApp {
  framework: string;
  /** The script that serves the app on the store named on its command line. */
  script: string;
  stores: readonly string[];
}

/** Every framework's example app, each with our store and the ones users would pick instead. */
export const HTTP_APPS: HttpApp[] = [
  { framework: "express-session", script: "bench/http-express.ts", stores: EXPRESS_HTTP_STORES },
  { framework: "@fastify/session", script: "bench/http-fastify.ts", stores: FASTIFY_HTTP_STORES },
  { framework: "koa-session", script: "bench/http-koa.ts", stores: KOA_STORES },
  { framework: "hono-sessions", script: "bench/http-hono.ts", stores: HONO_HTTP_STORES },
];

export interface HttpResult {
  requestsPerSecond: number;
  p99LatencyMs: number;
}

/**
 * Serves `app` over `store` in a process of its own, makes a session with `/put`, then loads
 * `/get` with that session's cookie under autocannon for a bounded time, on loopback.
 */
export async function measureHttp(
  app: HttpApp,
  store: string,
  redisUrl: string | undefined,
): Promise<HttpResult> {
  const server = await startServerProcess(app.script, [store], { REDIS_URL: redisUrl ?? "" });
  try {
    const browser = new Client(server.baseUrl);
    await browser.get("/put");
    const check = await browser.get("/get");
    if (check.text !== "Hello world!")
      throw new Error(`${app.framework} on ${store}: /get answered ${check.status} ${check.text}`);
    const load = (durationS: number) =>
      autocannon({
        url: `${server.baseUrl}/get`,
        connections: HTTP_CONNECTIONS,
        duration: durationS,
        headers: { cookie: browser.cookieHeader },
      });
    await load(SETTINGS.httpWarmupS); // let the JIT settle before the measured run
    const result = await load(SETTINGS.httpDurationS);
    const failed = result.non2xx + result.errors + result.timeouts;
    if (failed > 0)
      throw new Error(
        `${app.framework} on ${store}: ${failed} of ${result.requests.total} requests failed`,
      );
    return { requestsPerSecond: result.requests.average, p99LatencyMs: result.latency.p99 };
  } finally {
    await stopExampleServer(server);
  }
}
