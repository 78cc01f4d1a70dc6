import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { createClient } from "redis";

const INSTALL_HINT =
  "redis-server is not on PATH, so the Redis specs are pending. Install it to run them: " +
  "`sudo apt-get install redis-server` (Debian, Ubuntu) or `brew install redis` (macOS).";

/** A redis-server of the specs' own, on a loopback port, with persistence off. */
export interface RedisServer {
  readonly url: string;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
}

/** Whether `redis-server` can be run from PATH. */
export function redisServerAvailable(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  return port;
}

/** Starts redis-server on a free loopback port and resolves once it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      "/tmp",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((ready, failed) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes("Ready to accept connections")) ready();
    });
    child.once("exit", (code) => failed(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** A connected client for `url`, that logs nothing and never reconnects. */
export async function connect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on("error", () => {});
  return client.connect();
}

export type Client = Awaited<ReturnType<typeof connect>>;

/**
 * In a `describe`, starts one redis-server and one client for its specs, and stops them after.
 * Without redis-server the specs are pending, with a hint how to install it; under CI (`CI` set)
 * a missing redis-server fails them instead.
 */
export function useRedisServer(): { url: () => string; client: () => Client } {
  let server: RedisServer | undefined;
  let client: Client | undefined;

  before(async function () {
    if (!redisServerAvailable()) {
      if (process.env.CI) throw new Error(`CI is set, but ${INSTALL_HINT}`);
      console.warn(`      ${INSTALL_HINT}`);
      this.skip();
    }
    this.timeout(20_000);
    server = await startRedisServer();
    client = await connect(server.url);
  });
  after(async () => {
    await client?.quit();
    await server?.stop();
  });

  return {
    url: () => (server as RedisServer).url,
    client: () => client as Client,
  };
}
