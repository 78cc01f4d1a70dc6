import type { Store } from "../../src";

/** Wraps a store and records the name of every method called on it, in order. */
export function recordingStore<S extends Store>(inner: S): { store: S; calls: string[] } {
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get: (target, name, receiver) => {
      const value = Reflect.get(target, name, receiver);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        calls.push(String(name));
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}
