import { EventEmitter } from "node:events";
import { install } from "@sinonjs/fake-timers";
import { expect } from "chai";
import { RedisStore } from "../../../src/redis";
import type { IoRedisClient, IoRedisCluster } from "../../../src/stores/redis/client-types";
import {
  IoRedisClusterConnection,
  IoRedisConnection,
} from "../../../src/stores/redis/ioredis-connection";
import type { RedisConnection } from "../../../src/stores/redis/redis-connection";
import { RedisOfflineError } from "../../../src/stores/redis/redis-offline-error";
import { FIND } from "../../../src/stores/redis/scripts";
import { IOREDIS_NEEDS } from "../../support/redis-clients";
import { bytes } from "../store-contract";

const SLOT_COUNT = 16_384;

/** One call a stub ioredis client was made: the method's name and its arguments. */
type Call = [method: string, ...args: unknown[]];

/**
 * An ioredis client's shape: its `status` as set, its events, and each command answered by
 * `answer` (by default, the same as `getBuffer` on an empty key).
 */
class StubIoRedis extends EventEmitter {
  status = "ready";
  connects = 0;
  readonly calls: Call[] = [];
  answer: (call: Call) => Promise<unknown> = async () => null;

  constructor(readonly options: Record<string, unknown> = { ...IOREDIS_NEEDS }) {
    super();
  }

  connect(): Promise<void> {
    this.connects++;
    return Promise.reject(new Error("no server"));
  }

  private command(method: string, args: unknown[]): Promise<unknown> {
    const call: Call = [method, ...args];
    this.calls.push(call);
    return this.answer(call);
  }

  getBuffer = (...args: unknown[]) => this.command("getBuffer", args);
  scanBuffer = (...args: unknown[]) => this.command("scanBuffer", args);
  evalsha = (...args: unknown[]) => this.command("evalsha", args);
  evalshaBuffer = (...args: unknown[]) => this.command("evalshaBuffer", args);
  eval = (...args: unknown[]) => this.command("eval", args);
  evalBuffer = (...args: unknown[]) => this.command("evalBuffer", args);
}

const asClient = (stub: StubIoRedis) => stub as unknown as IoRedisClient;

function settled(promise: Promise<unknown>) {
  return promise.then(
    (value) => ({ value, error: undefined as unknown }),
    (error: unknown) => ({ value: undefined as unknown, error }),
  );
}

const find = (connection: RedisConnection, asBytes = false) =>
  connection.evaluate(FIND, ["k"], ["a"], asBytes);

