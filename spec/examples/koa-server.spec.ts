import { expect } from "chai";
import { startExampleServer, stopExampleServer } from "../support/example-process";
import { Client } from "../support/http-client";

describe("examples/koa/server.ts", function () {
  this.timeout(30_000);

  it("koa example server: serves /put, /get, /regenerate and /destroy on PORT, then stops on SIGTERM with exit code 0", async () => {
    const server = await startExampleServer({}, "examples/koa/server.ts");
    try {
      expect(server.output()).to.match(/Listening on .*\(koa, sessions in memory: MemStore\)/);
      const alice = new Client(server.baseUrl);
      expect((await alice.get("/")).text).to.match(/GET \/put.*\n.*GET \/get/);
      expect((await alice.get("/put")).status).to.equal(200);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect((await new Client(server.baseUrl).get("/get")).text).to.equal("");
      const key = alice.cookie("koa.sess");
      expect((await alice.get("/regenerate")).status).to.equal(200);
      expect(alice.cookie("koa.sess")).not.to.equal(key);
      expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
      expect((await alice.get("/destroy")).status).to.equal(200);
      expect((await alice.get("/get")).text).to.equal("");
    } finally {
      expect(await stopExampleServer(server)).to.equal(0);
    }
    expect(server.output()).to.match(/SIGTERM received/);
  });
});
