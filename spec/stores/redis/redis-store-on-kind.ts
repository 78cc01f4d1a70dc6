import { setTimeout as sleep } from "node:timers/promises";
import { install } from "@sinonjs/fake-timers";
import { expect } from "chai";
import { RedisStore } from "../../../src/redis";
import { DELETE_FOUND } from "../../../src/stores/delete-found";
import type { RedisConnection } from "../../../src/stores/redis/redis-connection";
import { TOUCH } from "../../../src/stores/redis/scripts";
import { runExpressSpecs } from "../../adapters/express-http";
import { CLIENT_KINDS, type ClientKind, type Connected } from "../../support/redis-clients";
import {
  type Deployment,
  useClusterDeployment,
  useServerDeployment,
} from "../../support/redis-deployment";
import { type Monitor, monitor } from "../../support/redis-monitor";
import { REAL_TIME_TOLERANCE_MS, redisExpiryOf } from "../../support/redis-server";
import { runDeleteFoundSpecs } from "../delete-found";
import {
  ALL_BYTE_VALUES,
  bytes,
  expectFailure,
  expectFound,
  expectMissing,
  runIterableStoreContract,
  timed,
} from "../store-contract";

const inMs = (ms: number): Date => new Date(Date.now() + ms);

/**
 * Every spec of RedisStore that depends on the client, on one kind of client: what the store
 * sends to Redis and what it makes of the replies and, on the current majors, the whole store
 * contract and the express-session HTTP specs too. (Those check the expiries Redis holds, and
 * wait in real time for a few, about two seconds a kind; the older and newer majors differ from
 * the current ones in what they send and answer, which the specs of this file check on each.)
 */
