import { randomUUID } from "node:crypto";
import { createClient } from "redis";

/** Commands of the connection's own upkeep, left out of what a monitor reports. */
const UPKEEP = new Set([
  "AUTH",
  "CLIENT",
  "CLUSTER",
  "COMMAND",
  "ECHO",
  "FLUSHALL",
  "HELLO",
  "INFO",
  "PING",
  "READONLY",
  "SELECT",
]);

/** One command as a server ran it: the port of that server, then the command and its arguments. */
export interface SeenCommand {
  readonly port: number;
  /** The command's name, in capitals. */
  readonly name: string;
  /** The arguments after the name, as MONITOR prints them (binary bytes as `\xNN`). */
  readonly args: readonly string[];
  /** When the server ran it, by its own clock: ms since the epoch, to the microsecond. */
  readonly atMs: number;
}

/** What the servers were sent, as they saw it (Redis `MONITOR`), whatever the client. */
export interface Monitor {
  /**
   * Every command the servers ran since the last call (or since the monitor started), in the
   * order they ran by the servers' clocks, without upkeep (handshakes, pings, cluster topology,
   * flushes).
   */
  take(): Promise<SeenCommand[]>;
  stop(): Promise<void>;
}

/** `"GET" "a \"b\""` → `["GET", "a \"b\""]`, as MONITOR quotes them. */
function parseMonitorLine(line: string): string[] {
  const quoted = line.slice(line.indexOf("]") + 1);
  return [...quoted.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(([, arg]) =>
    (arg as string).replace(/\\(["\\])/g, "$1"),
  );
}

/** Starts a `MONITOR` on each server of `ports`. */
export async function monitor(ports: readonly number[]): Promise<Monitor> {
  const seen: SeenCommand[] = [];
  const markers = new Set<string>();
  const watchers = await Promise.all(
    ports.map(async (port) => {
      const url = `redis://127.0.0.1:${port}`;
      const watcher = createClient({ url });
      watcher.on("error", () => {});
      await watcher.connect();
      await watcher.monitor((line: string) => {
        const [name = "", ...args] = parseMonitorLine(line);
        if (name.toUpperCase() === "ECHO" && args[0]) markers.delete(`${port} ${args[0]}`);
        // MONITOR lines start with the server's time in seconds: `1700000000.123456 [0 ...`.
        const atMs = Number.parseFloat(line) * 1_000;
        seen.push({ port, name: name.toUpperCase(), args, atMs });
      });
      const marker = createClient({ url });
      marker.on("error", () => {});
      await marker.connect();
      return { port, watcher, marker };
    }),
  );

  /** Resolves once every server's monitor has shown a marker sent after everything before. */
  async function flushed(): Promise<void> {
    const sent = watchers.map(({ port, marker }) => {
      const text = randomUUID();
      markers.add(`${port} ${text}`);
      return marker.echo(text);
    });
    await Promise.all(sent);
    const deadline = Date.now() + 5_000;
    while (markers.size > 0) {
      if (Date.now() > deadline) throw new Error("MONITOR did not show its markers");
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  return {
    take: async () => {
      await flushed();
      // Each server's monitor reports on a connection of its own: their lines arrive in any
      // order, so the servers' clocks (one machine's) put them in the order they ran.
      return seen
        .splice(0)
        .filter((command) => !UPKEEP.has(command.name))
        .sort((a, b) => a.atMs - b.atMs);
    },
    stop: async () => {
      await Promise.all(
        watchers.flatMap(({ watcher, marker }) => [watcher.destroy(), marker.destroy()]),
      );
    },
  };
}
