import { expect } from "chai";
import { Client } from "../support/http-client";

/**
 * Walks an example server's routes as a browser would: `/` lists them, `/put` then `/get` answers
 * `Hello world!` (then `afterPut` checks that browser) and another browser sees nothing,
 * `/regenerate` moves the session to a new value of the cookie `cookieName` and keeps its data,
 * and `/destroy` ends it.
 */
export async function expectExampleRoutes(
  baseUrl: string,
  cookieName: string,
  afterPut: (browser: Client) => void = () => {},
): Promise<void> {
  const alice = new Client(baseUrl);
  expect((await alice.get("/")).text).to.match(/GET \/put.*\n.*GET \/get/);
  expect((await alice.get("/put")).status).to.equal(200);
  expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
  afterPut(alice);
  expect((await new Client(baseUrl).get("/get")).text).to.equal("");
  const token = alice.cookie(cookieName);
  expect((await alice.get("/regenerate")).status).to.equal(200);
  expect(alice.cookie(cookieName)).not.to.equal(token);
  expect(await alice.get("/get")).to.deep.equal({ status: 200, text: "Hello world!" });
  expect((await alice.get("/destroy")).status).to.equal(200);
  expect((await alice.get("/get")).text).to.equal("");
}
