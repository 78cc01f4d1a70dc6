import { describeValue } from "../../arguments";
import type {
  IoRedisClient,
  IoRedisCluster,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisSentinel,
} from "./client-types";
import { IoRedisClusterConnection, IoRedisConnection } from "./ioredis-connection";
import {
  NodeRedisClusterConnection,
  NodeRedisConnection,
  NodeRedisSentinelConnection,
} from "./node-redis-connection";
import type { RedisConnection } from "./redis-connection";

/**
 * Recognises `client` by its shape, and wraps it: ioredis by its `getBuffer` and `scanBuffer`,
 * its `Cluster` by `nodes` too; node-redis by `sendCommand`, its cluster by `nodeClient` and
 * `slots`, its Sentinel client by `getMasterNode` and `_execute` (its `sendCommand` takes
 * `isReadonly` first).
 *
 * @throws TypeError when `client` is none of the clients of {@link RedisStoreClient}, or is an
 *   ioredis `Cluster` that reads from replicas.
 */
export function connectionOf(client: unknown, offlineTimeoutMs: number): RedisConnection {
  const candidate = (client ?? {}) as Record<string, unknown>;
  const has = (name: string) => typeof candidate[name] === "function";
  if (has("getBuffer") && has("scanBuffer")) {
    return has("nodes")
      ? new IoRedisClusterConnection(client as IoRedisCluster, offlineTimeoutMs)
      : new IoRedisConnection(client as IoRedisClient, offlineTimeoutMs);
  }
  if (has("sendCommand") && has("nodeClient") && Array.isArray(candidate.slots)) {
    return new NodeRedisClusterConnection(client as NodeRedisCluster, offlineTimeoutMs);
  }
  if (has("getMasterNode") && has("_execute")) {
    return new NodeRedisSentinelConnection(client as NodeRedisSentinel, offlineTimeoutMs);
  }
  if (has("sendCommand") && !has("getMasterNode")) {
    return new NodeRedisConnection(client as NodeRedisClient, offlineTimeoutMs);
  }
  throw new TypeError(
    "Expected `client` to be a node-redis client, pool, cluster or Sentinel client (`redis` 5 or " +
      `6) or an ioredis Redis or Cluster (\`ioredis\` 5 or 6), got ${describeValue(client)}`,
  );
}
