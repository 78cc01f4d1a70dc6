import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createClient } from "redis";

/**
 * Redis keeps its own clock, so a spec over a real server that checks a session gone waits in
 * real time, this much past the expiry. (The edge itself is checked by the expiry Redis holds:
 * a sleep to 1 ms before it is what a busy machine overshoots.)
 */
export const REAL_TIME_TOLERANCE_MS = 50;

/** What to tell someone whose PATH lacks `missing`. */
function installHint(missing: readonly string[]): string {
  const are = missing.length === 1 ? "is" : "are";
  return (
    `${missing.join(" and ")} ${are} not on PATH, so the Redis specs are pending. Install them: ` +
    "`sudo apt-get install redis-server redis-tools` (Debian, Ubuntu) or `brew install redis` (macOS)."
  );
}

/** A redis-server of the specs' own, on a loopback port, with persistence off. */
export interface RedisServer {
  readonly url: string;
  /** The loopback port it listens on. */
  readonly port: number;
  /**
   * Stops the server and waits for it to exit: with SIGTERM, it shuts down as Redis does; with
   * SIGKILL, it dies at once, as a crashed or cut-off server.
   */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, and nothing is answered. */
  freeze(): void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw(): void;
}

/** How to start a redis-server beyond the defaults. */
export interface RedisServerOptions {
  /** The port to listen on (to start a stopped server again where it was). Default: a free one. */
  port?: number;
  /** More `--name value` arguments; a later one overrides an earlier one. */
  args?: string[];
  /** A configuration file, read before the arguments (a sentinel needs one it can rewrite). */
  config?: string;
  /** What the server prints once it accepts connections. Default: a redis-server's line. */
  readyLine?: string;
}

/** Whether `command --version` runs from PATH. */
function runs(command: string): boolean {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Whether `redis-server` can be run from PATH. */
export function redisServerAvailable(): boolean {
  return runs("redis-server");
}

/** Whether `redis-cli` can be run from PATH (a Redis Cluster needs it to be created). */
export function redisCliAvailable(): boolean {
  return runs("redis-cli");
}

/** A loopback port that nothing listens on now. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, "close");
  return port;
}

/**
 * Starts redis-server on a free loopback port (or `options.port`) and resolves once it accepts
 * connections. A port taken between the check and the bind (another process's outgoing
 * connection can hold it) is tried again: a new free port, or the same one a little later.
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await spawnRedisServer(port, options);
    } catch (error) {
      if (attempt === 5 || !/Address already in use/.test(String(error))) throw error;
      await sleep(100);
    }
  }
}

async function spawnRedisServer(port: number, options: RedisServerOptions): Promise<RedisServer> {
  const { args = [], config, readyLine = "Ready to accept connections" } = options;
  const child: ChildProcess = spawn(
    "redis-server",
    [
      ...(config === undefined ? [] : [config]),
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
      ...args,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((ready, failed) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      if (output.includes(readyLine)) ready();
    });
    child.once("exit", (code) => failed(new Error(`redis-server exited with ${code}:\n${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    freeze: () => child.kill("SIGSTOP"),
    thaw: () => child.kill("SIGCONT"),
    stop: async (signal = "SIGTERM") => {
      child.kill("SIGCONT"); // a frozen server could not exit
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill(signal);
      await exited;
    },
  };
}

/**
 * The expiry a RedisStore (of the default prefix) holds for `token`, in ms since the epoch: its
 * key's `PEXPIRETIME` (sent by `send`) plus 1, since Redis keeps a key until its clock is past
 * that. Undefined when there is no such key; Infinity for a key that never expires.
 */
export async function redisExpiryOf(
  send: (args: string[]) => Promise<unknown>,
  token: string,
): Promise<number | undefined> {
  const heldMs = Number(await send(["PEXPIRETIME", `scs:session:${token}`]));
  if (heldMs === -2) return undefined;
  return heldMs === -1 ? Number.POSITIVE_INFINITY : heldMs + 1;
}

/** A connected client for `url`, that logs nothing and never reconnects. */
export async function connect(url: string) {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on("error", () => {});
  return client.connect();
}

export type Client = Awaited<ReturnType<typeof connect>>;

/**
 * In a `before`: makes the Redis specs pending when `commands` are missing, with a hint how to
 * install them, or, under CI (`CI` set), fails them instead.
 */
export function requireRedis(context: Mocha.Context, commands: readonly string[]): void {
  const missing = commands.filter((command) => !runs(command));
  if (missing.length === 0) return;
  const hint = installHint(missing);
  if (process.env.CI) throw new Error(`CI is set, but ${hint}`);
  console.warn(`      ${hint}`);
  context.skip();
}

/**
 * In a `describe`, starts one redis-server and one client for its specs, and stops them after.
 * Without redis-server the specs are pending, with a hint how to install it; under CI (`CI` set)
 * a missing redis-server fails them instead.
 */
export function useRedisServer(): { url: () => string; client: () => Client } {
  let server: RedisServer | undefined;
  let client: Client | undefined;

  before(async function () {
    requireRedis(this, ["redis-server"]);
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
