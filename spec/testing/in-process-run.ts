import { AssertionError } from "node:assert";
import type { IterableStore } from "../../src/store";
import { iterableStoreContract, type StoreContractOptions } from "../../src/testing";

/** What a run of the contract suite in this process gave. */
export interface InProcessRun {
  /** The names of the specs that passed. */
  readonly passed: string[];
  /** The names of the specs that failed, each with its error's message. */
  readonly failed: Map<string, string>;
  /** The names of the specs that failed with something else than a failed assertion. */
  readonly crashed: string[];
}

/**
 * Runs the specs of {@link iterableStoreContract} named in `only` (every spec when absent) in this
 * process, one after the other, on stores made by `options.create`. A spec that fails is recorded,
 * not thrown.
 *
 * @throws Error when a name in `only` is not the name of a spec, so a renamed spec is not skipped.
 */
export async function runInProcess<S extends IterableStore>(
  options: StoreContractOptions<S>,
  only?: readonly string[],
): Promise<InProcessRun> {
  const specs = new Map<string, () => Promise<void>>();
  iterableStoreContract(
    { describe: (_name, body) => void body(), it: (name, body) => void specs.set(name, body) },
    "S",
    options,
  );
  const unknown = (only ?? []).filter((name) => !specs.has(name));
  if (unknown.length > 0) throw new Error(`No such spec: ${unknown.join("; ")}`);
  const passed: string[] = [];
  const failed = new Map<string, string>();
  const crashed: string[] = [];
  for (const [name, body] of specs) {
    if (only !== undefined && !only.includes(name)) continue;
    try {
      await body();
      passed.push(name);
    } catch (error) {
      failed.set(name, error instanceof Error ? error.message : String(error));
      if (!(error instanceof AssertionError)) crashed.push(name);
    }
  }
  return { passed, failed, crashed };
}
