import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/** A running server process and everything it printed so far. */
export interface Running {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/**
 * Starts an example server (`examples/express/server.ts`, as `npm start` does, unless `script`
 * names another) on a free port, and waits for its address.
 */
export function startExampleServer(
  env: NodeJS.ProcessEnv = {},
  script = "examples/express/server.ts",
): Promise<Running> {
  return startServerProcess(script, [], {
    PORT: "0",
    SESSION_SECRET: "",
    REDIS_URL: "",
    ...env,
  });
}

/**
 * Runs a TypeScript server script of this repository in a process of its own, and resolves once
 * it prints `Listening on <url>`.
 */
export async function startServerProcess(
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Running> {
  const child = spawn(process.execPath, ["-r", "ts-node/register", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const baseUrl = await new Promise<string>((found, failed) => {
    const look = () => {
      const address = /Listening on (http:\/\/\S+)/.exec(output);
      if (address) found(address[1] as string);
    };
    child.stdout?.on("data", look);
    child.once("exit", (code) => failed(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, baseUrl, output: () => output };
}

/** Sends `signal` and resolves with the exit code. */
export async function stopExampleServer({ child }: Running, signal: NodeJS.Signals = "SIGTERM") {
  const exited = once(child, "exit");
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

/** How a server process ended, and what it printed. */
export interface Ended {
  readonly code: number | null;
  readonly output: string;
}

/**
 * Runs a TypeScript server script of this repository until it exits by itself, or until its
 * output matches `stopWhen` (it is then killed, and `code` is null).
 */
export async function runUntilExit(
  script: string,
  env: NodeJS.ProcessEnv,
  stopWhen: RegExp,
): Promise<Ended> {
  const child = spawn(process.execPath, ["-r", "ts-node/register", script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (stopWhen.test(output)) child.kill();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const [code] = await once(child, "close");
  return { code: code as number | null, output };
}
