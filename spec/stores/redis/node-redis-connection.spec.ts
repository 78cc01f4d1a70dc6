import { install } from "@sinonjs/fake-timers";
import { expect } from "chai";
import type {
  NodeRedisClient,
  NodeRedisCommandOptions,
  NodeRedisSentinel,
} from "../../../src/stores/redis/client-types";
import {
  NodeRedisClusterConnection,
  NodeRedisConnection,
  NodeRedisSentinelConnection,
} from "../../../src/stores/redis/node-redis-connection";
import type { RedisConnection } from "../../../src/stores/redis/redis-connection";
import { RedisOfflineError } from "../../../src/stores/redis/redis-offline-error";
import { FIND, FIND_MANY } from "../../../src/stores/redis/scripts";
import { expectFailure } from "../store-contract";

/** A node-redis client's shape that records the options of each command and answers `answer`. */
function stubClient(answer: (options: NodeRedisCommandOptions) => Promise<unknown>) {
  const options: NodeRedisCommandOptions[] = [];
  const client: NodeRedisClient = {
    sendCommand: (_args, commandOptions = {}) => {
      options.push(commandOptions);
      return answer(commandOptions);
    },
  };
  return { client, options };
}

/** Rejects as node-redis does when the command's signal aborts before it is written. */
function droppedOnAbort(options: NodeRedisCommandOptions): Promise<unknown> {
  return new Promise((_, reject) => {
    options.abortSignal?.addEventListener("abort", () =>
      reject(new Error("The command was aborted")),
    );
  });
}

/** Settles `promise`, then tells how: its value or its error. */
function settled(promise: Promise<unknown>) {
  return promise.then(
    (value) => ({ value, error: undefined as unknown }),
    (error: unknown) => ({ value: undefined as unknown, error }),
  );
}

