import { expect } from "chai";
import { MemoryStore } from "hono-sessions";
import { createApp } from "../../examples/hono/app";
import { startExampleServer, stopExampleServer } from "../support/example-process";
import { expectExampleRoutes, expectOwnerRoutes } from "./example-routes";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("examples/hono/server.ts", function () {
  this.timeout(30_000);

  it("hono example server: serves /put, /get, /regenerate and /destroy on PORT, then stops on SIGTERM with exit code 0", async () => {
    const server = await startExampleServer({}, "examples/hono/server.ts");
    try {
      expect(server.output()).to.match(/Listening on .*\(hono, sessions in memory: MemStore\)/);
      expect(server.output(), "it uses no secret").not.to.match(/SESSION_SECRET/);
      await expectExampleRoutes(server.baseUrl, "session", (alice) => {
        expect(alice.cookie("session"), "the cookie holds the session token").to.match(UUID);
      });
      await expectOwnerRoutes(server.baseUrl);
    } finally {
      expect(await stopExampleServer(server)).to.equal(0);
    }
    expect(server.output()).to.match(/SIGTERM received/);
  });

  it("hono example app: an encryptionKey shorter than 32 characters is a RangeError at once", () => {
    expect(() => createApp({ store: new MemoryStore(), encryptionKey: "x".repeat(31) })).to.throw(
      RangeError,
      /at least 32 characters/,
    );
    expect(() =>
      createApp({ store: new MemoryStore(), encryptionKey: "x".repeat(32) }),
    ).not.to.throw();
  });
});