describe("ioredis connections", () => {
  let clock: ReturnType<typeof install>;
  beforeEach(() => {
    clock = install({ toFake: ["setTimeout", "clearTimeout"] });
  });
  afterEach(() => clock.uninstall());

  /** The message of the TypeError that making a connection of `make` throws. */
  function refusal(make: () => unknown): string {
    try {
      make();
    } catch (error) {
      expect(error).to.be.an.instanceOf(TypeError);
      return (error as Error).message;
    }
    throw new Error("no TypeError");
  }

  it("constructor: an option left on is named with its value, what to set, and why", () => {
    const redis = (options: Record<string, unknown>) => () =>
      new IoRedisConnection(asClient(new StubIoRedis(options)), 500);
    expect(refusal(redis({ autoResendUnfulfilledCommands: false }))).to.equal(
      "Expected `client` to reject the commands it cannot send (ioredis option " +
        "`enableOfflineQueue: false`), got `enableOfflineQueue` `true` (boolean): a call made as " +
        "the connection drops would wait until Redis is back, then a save would land over newer ones",
    );
    expect(
      refusal(redis({ enableOfflineQueue: false, autoResendUnfulfilledCommands: 1 })),
    ).to.equal(
      "Expected `client` not to resend unanswered commands on reconnection (ioredis option " +
        "`autoResendUnfulfilledCommands: false`), got `autoResendUnfulfilledCommands` `1` " +
        "(number): a save sent as the connection dropped would land later, over newer ones",
    );
    // A client with no options at all has every option at its default.
    const bare = new StubIoRedis();
    Object.assign(bare, { options: undefined });
    expect(refusal(() => new IoRedisConnection(asClient(bare), 500))).to.match(
      /^Expected `client` to reject the commands it cannot send.*`true` \(boolean\)/,
    );
    expect(
      refusal(
        () => new IoRedisClusterConnection(asClient(new StubIoRedis({})) as IoRedisCluster, 500),
      ),
    ).to.match(/^Expected `client` to reject the commands it cannot send.*`true` \(boolean\)/);
  });

  it("constructor: a Redis that asks the sentinels for a replica, named with its role; role matters only with sentinels", () => {
    const sentinels = [{ host: "127.0.0.1", port: 1 }];
    const redis = (options: Record<string, unknown>) => () =>
      new IoRedisConnection(asClient(new StubIoRedis({ ...IOREDIS_NEEDS, ...options })), 500);
    expect(refusal(redis({ sentinels, role: "slave" }))).to.equal(
      'Expected `client` to connect to the master (ioredis option `role: "master"`, the default), ' +
        "got `role` `'slave'` (string): every command would reach a replica",
    );
    for (const options of [{ sentinels }, { sentinels, role: "master" }, { role: "slave" }]) {
      expect(redis(options)()).to.be.an.instanceOf(IoRedisConnection);
    }
  });

  it("constructor: a Cluster that reads replicas, named with its scaleReads; masters by default", () => {
    const cluster = (options: Record<string, unknown>) => () =>
      new IoRedisClusterConnection(
        asClient(new StubIoRedis({ ...IOREDIS_NEEDS, ...options })) as IoRedisCluster,
        500,
      );
    expect(refusal(cluster({ scaleReads: "slave" }))).to.equal(
      'Expected `client` to read from masters (ioredis Cluster option `scaleReads: "master"`, ' +
        "the default), got `scaleReads` `'slave'` (string): a find right after a save could " +
        "read a replica the save has not reached",
    );
    for (const options of [{}, { scaleReads: "master" }]) {
      expect(cluster(options)()).to.be.an.instanceOf(IoRedisClusterConnection);
    }
  });

  it("evaluate: EVALSHA, then EVAL when Redis lacks the script; their Buffer forms for bytes", async () => {
    for (const [asBytes, bySha, bySource] of [
      [false, "evalsha", "eval"],
      [true, "evalshaBuffer", "evalBuffer"],
    ] as const) {
      const stub = new StubIoRedis();
      stub.answer = async ([method]) => {
        if (method === bySha) throw new Error("NOSCRIPT No matching script.");
        return "answer";
      };
      const connection = new IoRedisConnection(asClient(stub), 500);
      const answer = asBytes ? find(connection, true) : connection.evaluate(FIND, ["k"], ["a"]);
      expect(await answer).to.equal("answer");
      expect(stub.calls).to.deep.equal([
        [bySha, FIND.sha, 1, "k", "a"],
        [bySource, FIND.source, 1, "k", "a"],
      ]);
    }
  });

  it("evaluate: any other error rejects, and the script is not sent again", async () => {
    const stub = new StubIoRedis();
    const oom = new Error("OOM command not allowed");
    stub.answer = () => Promise.reject(oom);
    expect((await settled(find(new IoRedisConnection(asClient(stub), 500)))).error).to.equal(oom);
    expect(stub.calls.map(([method]) => method)).to.deep.equal(["evalsha"]);
  });

  it("a client not ready: the call waits for it, with one listener however many calls wait, then is sent", async () => {
    const stub = new StubIoRedis();
    stub.status = "reconnecting";
    const connection = new IoRedisConnection(asClient(stub), 500);
    const calls = [settled(find(connection)), settled(find(connection))];
    await clock.tickAsync(499);
    expect(stub.calls).to.have.length(0);
    expect([stub.listenerCount("ready"), stub.listenerCount("end")]).to.deep.equal([1, 1]);
    stub.status = "ready";
    stub.emit("ready");
    expect(await Promise.all(calls)).to.deep.equal([
      { value: null, error: undefined },
      { value: null, error: undefined },
    ]);
    expect(stub.calls).to.have.length(2);
    expect([stub.listenerCount("ready"), stub.listenerCount("end")]).to.deep.equal([0, 0]);
    expect(clock.countTimers(), "timers left to keep the process alive").to.equal(0);
    // The next outage waits afresh.
    stub.status = "reconnecting";
    const next = settled(find(connection));
    await clock.tickAsync(500);
    expect((await next).error).to.be.an.instanceOf(RedisOfflineError);
  });

  it("a client not ready within offlineTimeoutMs: RedisOfflineError, and the command is never sent", async () => {
    const stub = new StubIoRedis();
    stub.status = "connecting";
    const call = settled(find(new IoRedisConnection(asClient(stub), 500)));
    await clock.tickAsync(500);
    const { error } = await call;
    expect(error).to.be.an.instanceOf(RedisOfflineError);
    expect((error as RedisOfflineError).offlineTimeoutMs).to.equal(500);
    stub.status = "ready";
    stub.emit("ready");
    await clock.tickAsync(0);
    expect(stub.calls).to.have.length(0);
    expect(stub.connects, "a client that is connecting is not asked to").to.equal(0);
  });

  it("a lazyConnect client not yet connected: the first call connects it", async () => {
    const stub = new StubIoRedis();
    stub.status = "wait";
    const call = settled(find(new IoRedisConnection(asClient(stub), 500)));
    expect(stub.connects).to.equal(1);
    stub.status = "ready";
    stub.emit("ready");
    expect(await call).to.deep.equal({ value: null, error: undefined });
  });

  it("a client that ended, or ends while a call waits: the call is handed to it at once, to reject", async () => {
    const closed = new Error("Connection is closed.");
    const stub = new StubIoRedis();
    stub.answer = () => Promise.reject(closed);
    stub.status = "end";
    const connection = new IoRedisConnection(asClient(stub), 500);
    const ended = settled(find(connection));
    expect(stub.calls, "handed to the client in the same tick").to.have.length(1);
    expect((await ended).error).to.equal(closed);
    stub.status = "reconnecting";
    const waiting = settled(find(connection));
    stub.status = "end";
    stub.emit("end");
    expect((await waiting).error).to.equal(closed);
    expect(stub.calls).to.have.length(2);
    expect([stub.listenerCount("ready"), stub.listenerCount("end")]).to.deep.equal([0, 0]);
  });

  it("a ready client: the call is handed to it at once, ahead of any command sent after it", async () => {
    const stub = new StubIoRedis();
    const call = find(new IoRedisConnection(asClient(stub), 500));
    void stub.getBuffer("other");
    expect(stub.calls.map(([method]) => method)).to.deep.equal(["evalsha", "getBuffer"]);
    expect(await call).to.equal(null);
  });

  it("a Redis: a call sent and not answered when the connection closes rejects then; a Cluster's is left to the cluster", async () => {
    const stub = new StubIoRedis();
    stub.answer = () => new Promise(() => {});
    const call = settled(find(new IoRedisConnection(asClient(stub), 500)));
    await clock.tickAsync(0);
    stub.emit("close");
    const { error } = await call;
    expect(error).to.be.an.instanceOf(Error);
    expect((error as Error).message).to.equal(
      "The connection to Redis closed before Redis answered: the command may or may not " +
        "have run, and is not sent again",
    );

    // However many connections share a Redis, it has one close listener, rejecting the calls of each.
    const shared = new StubIoRedis();
    shared.answer = () => new Promise(() => {});
    const connections = Array.from(
      { length: 3 },
      () => new IoRedisConnection(asClient(shared), 500),
    );
    expect(shared.listenerCount("close")).to.equal(1);
    const calls = connections.map((connection) => settled(find(connection)));
    await clock.tickAsync(0);
    shared.emit("close");
    for (const { error: sharedError } of await Promise.all(calls)) {
      expect((sharedError as Error).message).to.match(/^The connection to Redis closed/);
    }

    const cluster = new StubIoRedis();
    cluster.answer = () => new Promise(() => {});
    let clusterCall: unknown = "pending";
    void find(new IoRedisClusterConnection(asClient(cluster) as IoRedisCluster, 500)).then(
      (value) => (clusterCall = value),
      (reason: unknown) => (clusterCall = reason),
    );
    await clock.tickAsync(0);
    cluster.emit("close");
    await clock.tickAsync(0);
    expect(clusterCall).to.equal("pending");
    expect(cluster.listenerCount("close")).to.equal(0);
  });

  it("a RedisStore on a Redis saves a session with an owner in one script; on a Cluster, the index first, then the session", async () => {
    const redis = new StubIoRedis();
    await new RedisStore(asClient(redis)).save(
      "t",
      bytes(1),
      new Date(Date.now() + 60_000),
      "alice",
    );
    expect(redis.calls.map((call) => call.slice(2, 5))).to.deep.equal([
      [2, "scs:session:t", "scs:owner:alice"],
    ]);
    const cluster = new StubIoRedis();
    Object.assign(cluster, { nodes: () => [], slots: [] });
    await new RedisStore(asClient(cluster)).save(
      "t",
      bytes(1),
      new Date(Date.now() + 60_000),
      "alice",
    );
    expect(cluster.calls.map((call) => call.slice(2, 4))).to.deep.equal([
      [1, "scs:owner:alice"],
      [1, "scs:session:t"],
    ]);
  });

  describe("scan", () => {
    /** Answers one SCAN (cursor 0, `keys`), and the script reading them with `values`. */
    function scanning(stub: StubIoRedis, keys: (string | Buffer)[], values: (Buffer | null)[]) {
      stub.answer = async ([method, , , ...rest]) => {
        if (method === "scanBuffer") return [Buffer.from("0"), keys];
        if (method === "evalshaBuffer") return rest.length === 1 ? values[0] : values;
        throw new Error(`unexpected ${method}`);
      };
    }

    it("a Redis: SCAN after the client's keyPrefix, each key read without it", async () => {
      for (const [keyPrefix, sentPrefix] of [
        ["app:", "app:"],
        [Buffer.from("buf:"), "buf:"],
        [undefined, ""],
        [42, ""],
      ] as const) {
        const stub = new StubIoRedis({ ...IOREDIS_NEEDS, keyPrefix });
        const value = Buffer.from("v");
        scanning(stub, [Buffer.from(`${sentPrefix}s:a`), `${sentPrefix}s:gone`], [value, null]);
        const visited: [string, Buffer][] = [];
        await new IoRedisConnection(asClient(stub), 500).scan("s:", "7", (key, bytes) =>
          visited.push([key, bytes]),
        );
        const [scan, read] = stub.calls;
        expect(scan?.slice(0, 3)).to.deep.equal(["scanBuffer", "0", "MATCH"]);
        expect(String(scan?.[3]), String(keyPrefix)).to.equal(`${sentPrefix}s:*`);
        expect(scan?.slice(4)).to.deep.equal(["COUNT", "7"]);
        // A key SCAN answers as a string is taken as it is.
        expect(read?.slice(2), String(keyPrefix)).to.deep.equal([2, "s:a", `${sentPrefix}s:gone`]);
        expect(visited).to.deep.equal([["s:a", value]]);
      }
    });

    /**
     * A Cluster's shape: every slot on the master at port 7000, and the nodes given, which
     * `nodes(role)` lists as ioredis does (`masters` are the ones it tags as masters).
     */
    function stubCluster(nodes: StubIoRedis[], masters: StubIoRedis[] = []) {
      const cluster = new StubIoRedis();
      const shape = cluster as unknown as {
        slots: string[][];
        nodes: (role?: string) => StubIoRedis[];
      };
      shape.slots = Array.from({ length: SLOT_COUNT }, () => ["127.0.0.1:7000", "127.0.0.1:7001"]);
      shape.nodes = (role = "all") => {
        if (role === "all") return nodes;
        if (role === "master") return nodes.filter((node) => masters.includes(node));
        if (role === "slave") return nodes.filter((node) => !masters.includes(node));
        throw new Error(`Invalid role "${role}". Expected "all", "master" or "slave"`);
      };
      return cluster;
    }
    const node = (port: number) => new StubIoRedis({ host: "127.0.0.1", port });

    it("a Cluster: SCAN on each master's connection, one script per key on the cluster, once it is ready", async () => {
      const master = node(7000);
      const replica = node(7001);
      const cluster = stubCluster([replica, master]);
      const value = Buffer.from("v");
      scanning(master, ["s:a"], []);
      scanning(cluster, [], [value]);
      cluster.status = "connecting";
      const visited: string[] = [];
      const scanned = settled(
        new IoRedisClusterConnection(asClient(cluster) as IoRedisCluster, 500).scan(
          "s:",
          "7",
          (key) => visited.push(key),
        ),
      );
      await clock.tickAsync(0);
      expect(master.calls).to.have.length(0);
      cluster.status = "ready";
      cluster.emit("ready");
      expect(await scanned).to.deep.equal({ value: undefined, error: undefined });
      expect(master.calls.map(([method]) => method)).to.deep.equal(["scanBuffer"]);
      expect(replica.calls).to.have.length(0);
      expect(cluster.calls.map((call) => call.slice(0, 1).concat(call.slice(2)))).to.deep.equal([
        ["evalshaBuffer", 1, "s:a"],
      ]);
      expect(visited).to.deep.equal(["s:a"]);
    });

    it("a Cluster: SCAN on the master the slots name, even one the cluster has not tagged a master yet", async () => {
      const promoted = node(7000);
      const demoted = node(7001);
      const cluster = stubCluster([demoted, promoted], [demoted]);
      scanning(promoted, [], []);
      await new IoRedisClusterConnection(asClient(cluster) as IoRedisCluster, 500).scan(
        "s:",
        "7",
        () => {},
      );
      expect(promoted.calls.map(([method]) => method)).to.deep.equal(["scanBuffer"]);
      expect(demoted.calls).to.have.length(0);
    });

    it("a Cluster that ended: the walk is handed to its connections at once, to reject", async () => {
      const closed = new Error("Connection is closed.");
      const master = node(7000);
      master.status = "end";
      master.answer = () => Promise.reject(closed);
      const cluster = stubCluster([master]);
      cluster.status = "end";
      const scanned = settled(
        new IoRedisClusterConnection(asClient(cluster) as IoRedisCluster, 500).scan(
          "s:",
          "7",
          () => {},
        ),
      );
      // Past offlineTimeoutMs, a walk still waiting for a connection would be a RedisOfflineError.
      await clock.tickAsync(500);
      expect((await scanned).error).to.equal(closed);
      expect(master.calls).to.have.length(1);
    });

    /** What a scan of `cluster` rejects with, checked to be an Error. */
    async function scanError(cluster: StubIoRedis): Promise<Error> {
      const { error } = await settled(
        new IoRedisClusterConnection(asClient(cluster) as IoRedisCluster, 500).scan(
          "s:",
          "7",
          () => {},
        ),
      );
      expect(error).to.be.an.instanceOf(Error);
      return error as Error;
    }

    it("a Cluster that knows no master for some slot: an Error naming the slot", async () => {
      const cluster = stubCluster([node(7000)]);
      const shape = cluster as unknown as { slots: string[][] };
      shape.slots = shape.slots.slice(0, 100);
      const error = await scanError(cluster);
      expect(error.message).to.equal(
        "The cluster client knows no master for hash slot 100: connect it before using the store",
      );
    });

    it("a Cluster: an Error naming a master it has no connection to", async () => {
      const cluster = stubCluster([node(7001)]);
      const error = await scanError(cluster);
      expect(error.message).to.equal("No connection to the master at 127.0.0.1:7000");
    });
  });
});
