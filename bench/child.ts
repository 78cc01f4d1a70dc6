import { spawn } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "..");

/**
 * Runs `bench/<script>` in a fresh Node process (a clean heap for every measurement) and resolves
 * with the JSON it prints last.
 */
export async function runChild<T>(
  script: string,
  args: string[],
  nodeOptions: string[] = [],
): Promise<T> {
  const child = spawn(
    process.execPath,
    [...nodeOptions, "-r", "ts-node/register", `bench/${script}`, ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const code = await new Promise<number | null>((done) => child.once("exit", done));
  if (code !== 0) throw new Error(`bench/${script} ${args.join(" ")} exited with ${code}`);
  const lastLine = output.trim().split("\n").at(-1) ?? "";
  return JSON.parse(lastLine) as T;
}