function describeOnKind(kind: ClientKind, deployment: () => Deployment): void {
  describe(`RedisStore on ${kind.name}`, () => {
    let connected: Connected | undefined;
    before(async () => {
      connected = await kind.connect(deployment().ports);
    });
    after(async () => {
      await connected?.close();
    });
    const client = () => (connected as Connected).client;

    const harness = async () => {
      await deployment().flush();
      return {
        store: new RedisStore(client()),
        toleranceMs: REAL_TIME_TOLERANCE_MS,
        advance: (ms: number) => sleep(ms),
        close: () => {},
        expiryOf: (token: string) => redisExpiryOf((args) => deployment().raw(args), token),
      };
    };
    if (kind.current) {
      runIterableStoreContract(`RedisStore on ${kind.name}`, harness);
      runDeleteFoundSpecs(`RedisStore on ${kind.name}`, harness);
      runExpressSpecs(`RedisStore on ${kind.name}`, harness);
    }

    describe(`RedisStore on ${kind.name}: what reaches Redis`, () => {
      // One monitor for all the specs (each drains what came before it): starting one on every
      // master for each spec took longer than most specs.
      let seen: Monitor | undefined;
      let raw: Deployment["raw"];
      before(async () => {
        seen = await monitor(deployment().ports);
      });
      after(async () => {
        await seen?.stop();
      });
      beforeEach(async () => {
        await deployment().flush();
        raw = deployment().raw;
        await (seen as Monitor).take();
      });
      const taken = () => (seen as Monitor).take();
      const namesSeen = async () => (await taken()).map((command) => command.name);

      it("every method answers as the contract says: found, missing, touched or not, listed", async () => {
        await expectRoundTrip(new RedisStore(client()));
      });

      if (kind.library === "node-redis" || !kind.cluster) {
        it("the client's own reply types (node-redis typeMapping, ioredis stringNumbers) change no answer", async () => {
          // RESP type 58 is an integer, 36 a bulk string.
          const options =
            kind.library === "node-redis"
              ? { commandOptions: { typeMapping: { 58: String, 36: String } } }
              : { stringNumbers: true };
          const typed = await kind.connect(deployment().ports, options);
          try {
            await expectRoundTrip(new RedisStore(typed.client));
          } finally {
            await typed.close();
          }
        });
      } else {
        it("stringNumbers: every single-key call answers as usual; all() refuses the slot map it garbles", async () => {
          // ioredis's Cluster reads CLUSTER SLOTS with these strings too, and then maps only some
          // slots: all() must reject rather than leave out the sessions of the others.
          const typed = await kind.connect(deployment().ports, {
            redisOptions: { stringNumbers: true },
          });
          try {
            const store = new RedisStore(typed.client);
            await store.save("a", bytes(1), inMs(60_000));
            expect(await store.touch("a", inMs(120_000))).to.equal(true);
            expect(await store.touch("b", inMs(120_000))).to.equal(false);
            expectFound(await store.find("a"), bytes(1));
            await expectFailure(() => store.all(), Error, /no master for hash slot/);
          } finally {
            await typed.close();
          }
        });
      }

      it("save: one Redis string at prefix + token, holding the bytes as they are", async () => {
        await new RedisStore(client()).save("token", ALL_BYTE_VALUES, inMs(60_000));
        const stored = (await raw(["GET", "scs:session:token"], true)) as Buffer;
        expect(Buffer.compare(stored, ALL_BYTE_VALUES)).to.equal(0);
        expect(await raw(["TYPE", "scs:session:token"])).to.equal("string");
      });

      it("save: Redis holds the expiry, 1 ms before the session's, so it is gone at its expiry", async () => {
        const store = new RedisStore(client());
        const expiry = inMs(60_000);
        await store.save("token", bytes(1), expiry);
        expect(await raw(["PEXPIRETIME", "scs:session:token"])).to.equal(expiry.getTime() - 1);
        await store.save("far", bytes(1), new Date(8.64e15));
        expect(await raw(["PEXPIRETIME", "scs:session:far"])).to.equal(8.64e15 - 1);
      });

      it("save: a sub-second expiry expires on time in Redis itself", async () => {
        const expiry = inMs(100);
        await new RedisStore(client()).save("token", bytes(1), expiry);
        const [heldMs, , answeredMs] = await timed(() => raw(["PEXPIRETIME", "scs:session:token"]));
        // Read after the expiry (a busy machine), the key is rightly gone already.
        if (answeredMs < expiry.getTime()) expect(heldMs).to.equal(expiry.getTime() - 1);
        await sleep(Math.max(expiry.getTime() - Date.now(), 0) + REAL_TIME_TOLERANCE_MS);
        expect(await raw(["EXISTS", "scs:session:token"])).to.equal(0);
      });

      it("find, save, delete, touch: one script each, on the session's key alone", async () => {
        const store = new RedisStore(client());
        const calls = async (token: string) => {
          await store.save(token, bytes(1), inMs(60_000));
          await store.find(token);
          await store.touch(token, inMs(120_000));
          await store.delete(token);
          await store.save(token, bytes(2), inMs(-1));
          await store.touch(token, inMs(-1));
        };
        // Once first, so that Redis has the scripts (it is sent EVAL once for each).
        await calls("warm-up");
        await taken();
        await calls("token");
        const commands = await taken();
        const sent = commands.filter((c) => c.name === "EVALSHA");
        expect(sent.length).to.equal(6);
        for (const { args } of sent)
          expect(args.slice(1, 3)).to.deep.equal(["1", "scs:session:token"]);
        // Inside the scripts: only commands on that key (and touch's read of Redis's clock).
        for (const { name, args } of commands) {
          if (name !== "EVALSHA" && name !== "TIME") {
            expect(args[0], name).to.equal("scs:session:token");
          }
        }
      });

      it("delete: a marker in place of the session (a hash with only `deleted`), expiring when the session would have", async () => {
        const store = new RedisStore(client());
        const expiry = inMs(60_000);
        await store.save("token", bytes(1), expiry);
        await store.delete("token");
        expect(await raw(["TYPE", "scs:session:token"])).to.equal("hash");
        expect(await raw(["HGETALL", "scs:session:token"])).to.deep.equal({ deleted: "1" });
        expect(await raw(["PEXPIRETIME", "scs:session:token"])).to.equal(expiry.getTime() - 1);
        await store.save("token", bytes(2), inMs(120_000));
        expect(await raw(["PEXPIRETIME", "scs:session:token"])).to.equal(expiry.getTime() - 1);
        expectMissing(await store.find("token"));
        // Unknown and expired tokens leave no marker.
        await store.delete("unknown");
        expect(await raw(["EXISTS", "scs:session:unknown"])).to.equal(0);
      });

      it("delete: no stored bytes are ever taken for a marker, nor a marker for bytes", async () => {
        const store = new RedisStore(client());
        const lookalikes = [
          Buffer.from("deleted"),
          Buffer.from("1"),
          Buffer.from("\x00"),
          Buffer.alloc(0),
        ];
        for (const [i, data] of lookalikes.entries()) {
          await store.save(`t${i}`, data, inMs(60_000));
          expectFound(await store.find(`t${i}`), data);
          await store.save(`t${i}`, data, inMs(60_000));
          expectFound(await store.find(`t${i}`), data);
          expect(await store.touch(`t${i}`, inMs(90_000))).to.equal(true);
        }
        expect((await store.all()).size).to.equal(lookalikes.length);
        await store.delete("t0");
        expect([...(await store.all()).keys()].sort()).to.deep.equal(["t1", "t2", "t3"]);
      });

      it("keys written by something else: a hash with `deleted` is a marker whatever else it holds; other kinds read as unknown and a save writes over them", async () => {
        const store = new RedisStore(client());
        const key = (token: string) => `scs:session:${token}`;
        // A session hash missing its index fields: read, touched and deleted as any session.
        await raw(["HSET", key("bare"), "data", "d", "owner", "o"]);
        await raw(["PEXPIRE", key("bare"), "60000"]);
        expectFound(await store.find("bare"), Buffer.from("d"));
        expect(await store.touch("bare", inMs(90_000))).to.equal(true);
        expect(await store[DELETE_FOUND]("bare")).to.equal("live");
        // Bytes beside `deleted`: a marker, never read, never written over, never deleted again.
        await raw(["HSET", key("both"), "data", "{corrupt", "deleted", "1"]);
        expectMissing(await store.find("both"));
        expect(await store.touch("both", inMs(60_000))).to.equal(false);
        await store.save("both", bytes(1), inMs(60_000));
        expect(await store[DELETE_FOUND]("both")).to.equal("deleted");
        expect(await raw(["HGET", key("both"), "data"])).to.equal("{corrupt");
        expect((await store.all()).has("both")).to.equal(false);
        // Neither a session nor a marker: unknown; a delete leaves it, a save writes over it.
        await raw(["HSET", key("hash"), "other", "x"]);
        await raw(["RPUSH", key("list"), "x"]);
        for (const token of ["hash", "list"]) {
          expectMissing(await store.find(token));
          expect(await store.touch(token, inMs(60_000)), token).to.equal(false);
          expect(await store[DELETE_FOUND](token), token).to.equal("none");
          expect(await raw(["EXISTS", key(token)]), token).to.equal(1);
          await store.save(token, bytes(2), inMs(60_000));
          expectFound(await store.find(token), bytes(2));
          await store.save(token, bytes(3), inMs(60_000), undefined);
        }
        expect([...(await store.all()).keys()].sort()).to.deep.equal(["hash", "list"]);
      });

      it("touch: an expiry that has come by Redis's clock when the touch reaches it removes the session, and answers 0", async () => {
        const store = new RedisStore(client());
        await store.save("late", bytes(1), inMs(60_000));
        const [seconds, micros] = (await raw(["TIME"])) as [string, string];
        const pastMs = String(Number(seconds) * 1_000 + Math.floor(Number(micros) / 1_000) - 5);
        // The script as the store sends it, with an expiry Redis's clock has passed.
        const { connection } = store as unknown as { connection: RedisConnection };
        expect(
          Number(await connection.evaluate(TOUCH, ["scs:session:late"], [pastMs, pastMs])),
        ).to.equal(0);
        expect(await raw(["EXISTS", "scs:session:late"])).to.equal(0);
      });

      it("owner index: sessionsOf lists the owner's live sessions with their expiry, never a deleted, expired or moved one", async () => {
        const store = new RedisStore(client());
        const expiry = inMs(60_000);
        await store.save("a1", bytes(1), expiry, "alice");
        await store.save("a2", bytes(2), inMs(120_000), "alice");
        await store.save("a3", bytes(3), inMs(60_000), "alice");
        await store.save("short", bytes(4), inMs(50), "alice");
        await store.save("b1", bytes(5), inMs(60_000), "bob");
        await store.save("moved", bytes(6), inMs(60_000), "alice");
        await store.save("moved", bytes(6), inMs(60_000), "bob");
        await store.save("dropped", bytes(7), inMs(60_000), "alice");
        await store.save("dropped", bytes(7), inMs(60_000));
        await store.delete("a3");
        await sleep(50 + REAL_TIME_TOLERANCE_MS);
        const listed = await store.sessionsOf("alice");
        expect(listed.map((s) => s.token).sort()).to.deep.equal(["a1", "a2"]);
        expect(listed.find((s) => s.token === "a1")?.expiry.getTime()).to.equal(expiry.getTime());
        expect((await store.sessionsOf("bob")).map((s) => s.token).sort()).to.deep.equal([
          "b1",
          "moved",
        ]);
        expect(await store.sessionsOf("nobody")).to.deep.equal([]);
        // A session with an owner is found, touched and listed by all() as any other.
        expectFound(await store.find("a1"), bytes(1));
        expect(await store.touch("a1", inMs(90_000))).to.equal(true);
        expect([...(await store.all()).keys()].sort()).to.deep.equal([
          "a1",
          "a2",
          "b1",
          "dropped",
          "moved",
        ]);
      });

      it("owner index: a touch past the index entry raises it first, and the session stays listed", async () => {
        const store = new RedisStore(client(), { ownerPrefix: "idx:" });
        await store.save("t", bytes(1), inMs(60_000), "alice");
        const far = inMs(10 * 86_400_000);
        expect(await store.touch("t", far)).to.equal(true);
        const score = Number(await raw(["ZSCORE", "idx:alice", "t"]));
        expect(score).to.be.at.least(far.getTime());
        expect(await raw(["PEXPIRETIME", "idx:alice"])).to.be.above(far.getTime());
        expect((await store.sessionsOf("alice")).map((s) => s.expiry.getTime())).to.deep.equal([
          far.getTime(),
        ]);
      });

      it("owner index: deleteSessionsOf deletes the owner's sessions for good but the one named, and answers how many", async () => {
        const store = new RedisStore(client());
        for (const token of ["a1", "a2", "a3", "keep"])
          await store.save(token, bytes(1), inMs(60_000), "alice");
        await store.save("b1", bytes(2), inMs(60_000), "bob");
        await store.save("was-alice", bytes(3), inMs(60_000), "alice");
        await store.save("was-alice", bytes(3), inMs(60_000), "bob");
        expect(await store.deleteSessionsOf("alice", "keep")).to.equal(3);
        expect((await store.sessionsOf("alice")).map((s) => s.token)).to.deep.equal(["keep"]);
        for (const token of ["a1", "a2", "a3"]) {
          await store.save(token, bytes(9), inMs(60_000), "alice");
          expectMissing(await store.find(token));
        }
        expectFound(await store.find("was-alice"), bytes(3));
        expectFound(await store.find("b1"), bytes(2));
        expect(await store.deleteSessionsOf("alice")).to.equal(1);
        expect(await store.deleteSessionsOf("alice")).to.equal(0);
      });

      it(
        kind.cluster
          ? "owner index: written before the session, by a script on its own key; a save without owner sends one script"
          : "owner index: one script for a save with an owner, the index entry written before the session; one without",
        async () => {
          const store = new RedisStore(client());
          await store.save("warm", bytes(1), inMs(60_000), "alice");
          await store.save("warm", bytes(1), inMs(60_000));
          await taken();
          await store.save("t", bytes(1), inMs(60_000), "alice");
          await store.save("u", bytes(1), inMs(60_000));
          const commands = await taken();
          // EVALSHA's key count and keys.
          const scripts = commands
            .filter((c) => c.name === "EVALSHA")
            .map((c) => c.args.slice(1, 2 + Number(c.args[1])));
          // Every write of a session or an index entry, in the order Redis ran them.
          const written = commands
            .filter((c) => c.name === "ZADD" || c.name === "HSET" || c.name === "SET")
            .map((c) => `${c.name} ${c.args[0]}`);
          expect(written).to.deep.equal([
            "ZADD scs:owner:alice",
            "HSET scs:session:t",
            "SET scs:session:u",
          ]);
          expect(scripts).to.deep.equal(
            kind.cluster
              ? [
                  ["1", "scs:owner:alice"],
                  ["1", "scs:session:t"],
                  ["1", "scs:session:u"],
                ]
              : [
                  ["2", "scs:session:t", "scs:owner:alice"],
                  ["1", "scs:session:u"],
                ],
          );
          expect((await store.sessionsOf("alice")).map((s) => s.token)).to.deep.equal(["t"]);
        },
      );

      it("owner index: bad owners are a TypeError naming `owner`, nothing sent", async () => {
        const store = new RedisStore(client());
        for (const owner of ["", "\uD800", 42, null]) {
          await expectFailure(
            () => store.save("t", bytes(1), inMs(60_000), owner as string),
            TypeError,
            /`owner`.*got/,
          );
          await expectFailure(() => store.sessionsOf(owner as string), TypeError, /`owner`.*got/);
          await expectFailure(
            () => store.deleteSessionsOf(owner as string),
            TypeError,
            /`owner`.*got/,
          );
        }
        await expectFailure(
          () => store.deleteSessionsOf("alice", "" as string),
          TypeError,
          /`exceptToken`.*got/,
        );
        expect(await namesSeen()).to.deep.equal([]);
        expectMissing(await store.find("t"));
      });

      it("a session an earlier version stored (a plain string) is found, touched and deleted for good", async () => {
        const store = new RedisStore(client());
        await raw(["SET", "scs:session:old", Buffer.from([1, 2]), "PX", "60000"]);
        expectFound(await store.find("old"), bytes(1, 2));
        expect(await store.touch("old", inMs(90_000))).to.equal(true);
        await store.delete("old");
        await store.save("old", bytes(3), inMs(60_000));
        expectMissing(await store.find("old"));
      });

      it("save, touch: an expiry 2 ms away or less is given to Redis as it is, a later one 1 ms before", async () => {
        // Redis deletes a key at once when the time it is given is not after its own clock, so
        // the store gives an expiry that near as it is (kept up to 1 ms late, not lost while
        // live). Whether Redis runs the command before that ms is a race no spec can win, so
        // the rule is checked on the store's own clock, stopped an hour ahead of Redis's: what
        // it sends then depends on that clock alone, and Redis keeps every key to be read back.
        const nowMs = Date.now() + 3_600_000;
        const aheadsMs = [1, 2, 3, 60_000];
        const clock = install({ now: nowMs, toFake: ["Date"] });
        try {
          const store = new RedisStore(client());
          for (const aheadMs of aheadsMs) {
            const expiry = new Date(nowMs + aheadMs);
            await store.save(`touched-${aheadMs}`, bytes(1), new Date(nowMs + 3_600_000));
            expect(await store.touch(`touched-${aheadMs}`, expiry)).to.equal(true);
            await store.save(`saved-${aheadMs}`, bytes(2), expiry);
          }
        } finally {
          clock.uninstall();
        }
        const given = new Map<string, number>();
        for (const { name, args } of await taken()) {
          if (name === "SET") given.set(args[0] as string, Number(args[3]));
          if (name === "PEXPIREAT") given.set(args[0] as string, Number(args[1]));
        }
        for (const aheadMs of aheadsMs) {
          const expected = aheadMs <= 2 ? nowMs + aheadMs : nowMs + aheadMs - 1;
          for (const key of [`scs:session:touched-${aheadMs}`, `scs:session:saved-${aheadMs}`]) {
            expect(given.get(key), `sent for ${key}`).to.equal(expected);
            expect(await raw(["PEXPIRETIME", key]), `held for ${key}`).to.equal(expected);
          }
        }
      });

      it("bad arguments are rejected before anything is sent", async () => {
        const store = new RedisStore(client());
        await expectFailure(() => store.find(""), TypeError, /`token`/);
        await expectFailure(
          () => store.save("t", "x" as unknown as Uint8Array, inMs(1)),
          TypeError,
          /`data`/,
        );
        await expectFailure(
          () => store.save("t", bytes(1), new Date(Number.NaN)),
          RangeError,
          /`expiry`/,
        );
        await expectFailure(
          () => store.touch("t", "soon" as unknown as Date),
          TypeError,
          /`expiry`/,
        );
        await expectFailure(() => store.delete("\uD800"), TypeError, /`token`/);
        expect(await namesSeen()).to.deep.equal([]);
      });

      it("prefix: keys of other prefixes and other applications are never read, listed or changed", async () => {
        const others = {
          "app:user:1": "alice",
          "scs:session": "no colon",
          "scs:sessionX": "longer",
          "other:scs:session:a": "inner",
        };
        for (const [key, value] of Object.entries(others)) await raw(["SET", key, value]);
        const store = new RedisStore(client());
        await store.save("a", bytes(1), inMs(60_000));
        expect([...(await store.all()).keys()]).to.deep.equal(["a"]);
        expectMissing(await store.find("X"));
        await store.delete("a");
        for (const [key, value] of Object.entries(others)) {
          expect(await raw(["GET", key])).to.equal(value);
        }
      });

      it("prefix: glob characters in the prefix match only themselves in all()", async () => {
        const store = new RedisStore(client(), { prefix: "s*[a]?\\:" });
        await store.save("mine", bytes(1), inMs(60_000));
        await raw(["SET", "sXXa!\\:theirs", "x"]);
        await raw(["SET", "s*a?\\:theirs", "x"]);
        expect([...(await store.all()).keys()]).to.deep.equal(["mine"]);
      });

      it("prefix: two prefixes in one Redis keep their sessions apart", async () => {
        const one = new RedisStore(client(), { prefix: "one:" });
        const two = new RedisStore(client(), { prefix: "two:" });
        await one.save("token", bytes(1), inMs(60_000));
        await two.save("token", bytes(2), inMs(60_000));
        expectFound(await one.find("token"), bytes(1));
        expectFound(await two.find("token"), bytes(2));
        await one.delete("token");
        expectFound(await two.find("token"), bytes(2));
      });

      it("all: SCAN on every master in batches of scanCount, never KEYS, no command across slots", async () => {
        const store = new RedisStore(client(), { scanCount: 3 });
        for (let i = 0; i < 25; i++) await store.save(`s${i}`, bytes(i), inMs(60_000));
        await taken();
        const sessions = await store.all();
        expect(sessions.size).to.equal(25);
        expectFound({ exists: true, data: sessions.get("s24") as Uint8Array }, bytes(24));
        const commands = await taken();
        expect(commands.map((c) => c.name)).not.to.include("KEYS");
        const scans = commands.filter((c) => c.name === "SCAN");
        expect(new Set(scans.map((c) => c.port))).to.deep.equal(new Set(deployment().ports));
        expect(scans.length).to.be.greaterThan(deployment().ports.length);
        for (const scan of scans) {
          expect(scan.args.slice(1)).to.deep.equal(["MATCH", "scs:session:*", "COUNT", "3"]);
        }
        for (const { args } of commands.filter((c) => c.name === "MGET")) {
          const keySlots = await Promise.all(args.map((key) => keySlotOf(raw, key)));
          expect(new Set(keySlots).size, `MGET ${args.join(" ")}`).to.be.at.most(1);
        }
      });

      if (kind.cluster) {
        it("all: 3,000 sessions spread over every master (no hash tag), and every one is listed", async () => {
          const store = new RedisStore(client());
          const tokens = Array.from({ length: 3_000 }, (_, i) => `session-${i}`);
          const dataOf = (i: number) => bytes(i & 0xff, i >> 8);
          for (let i = 0; i < tokens.length; i += 500) {
            const chunk = tokens.slice(i, i + 500);
            await Promise.all(
              chunk.map((token, j) => store.save(token, dataOf(i + j), inMs(60_000))),
            );
          }
          for (const count of await deployment().keyCounts()) {
            expect(count).to.be.within(700, 1_300);
          }
          const sessions = await store.all();
          expect(sessions.size).to.equal(tokens.length);
          tokens.forEach((token, i) => {
            expectFound({ exists: true, data: sessions.get(token) as Uint8Array }, dataOf(i));
          });
        });

        it("find: reads the key's master, so it sees a save made just before, and never asks a replica", async () => {
          // node-redis may read replicas when asked to; RedisStore still sends its reads to masters.
          const options = kind.library === "node-redis" ? { useReplicas: true } : {};
          const everyNode = await monitor(deployment().allPorts);
          const reader = await kind.connect(deployment().ports, options);
          let reads: Awaited<ReturnType<Monitor["take"]>>;
          try {
            const store = new RedisStore(reader.client);
            for (let i = 0; i < 50; i++) {
              await store.save(`t${i}`, bytes(i), inMs(60_000));
              expectFound(await store.find(`t${i}`), bytes(i));
            }
            expect((await store.all()).size).to.equal(50);
            reads = (await everyNode.take()).filter((c) => ["GET", "SCAN"].includes(c.name));
          } finally {
            await reader.close();
            await everyNode.stop();
          }
          expect(reads.length).to.be.at.least(100);
          for (const { port, name } of reads) {
            expect(deployment().ports, `${name} on ${port}`).to.include(port);
          }
        });
      }

      if (kind.library === "ioredis") {
        it("enableAutoPipelining: every method answers as with the default options", async () => {
          // ioredis sends `callBuffer` wrongly when it auto-pipelines: the key as the command.
          const pipelining = await kind.connect(deployment().ports, { enableAutoPipelining: true });
          try {
            await expectRoundTrip(new RedisStore(pipelining.client));
          } finally {
            await pipelining.close();
          }
        });

        it("keyPrefix: ioredis's keyPrefix goes before the store's prefix, and all() lists the sessions under both", async () => {
          const prefixed = await kind.connect(deployment().ports, { keyPrefix: "app:" });
          try {
            const store = new RedisStore(prefixed.client);
            await store.save("token", bytes(7), inMs(60_000));
            await raw(["SET", "scs:session:unprefixed", "x"]);
            await raw(["SET", "app:other", "x"]);
            expect(await raw(["EXISTS", "app:scs:session:token"])).to.equal(1);
            expectFound(await store.find("token"), bytes(7));
            expect([...(await store.all()).keys()]).to.deep.equal(["token"]);
            expect(await store.touch("token", inMs(120_000))).to.equal(true);
            await store.delete("token");
            expect(await raw(["HGETALL", "app:scs:session:token"])).to.deep.equal({ deleted: "1" });
          } finally {
            await prefixed.close();
          }
        });
      }
    });
  });
}

