import autocannon from "autocannon";
import { Client } from "../spec/adapters/express-http";
import { startServerProcess, stopExampleServer } from "../spec/support/example-process";
import { SETTINGS } from "./settings";

/** Connections autocannon keeps open. */
export const HTTP_CONNECTIONS = 10;

export interface HttpResult {
  requestsPerSecond: number;
  p99LatencyMs: number;
}

/**
 * Serves the example app over `store` in a process of its own, makes a session with `/put`, then
 * loads `/get` with that session's cookie under autocannon for a bounded time, on loopback.
 */
export async function measureHttp(
  store: string,
  redisUrl: string | undefined,
): Promise<HttpResult> {
  const server = await startServerProcess("bench/http-server.ts", [store], {
    REDIS_URL: redisUrl ?? "",
  });
  try {
    const browser = new Client(server.baseUrl);
    await browser.get("/put");
    const check = await browser.get("/get");
    if (check.text !== "Hello world!")
      throw new Error(`${store}: /get answered ${check.status} ${check.text}`);
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
      throw new Error(`${store}: ${failed} of ${result.requests.total} requests failed`);
    return { requestsPerSecond: result.requests.average, p99LatencyMs: result.latency.p99 };
  } finally {
    await stopExampleServer(server);
  }
}