describe("node-redis connections", () => {
  let clock: ReturnType<typeof install>;
  beforeEach(() => {
    clock = install({ now: 1_000_000, toFake: ["Date", "setTimeout"] });
  });
  afterEach(() => clock.uninstall());

  const find = (connection: RedisConnection, asBytes = false) =>
    connection.evaluate(FIND, ["k"], [], asBytes);

  it("options: the commands of one slice share an abort signal; the slice is a tenth of offlineTimeoutMs, at most 100 ms", async () => {
    for (const [offlineTimeoutMs, sliceMs] of [
      [500, 50],
      [5_000, 100],
    ] as const) {
      const { client, options } = stubClient(async () => null);
      const connection = new NodeRedisConnection(client, offlineTimeoutMs);
      await find(connection);
      clock.tick(sliceMs - 1);
      await find(connection, true);
      clock.tick(1);
      await find(connection);
      const [first, sameSlice, next] = options.map((o) => o.abortSignal);
      expect(first).to.be.an.instanceOf(AbortSignal);
      expect(sameSlice, `${sliceMs - 1} ms later`).to.equal(first);
      expect(next, `${sliceMs} ms later`).not.to.equal(first);
    }
  });

  it("options: each signal aborts offlineTimeoutMs after its slice began", async () => {
    const { client, options } = stubClient(async () => null);
    const connection = new NodeRedisConnection(client, 500);
    await find(connection);
    clock.tick(50);
    await find(connection);
    const [first, second] = options.map((o) => o.abortSignal as AbortSignal);
    clock.tick(449);
    expect([first?.aborted, second?.aborted]).to.deep.equal([false, false]);
    clock.tick(1);
    expect([first?.aborted, second?.aborted]).to.deep.equal([true, false]);
    clock.tick(50);
    expect(second?.aborted).to.equal(true);
  });

  it("options: bulk strings as Buffers only when asked, no reply type of the client's own, and no per-command timeout", async () => {
    const { client, options } = stubClient(async () => null);
    const connection = new NodeRedisConnection(client, 500);
    await connection.evaluate(FIND, ["k"], []);
    await find(connection, true);
    const [plain, bytes] = options;
    expect(plain?.typeMapping).to.deep.equal({});
    expect(bytes?.typeMapping).to.deep.equal({ 36: Buffer });
    for (const sent of [plain, bytes]) {
      expect(sent).to.have.property("timeout", undefined);
    }
  });

  it("options: any number of commands may wait on one signal, with no warning", async () => {
    const warnings: Error[] = [];
    const warned = (warning: Error) => warnings.push(warning);
    process.on("warning", warned);
    try {
      const { client } = stubClient(droppedOnAbort);
      const connection = new NodeRedisConnection(client, 500);
      const calls = Array.from({ length: 20 }, () => settled(find(connection)));
      clock.tick(500);
      for (const { error } of await Promise.all(calls)) {
        expect(error).to.be.an.instanceOf(RedisOfflineError);
      }
      await new Promise((resolve) => process.nextTick(resolve));
    } finally {
      process.off("warning", warned);
    }
    expect(warnings.map(String)).to.deep.equal([]);
  });

  it("a command its signal dropped rejects with a RedisOfflineError; any other error as it is", async () => {
    const { client } = stubClient(droppedOnAbort);
    const dropped = settled(find(new NodeRedisConnection(client, 500)));
    clock.tick(500);
    const { error } = await dropped;
    expect(error).to.be.an.instanceOf(RedisOfflineError);
    expect((error as RedisOfflineError).offlineTimeoutMs).to.equal(500);

    // The same words from the client while the signal is live are the client's own error.
    const aborted = new Error("The command was aborted");
    const early = stubClient(() => Promise.reject(aborted));
    expect((await settled(find(new NodeRedisConnection(early.client, 500)))).error).to.equal(
      aborted,
    );
    // Another error after the signal aborted is the client's too.
    const other = new Error("Socket closed unexpectedly");
    const late = stubClient(
      (options) =>
        new Promise((_, reject) => {
          options.abortSignal?.addEventListener("abort", () => reject(other));
        }),
    );
    const lateCall = settled(find(new NodeRedisConnection(late.client, 500)));
    clock.tick(500);
    expect((await lateCall).error).to.equal(other);
  });

  it("evaluate: EVALSHA, then EVAL when Redis lacks the script; any other error rejects, the script not sent again", async () => {
    const sent: string[][] = [];
    const oom = new Error("OOM command not allowed");
    let error = new Error("NOSCRIPT No matching script.");
    const client: NodeRedisClient = {
      sendCommand: async (args) => {
        sent.push(args.map(String));
        if (args[0] === "EVALSHA") throw error;
        return "answer";
      },
    };
    const connection = new NodeRedisConnection(client, 500);
    expect(await connection.evaluate(FIND, ["k"], ["a"])).to.equal("answer");
    expect(sent).to.deep.equal([
      ["EVALSHA", FIND.sha, "1", "k", "a"],
      ["EVAL", FIND.source, "1", "k", "a"],
    ]);
    sent.length = 0;
    error = oom;
    expect((await settled(connection.evaluate(FIND, ["k"], ["a"]))).error).to.equal(oom);
    expect(sent.map(([command]) => command)).to.deep.equal(["EVALSHA"]);
  });

  it("oneServer: true on a client and a Sentinel client, false on a cluster", () => {
    const { client } = stubClient(async () => null);
    const sentinel: NodeRedisSentinel = {
      getMasterNode: () => undefined,
      _execute: () => new Promise<never>(() => {}),
    };
    const cluster = { slots: [], nodeClient: () => client, sendCommand: async () => null };
    expect(new NodeRedisConnection(client, 500).oneServer).to.equal(true);
    expect(new NodeRedisSentinelConnection(sentinel, 500).oneServer).to.equal(true);
    expect(new NodeRedisClusterConnection(cluster, 500).oneServer).to.equal(false);
  });

  it("a client: one SCAN walk for the prefix, glob characters escaped, and one script reading each batch", async () => {
    const sent: string[][] = [];
    const value = Buffer.from("v");
    const client: NodeRedisClient = {
      sendCommand: async (args, options) => {
        sent.push(args.map(String));
        if (args[0] === "SCAN") return args[1] === "0" ? ["5", ["s*:a"]] : ["0", ["s*:b", "s*:c"]];
        // node-redis answers bulk strings as strings unless the options map them to Buffers.
        const found = options?.typeMapping?.[36] === Buffer ? value : String(value);
        return args[2] === "1" ? [found] : [null, found];
      },
    };
    const visited: string[] = [];
    await new NodeRedisConnection(client, 500).scan("s*:", "7", (key, bytes) => {
      expect(bytes).to.equal(value);
      visited.push(key);
    });
    expect(sent).to.deep.equal([
      ["SCAN", "0", "MATCH", "s\\*:*", "COUNT", "7"],
      ["EVALSHA", FIND_MANY.sha, "1", "s*:a"],
      ["SCAN", "5", "MATCH", "s\\*:*", "COUNT", "7"],
      ["EVALSHA", FIND_MANY.sha, "2", "s*:b", "s*:c"],
    ]);
    expect(visited).to.deep.equal(["s*:a", "s*:c"]);
  });

  describe("on a cluster", () => {
    /**
     * A node-redis cluster's shape: every slot on `masters[slot % masters.length]`, and each
     * routed command answered with its first key, as bytes only when its options ask for them.
     */
    function stubCluster(masters: object[], nodeClient: (master: object) => NodeRedisClient) {
      const routed: [key: unknown, isReadonly: unknown, args: string[]][] = [];
      const cluster = {
        slots: Array.from({ length: 16_384 }, (_, slot) => ({
          master: masters[slot % masters.length] as object,
        })),
        nodeClient,
        sendCommand: async (
          key: unknown,
          isReadonly: unknown,
          args: (string | Buffer)[],
          options?: NodeRedisCommandOptions,
        ) => {
          routed.push([key, isReadonly, args.map(String)]);
          const firstKey = String(args[3]);
          return options?.typeMapping?.[36] === Buffer ? Buffer.from(firstKey) : firstKey;
        },
      };
      return { cluster, routed };
    }

    it("evaluate: routed by its first key, to a master", async () => {
      const { cluster, routed } = stubCluster([{}], () => stubClient(async () => null).client);
      await new NodeRedisClusterConnection(cluster, 500).evaluate(FIND, ["k1", "k2"], ["a"]);
      expect(routed).to.deep.equal([["k1", false, ["EVALSHA", FIND.sha, "2", "k1", "k2", "a"]]]);
    });

    it("scan: SCAN on each master's own client, and one script per key, routed", async () => {
      const masters = [{ port: 1 }, { port: 2 }];
      const scanned: [number, string[]][] = [];
      const { cluster, routed } = stubCluster(masters, (master) => ({
        sendCommand: async (args) => {
          const port = (master as { port: number }).port;
          scanned.push([port, args.map(String)]);
          return ["0", [`s:${port}`]];
        },
      }));
      const visited: [string, string][] = [];
      await new NodeRedisClusterConnection(cluster, 500).scan("s:", "7", (key, bytes) =>
        visited.push([key, String(bytes)]),
      );
      expect(scanned).to.deep.equal([
        [1, ["SCAN", "0", "MATCH", "s:*", "COUNT", "7"]],
        [2, ["SCAN", "0", "MATCH", "s:*", "COUNT", "7"]],
      ]);
      expect(routed).to.deep.equal([
        ["s:1", false, ["EVALSHA", FIND.sha, "1", "s:1"]],
        ["s:2", false, ["EVALSHA", FIND.sha, "1", "s:2"]],
      ]);
      expect(visited.sort()).to.deep.equal([
        ["s:1", "s:1"],
        ["s:2", "s:2"],
      ]);
    });

    it("scan: each session's value reaches visit as bytes", async () => {
      const { cluster } = stubCluster([{}], () => ({
        sendCommand: async () => ["0", ["s:a"]],
      }));
      const values: unknown[] = [];
      await new NodeRedisClusterConnection(cluster, 500).scan("s:", "7", (_key, value) =>
        values.push(value),
      );
      expect(values).to.deep.equal([Buffer.from("s:a")]);
    });

    it("scan: a cluster client that knows no master for some slot rejects, naming the slot", async () => {
      const { cluster } = stubCluster([{}], () => stubClient(async () => ["0", []]).client);
      cluster.slots = cluster.slots.slice(0, 100);
      const { error } = await settled(
        new NodeRedisClusterConnection(cluster, 500).scan("s:", "7", () => {}),
      );
      expect(error).to.be.an.instanceOf(Error);
      expect((error as Error).message).to.equal(
        "The cluster client knows no master for hash slot 100: connect it before using the store",
      );
    });

    it("a command its signal dropped rejects with a RedisOfflineError", async () => {
      const { cluster } = stubCluster([{}], () => stubClient(async () => null).client);
      cluster.sendCommand = (_key, _isReadonly, _args, options) =>
        droppedOnAbort(options as NodeRedisCommandOptions) as Promise<never>;
      const call = settled(find(new NodeRedisClusterConnection(cluster, 500)));
      clock.tick(500);
      const { error } = await call;
      expect(error).to.be.an.instanceOf(RedisOfflineError);
      expect((error as RedisOfflineError).offlineTimeoutMs).to.equal(500);
    });
  });

  describe("on a Sentinel client", () => {
    /**
     * A node-redis Sentinel client's shape whose `_execute` runs `fn` on `client` once `master`
     * is called (the sentinels named a master), and then again for each `READONLY` it throws.
     */
    function stubSentinel(client: NodeRedisClient) {
      let master: () => void = () => {};
      const found = new Promise<void>((resolve) => {
        master = resolve;
      });
      const sentinel: NodeRedisSentinel = {
        getMasterNode: () => undefined,
        async _execute(isReadonly, fn) {
          expect(isReadonly, "isReadonly").to.equal(false);
          await found;
          for (;;) {
            try {
              return await fn(client);
            } catch (error) {
              if (!(error instanceof Error && error.message.startsWith("READONLY"))) throw error;
            }
          }
        },
      };
      return { connection: new NodeRedisSentinelConnection(sentinel, 500), master };
    }

    it("a command no master takes within offlineTimeoutMs rejects with a RedisOfflineError, and is never sent", async () => {
      const { client, options } = stubClient(async () => 1);
      const { connection, master } = stubSentinel(client);
      const call = settled(find(connection));
      clock.tick(500);
      expect((await call).error).to.be.an.instanceOf(RedisOfflineError);
      master();
      await clock.tickAsync(0);
      expect(options).to.have.length(0);
    });

    it("a command a master took is answered, however long after offlineTimeoutMs", async () => {
      let answer: (reply: unknown) => void = () => {};
      const { client } = stubClient(
        () =>
          new Promise((resolve) => {
            answer = resolve;
          }),
      );
      const { connection, master } = stubSentinel(client);
      master();
      const call = settled(find(connection));
      await clock.tickAsync(0);
      clock.tick(1_000);
      answer("bytes");
      expect(await call).to.deep.equal({ value: "bytes", error: undefined });
    });

    it("a READONLY answer before offlineTimeoutMs sends the command again; after it, rejects with it", async () => {
      const readOnly = new Error("READONLY You can't write against a read only replica.");
      const answers: unknown[] = [readOnly, "again"];
      const again = stubClient(async () => {
        const answer = answers.shift();
        if (answer instanceof Error) throw answer;
        return answer;
      });
      const first = stubSentinel(again.client);
      first.master();
      expect(await settled(find(first.connection))).to.deep.equal({
        value: "again",
        error: undefined,
      });
      expect(again.options).to.have.length(2);

      const once = stubClient(
        (options) =>
          new Promise((_, reject) => {
            options.abortSignal?.addEventListener("abort", () => reject(readOnly));
          }),
      );
      const late = stubSentinel(once.client);
      late.master();
      const call = settled(find(late.connection));
      await clock.tickAsync(0);
      clock.tick(500);
      expect((await call).error).to.equal(readOnly);
      expect(once.options).to.have.length(1);
    });

    it("a READONLY answer, then no new master within offlineTimeoutMs: RedisOfflineError", async () => {
      const readOnly = new Error("READONLY You can't write against a read only replica.");
      const { client, options } = stubClient(() => Promise.reject(readOnly));
      const sentinel: NodeRedisSentinel = {
        getMasterNode: () => undefined,
        async _execute(_isReadonly, fn) {
          await fn(client).catch(() => {});
          // The sentinels name no new master.
          return new Promise(() => {});
        },
      };
      const call = settled(find(new NodeRedisSentinelConnection(sentinel, 500)));
      await clock.tickAsync(500);
      expect((await call).error).to.be.an.instanceOf(RedisOfflineError);
      expect(options).to.have.length(1);
    });

    it("an error of the Sentinel client itself rejects the call with it", async () => {
      const broken = new Error("no master");
      const sentinel: NodeRedisSentinel = {
        getMasterNode: () => undefined,
        _execute: () => Promise.reject(broken),
      };
      const connection = new NodeRedisSentinelConnection(sentinel, 500);
      await expectFailure(() => find(connection), Error, /^no master$/);
    });
  });
});
