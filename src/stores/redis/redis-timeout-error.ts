/**
 * Rejects a {@link RedisStore} call that Redis did not answer in time: the call waited
 * `offlineTimeoutMs` + `commandTimeoutMs` in all (a server that hangs, a network that drops
 * packets without closing the connection). Unlike a {@link RedisOfflineError}, the command may have
 * been sent, and may still run once Redis answers again: a save that timed out may yet be stored,
 * a delete may yet take effect. Check it with `instanceof` or by its `code`.
 */
export class RedisTimeoutError extends Error {
  /** Always `"ERR_REDIS_TIMEOUT"`. */
  readonly code = "ERR_REDIS_TIMEOUT";

  /** How long the call waited, in milliseconds: the store's `offlineTimeoutMs` + `commandTimeoutMs`. */
  readonly waitedMs: number;

  /** @param waitedMs - How long the call waited, in milliseconds. */
  constructor(waitedMs: number) {
    super(
      `No answer from Redis within ${waitedMs} ms (\`offlineTimeoutMs\` + \`commandTimeoutMs\`): ` +
        "the command may have been sent, and may still run",
    );
    this.name = "RedisTimeoutError";
    this.waitedMs = waitedMs;
  }
}
