import { expect } from "chai";
import { startExampleServer, stopExampleServer } from "../support/example-process";
import { expectExampleRoutes, expectOwnerRoutes } from "./example-routes";

describe("examples/koa/server.ts", function () {
  this.timeout(30_000);

  it("koa example server: serves /put, /get, /regenerate and /destroy on PORT, then stops on SIGTERM with exit code 0", async () => {
    const server = await startExampleServer({}, "examples/koa/server.ts");
    try {
      expect(server.output()).to.match(/Listening on .*\(koa, sessions in memory: MemStore\)/);
      await expectExampleRoutes(server.baseUrl, "koa.sess");
      await expectOwnerRoutes(server.baseUrl);
    } finally {
      expect(await stopExampleServer(server)).to.equal(0);
    }
    expect(server.output()).to.match(/SIGTERM received/);
  });
});
