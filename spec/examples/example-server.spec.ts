import { expect } from "chai";
import { Client } from "../adapters/express-http";
import { startExampleServer, stopExampleServer } from "../support/example-process";
import { expectOwnerRoutes } from "./example-routes";

describe("examples/server.ts", function () {
  this.timeout(30_000);

  it("example server: serves /put and /get on PORT, then stops on SIGTERM with exit code 0", async () => {
    const server = await startExampleServer();
    try {
      expect(server.output()).to.match(/SESSION_SECRET is not set: using a random secret/);
      expect(server.output()).to.match(/MemStore/);
      const alice = new Client(server.baseUrl);
      expect((await alice.get("/")).text).to.match(/GET \/put.*\n.*GET \/get/);
      expect((await alice.get("/put")).status).to.equal(200);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect((await new Client(server.baseUrl).get("/get")).text).to.equal("");
      expect((await alice.get("/login?user=alice")).text).to.equal("Logged in as alice.\n");
      expect((await alice.get("/sessions")).text).to.match(/^alice is logged in to 1 session/);
      expect((await alice.get("/destroy")).status).to.equal(200);
      expect((await alice.get("/get")).text).to.equal("");
      await expectOwnerRoutes(server.baseUrl);
    } finally {
      expect(await stopExampleServer(server)).to.equal(0);
    }
    expect(server.output()).to.match(/SIGTERM received/);
  });

  it("example server: uses SESSION_SECRET without a warning, and stops on SIGINT with exit code 0", async () => {
    const server = await startExampleServer({ SESSION_SECRET: "from the environment" });
    expect(server.output()).not.to.match(/SESSION_SECRET is not set/);
    expect(await stopExampleServer(server, "SIGINT")).to.equal(0);
  });
});
