import { randomBytes } from "node:crypto";

/** `BENCH_QUICK=1`: the same sections on smaller numbers, in under two minutes. */
export const QUICK = process.env.BENCH_QUICK === "1";

export const SETTINGS = QUICK
  ? {
      liveSessions: 10_000,
      taskTimeMs: 40,
      taskIterations: 2,
      operationRounds: 1,
      boundPairs: 20,
      memorySizes: [10_000],
      boundTokens: 30_000,
      stallSizes: [10_000],
      httpDurationS: 1,
      httpWarmupS: 1,
      httpRounds: 1,
    }
  : {
      liveSessions: 100_000,
      taskTimeMs: 400,
      taskIterations: 8,
      operationRounds: 3,
      boundPairs: 300,
      memorySizes: [100_000, 1_000_000],
      boundTokens: 300_000,
      stallSizes: [10_000, 100_000, 1_000_000],
      httpDurationS: 5,
      httpWarmupS: 2,
      httpRounds: 4,
    };

/** Operations per timed batch: large enough that timer overhead disappears in it. */
export const BATCH = 1_000;
/** Bytes in every benchmarked session. */
export const SESSION_BYTES = 256;
export const ONE_HOUR_MS = 3_600_000;
/**
 * The bound of the "with maxSessions" peers: above every benchmark's session count, so that they
 * pay the bookkeeping of the bound without evicting.
 */
export const MAX_SESSIONS = 2_000_000;

/** A session token as express-session makes them: 24 random bytes, base64url (32 characters). */
export function newToken(): string {
  return randomBytes(24).toString("base64url");
}

export function newTokens(count: number): string[] {
  return Array.from({ length: count }, newToken);
}

/** The session every store holds: 256 random bytes. */
export const PAYLOAD: Buffer = randomBytes(SESSION_BYTES);

/**
 * What express-session stores keep: a session object whose JSON is {@link SESSION_BYTES} long,
 * with a cookie that expires in an hour.
 */
export function sessionObject(maxAgeMs = ONE_HOUR_MS) {
  const cookie = {
    originalMaxAge: maxAgeMs,
    maxAge: maxAgeMs, // memorystore reads its TTL from here
    expires: new Date(Date.now() + maxAgeMs), // a Date, as express-session's Cookie holds it
    httpOnly: true,
    path: "/",
  };
  const skeleton = JSON.stringify({ cookie, data: "" }).length;
  return { cookie, data: "x".repeat(SESSION_BYTES - skeleton) };
}