/** Checks that every method of `store` (empty) answers as the store contract says. */
export async function expectRoundTrip(store: RedisStore): Promise<void> {
  await store.save("a", ALL_BYTE_VALUES, inMs(60_000));
  await store.save("b", new Uint8Array(0), inMs(60_000));
  expectFound(await store.find("a"), ALL_BYTE_VALUES);
  expectFound(await store.find("b"), new Uint8Array(0));
  expectMissing(await store.find("c"));
  expect(await store.touch("a", inMs(120_000))).to.equal(true);
  expect(await store.touch("c", inMs(120_000))).to.equal(false);
  expect(await store.touch("b", inMs(-1))).to.equal(false);
  const all = await store.all();
  expect([...all.keys()]).to.deep.equal(["a"]);
  expectFound({ exists: true, data: all.get("a") as Uint8Array }, ALL_BYTE_VALUES);
  await store.delete("a");
  expectMissing(await store.find("a"));
}

/** The hash slot of `key`, or 0 where there are no slots (a single server). */
async function keySlotOf(raw: Deployment["raw"], key: string): Promise<number> {
  return (await raw(["CLUSTER", "KEYSLOT", key]).catch(() => 0)) as number;
}

/**
 * In a spec file: every spec of {@link describeOnKind} for the client kinds of one library, on a
 * deployment of their own (a single redis-server, or a Redis Cluster of 3 masters with a replica
 * each). One file a library and a deployment, so that mocha runs them side by side.
 */
export function describeDeployment(library: ClientKind["library"], cluster: boolean): void {
  const where = cluster
    ? "a Redis Cluster of 3 masters, each with a replica"
    : "a single redis-server";
  describe(`RedisStore on ${where}, ${library} clients`, function () {
    this.timeout(30_000);
    const deployment = cluster ? useClusterDeployment({ replicas: 1 }) : useServerDeployment();
    for (const kind of CLIENT_KINDS) {
      if (kind.cluster === cluster && kind.library === library) describeOnKind(kind, deployment);
    }
  });
}
