/**
 * Rejects a {@link RedisStore} call that found no connection to Redis within the store's
 * `offlineTimeoutMs` (the client was reconnecting, or the cluster node holding the key was down).
 * Its command was never sent and never will be: the store is unchanged, and nothing lands later
 * to undo a newer call. Check it with `instanceof` or by its `code`.
 */
export class RedisOfflineError extends Error {
  /** Always `"ERR_REDIS_OFFLINE"`. */
  readonly code = "ERR_REDIS_OFFLINE";

  /** How long the call waited for a connection, in milliseconds: the store's `offlineTimeoutMs`. */
  readonly offlineTimeoutMs: number;

  /** @param offlineTimeoutMs - How long the call waited, in milliseconds. */
  constructor(offlineTimeoutMs: number) {
    super(
      `No connection to Redis within ${offlineTimeoutMs} ms (\`offlineTimeoutMs\`): ` +
        "the command was not sent, and the store is unchanged",
    );
    this.name = "RedisOfflineError";
    this.offlineTimeoutMs = offlineTimeoutMs;
  }
}
