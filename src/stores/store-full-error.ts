/**
 * Thrown by {@link MemStore.save} when saving a new token would take the store past its
 * `maxSessions`. The store is unchanged. Check it with `instanceof` or by its `code`.
 */
export class StoreFullError extends Error {
  /** Always `"ERR_STORE_FULL"`. */
  readonly code = "ERR_STORE_FULL";

  /** The limit that was reached: the store's `maxSessions`. */
  readonly maxSessions: number;

  /** @param maxSessions - The limit that was reached. */
  constructor(maxSessions: number) {
    super(
      `Session store is full: it holds its maximum of ${maxSessions} live sessions; ` +
        "delete a session or raise `maxSessions` to save a new token",
    );
    this.name = "StoreFullError";
    this.maxSessions = maxSessions;
  }
}
