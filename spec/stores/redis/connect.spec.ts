import { expect } from "chai";
import { connectionOf } from "../../../src/stores/redis/connect";
import {
  IoRedisClusterConnection,
  IoRedisConnection,
} from "../../../src/stores/redis/ioredis-connection";
import {
  NodeRedisClusterConnection,
  NodeRedisConnection,
  NodeRedisSentinelConnection,
} from "../../../src/stores/redis/node-redis-connection";

const fn = () => undefined;
/** What an ioredis client needs for RedisStore, as `options`. */
const ioOptions = { enableOfflineQueue: false, autoResendUnfulfilledCommands: false };
const ioRedis = () => ({ getBuffer: fn, scanBuffer: fn, on: fn, options: ioOptions });

function refusal(client: unknown, shown: string): void {
  let error: unknown;
  try {
    connectionOf(client, 1_000);
  } catch (caught) {
    error = caught;
  }
  expect(error).to.be.an.instanceOf(TypeError);
  expect((error as Error).name).to.equal("TypeError");
  expect((error as Error).message).to.equal(
    "Expected `client` to be a node-redis client, pool, cluster or Sentinel client (`redis` 5 or " +
      `6) or an ioredis Redis or Cluster (\`ioredis\` 5 or 6), got ${shown}`,
  );
}

describe("connectionOf", () => {
  it("connectionOf: an ioredis Redis, by its getBuffer and scanBuffer", () => {
    const connection = connectionOf(ioRedis(), 1_000);
    expect(connection).to.be.an.instanceOf(IoRedisConnection);
  });

  it("connectionOf: an ioredis Cluster, by its nodes too", () => {
    const connection = connectionOf({ ...ioRedis(), nodes: fn }, 1_000);
    expect(connection).to.be.an.instanceOf(IoRedisClusterConnection);
  });

  it("connectionOf: a node-redis cluster, by sendCommand, nodeClient and an array of slots", () => {
    const connection = connectionOf({ sendCommand: fn, nodeClient: fn, slots: [] }, 1_000);
    expect(connection).to.be.an.instanceOf(NodeRedisClusterConnection);
  });

  it("connectionOf: a node-redis client or pool, by sendCommand alone", () => {
    expect(connectionOf({ sendCommand: fn }, 1_000)).to.be.an.instanceOf(NodeRedisConnection);
    expect(connectionOf({ sendCommand: fn, nodeClient: fn }, 1_000)).to.be.an.instanceOf(
      NodeRedisConnection,
    );
    expect(connectionOf({ sendCommand: fn, slots: [] }, 1_000)).to.be.an.instanceOf(
      NodeRedisConnection,
    );
    expect(connectionOf({ sendCommand: fn, nodeClient: fn, slots: {} }, 1_000)).to.be.an.instanceOf(
      NodeRedisConnection,
    );
  });

  it("connectionOf: a node-redis Sentinel client, by getMasterNode and _execute, whatever its sendCommand", () => {
    for (const sentinel of [
      { getMasterNode: fn, _execute: fn },
      { sendCommand: fn, getMasterNode: fn, _execute: fn },
    ]) {
      expect(connectionOf(sentinel, 1_000)).to.be.an.instanceOf(NodeRedisSentinelConnection);
    }
  });

  it("connectionOf: a TypeError naming `client` for a getMasterNode without _execute, whose sendCommand takes isReadonly first", () => {
    refusal(
      { sendCommand: fn, getMasterNode: fn },
      "`{ sendCommand: [Function: fn], getMasterNode: [Function: fn] }` (object)",
    );
  });

  it("connectionOf: a TypeError naming `client` for half a shape", () => {
    refusal({ getBuffer: fn }, "`{ getBuffer: [Function: fn] }` (object)");
    refusal({ scanBuffer: fn }, "`{ scanBuffer: [Function: fn] }` (object)");
    refusal({ nodeClient: fn, slots: [] }, "`{ nodeClient: [Function: fn], slots: [] }` (object)");
    refusal({ getMasterNode: fn }, "`{ getMasterNode: [Function: fn] }` (object)");
    refusal({ _execute: fn }, "`{ _execute: [Function: fn] }` (object)");
  });

  it("connectionOf: a TypeError naming `client` when the members are not functions", () => {
    refusal({ getBuffer: 1, scanBuffer: 1 }, "`{ getBuffer: 1, scanBuffer: 1 }` (object)");
    refusal({ sendCommand: "x" }, "`{ sendCommand: 'x' }` (object)");
  });

  it("connectionOf: a TypeError naming `client` for null, undefined or a non-object", () => {
    refusal(null, "`null` (null)");
    refusal(undefined, "`undefined` (undefined)");
    refusal(42, "`42` (number)");
    refusal({}, "`{}` (object)");
  });
});
