import { expect } from "chai";
import { runUntilExit } from "../support/example-process";
import { freePort } from "../support/redis-server";

const SERVERS = ["express", "fastify", "koa", "hono"].map((name) => `examples/${name}/server.ts`);

describe("example servers: a REDIS_URL that cannot be reached at start", function () {
  // Four processes that each start ts-node: bounded only against a hang, since a server that
  // retries is stopped as soon as it prints a second connection error.
  this.timeout(120_000);

  it("each server exits at once with code 1 and one message naming Redis's address", async () => {
    const port = await freePort(); // nothing listens on it
    const ended = await Promise.all(
      SERVERS.map((script) =>
        runUntilExit(
          script,
          {
            PORT: "0",
            SESSION_SECRET: "a secret of at least thirty-two characters",
            REDIS_URL: `redis://127.0.0.1:${port}`,
          },
          /Listening on|Redis: [\s\S]*Redis: /,
        ),
      ),
    );
    for (const [i, { code, output }] of ended.entries()) {
      expect(output, SERVERS[i]).to.include(`Cannot reach Redis at 127.0.0.1:${port} (REDIS_URL)`);
      expect(output, SERVERS[i]).to.include("ECONNREFUSED");
      expect(output, SERVERS[i]).not.to.match(/Listening on|Redis: /);
      expect(code, `${SERVERS[i]}:\n${output}`).to.equal(1);
    }
  });
});
