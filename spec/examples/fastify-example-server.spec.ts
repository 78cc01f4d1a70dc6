import { expect } from "chai";
import { startServerProcess, stopExampleServer } from "../support/example-process";
import { Client } from "../support/http-client";
import { expectOwnerRoutes } from "./example-routes";

const start = (env: NodeJS.ProcessEnv = {}) =>
  startServerProcess("examples/fastify/server.ts", [], {
    PORT: "0",
    SESSION_SECRET: "",
    REDIS_URL: "",
    ...env,
  });

describe("examples/fastify/server.ts", function () {
  this.timeout(30_000);

  it("fastify example server: serves /put and /get on PORT, then stops on SIGTERM with exit code 0", async () => {
    const server = await start();
    try {
      expect(server.output()).to.match(/SESSION_SECRET is not set: using a random secret/);
      expect(server.output()).to.match(/\(fastify, sessions in memory: MemStore\)/);
      const alice = new Client(server.baseUrl);
      expect((await alice.get("/")).text).to.match(/GET \/put.*\n.*GET \/get/);
      expect((await alice.get("/put")).status).to.equal(200);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect((await new Client(server.baseUrl).get("/get")).text).to.equal("");
      expect((await alice.get("/regenerate")).status).to.equal(200);
      expect((await alice.get("/get")).text).to.equal("Hello world!");
      expect((await alice.get("/destroy")).status).to.equal(200);
      expect(alice.has("sessionId")).to.equal(false);
      expect((await alice.get("/get")).text).to.equal("");
      await expectOwnerRoutes(server.baseUrl);
    } finally {
      expect(await stopExampleServer(server)).to.equal(0);
    }
    expect(server.output()).to.match(/SIGTERM received/);
  });

  it("fastify example server: a SESSION_SECRET shorter than 32 characters stops it with exit code 1 and says why", async () => {
    let failure: unknown;
    try {
      await start({ SESSION_SECRET: "thirty-one characters, one shy." });
    } catch (error) {
      failure = error;
    }
    expect((failure as Error).message).to.match(
      /exited with 1:[\s\S]*at least 32 characters long for @fastify\/session, got 31/,
    );
  });

  it("fastify example server: uses a 32-character SESSION_SECRET without a warning, and stops on SIGINT with exit code 0", async () => {
    const server = await start({ SESSION_SECRET: "thirty-two characters, just so.." });
    expect(server.output()).not.to.match(/SESSION_SECRET is not set/);
    expect(await stopExampleServer(server, "SIGINT")).to.equal(0);
  });
});
