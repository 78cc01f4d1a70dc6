import { expect } from "chai";
import { RedisOfflineError } from "../../../src/redis";

describe("RedisOfflineError", () => {
  it("RedisOfflineError: an Error with its name, code, wait and a message saying nothing was sent", () => {
    const error = new RedisOfflineError(250);
    expect(error).to.be.an.instanceOf(Error);
    expect(error).to.be.an.instanceOf(RedisOfflineError);
    expect(error.name).to.equal("RedisOfflineError");
    expect(error.code).to.equal("ERR_REDIS_OFFLINE");
    expect(error.offlineTimeoutMs).to.equal(250);
    expect(error.message).to.equal(
      "No connection to Redis within 250 ms (`offlineTimeoutMs`): " +
        "the command was not sent, and the store is unchanged",
    );
    expect(String(error)).to.equal(`RedisOfflineError: ${error.message}`);
  });
});
