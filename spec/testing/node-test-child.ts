import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

const ROOT = resolve(__dirname, "../..");

/**
 * The CPU time a run may use. Measured: 2 s of CPU a run (ts-node's start included), on this
 * project's 2-core machine; a busy machine stretches the wall time of a run, not its CPU time.
 */
const CPU_BUDGET_MS = 20_000;
/**
 * A run still going after this long is hung rather than slow: it needs 2 s of CPU and waits about
 * 2 s in all, which a machine at a load of 10 on 2 cores stretches to some 20 s.
 */
const HUNG_AFTER_MS = 300_000;

/** What a run of the contract suite under node:test printed, and how it ended. */
export interface NodeTestRun {
  readonly code: number | null;
  readonly tap: string;
  /** The names of the specs that failed (not of their groups, which hold no colon). */
  readonly failed: string[];
  /** The names of the specs that passed. */
  readonly passed: string[];
}

/**
 * Runs `spec/testing/node-test-run.ts` for `store` in a child process, under node:test with the
 * TAP reporter. The run is stopped once it has used {@link CPU_BUDGET_MS} of CPU.
 */
export async function runUnderNodeTest(store: string): Promise<NodeTestRun> {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register", "--test-reporter=tap", "spec/testing/node-test-run.ts", store],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let tap = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => {
    tap += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    errors += chunk.toString("utf8");
  });
  let stopped = "";
  const startedMs = Date.now();
  const watch = setInterval(async () => {
    const cpuMs = await cpuMsOf(child.pid);
    if (cpuMs > CPU_BUDGET_MS) stopped = `used ${cpuMs} ms of CPU`;
    else if (Date.now() - startedMs > HUNG_AFTER_MS) stopped = "hung";
    if (stopped) child.kill();
  }, 250);
  const code = await new Promise<number | null>((exited) => child.once("close", exited));
  clearInterval(watch);
  if (stopped) throw new Error(`node:test run of ${store} stopped: ${stopped}\n${tap}${errors}`);
  const names = (verdict: string) =>
    [...tap.matchAll(new RegExp(`^ +${verdict} \\d+ - (.+: .+)$`, "gm"))].map(
      (m) => m[1] as string,
    );
  const passed = names("ok");
  if (passed.length === 0 && code !== 0) throw new Error(`node:test run of ${store}:\n${errors}`);
  return { code, tap, failed: names("not ok"), passed };
}

/** The CPU time (user and system) a process has used so far, from /proc; 0 where there is none. */
async function cpuMsOf(pid: number | undefined): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // Fields 14 and 15, counted after the command name's closing parenthesis, in ticks of 10 ms.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
}
