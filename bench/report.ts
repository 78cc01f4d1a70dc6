import { cpus, totalmem } from "node:os";

/** What machine the figures come from. */
export function machine(): string {
  const cores = cpus();
  const model = cores[0]?.model.trim() ?? "unknown CPU";
  const memoryGiB = Math.round(totalmem() / 2 ** 30);
  return `${model}, ${cores.length} cores, ${memoryGiB} GiB; Node.js ${process.version} on ${process.platform}/${process.arch}`;
}

/** `1.23 M` or `456 k`. */
export function formatCount(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(value >= 1e5 ? 0 : 1)} k`;
  return value.toFixed(0);
}

/** How many times `baseline` the value is: `0.98×`. */
export function formatRatio(value: number, baseline: number | undefined): string {
  if (baseline === undefined || baseline === 0) return "–";
  const ratio = value / baseline;
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}

/** A Markdown table, which also reads well on a terminal. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)].join(
    "\n",
  );
}

const startedMs = Date.now();

/** A progress line on stderr, with the time since the run started. */
export function progress(message: string): void {
  const seconds = Math.round((Date.now() - startedMs) / 1_000);
  const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  process.stderr.write(`[${clock}] ${message}\n`);
}
