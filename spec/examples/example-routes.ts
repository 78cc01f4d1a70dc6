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

/**
 * Walks an example server's owner routes: `/login` on two browsers as one user, `/me`,
 * `/sessions` listing both (this one marked, no session ID shown), `/logout-everywhere` ending
 * the other one only, and a visitor who is not logged in turned away.
 */
export async function expectOwnerRoutes(baseUrl: string): Promise<void> {
  const [phone, laptop, visitor] = [new Client(baseUrl), new Client(baseUrl), new Client(baseUrl)];
  expect((await visitor.get("/login")).status).to.equal(400);
  expect(await visitor.get("/me")).to.deep.equal({ status: 200, text: "nobody\n" });
  expect((await visitor.get("/sessions")).status).to.equal(401);
  expect((await visitor.get("/logout-everywhere")).status).to.equal(401);
  for (const browser of [phone, laptop]) {
    expect(await browser.get("/login?user=alice")).to.deep.equal({
      status: 200,
      text: "Logged in as alice.\n",
    });
  }
  expect(await phone.get("/me")).to.deep.equal({ status: 200, text: "alice\n" });
  const listed = await phone.get("/sessions");
  expect(listed.text).to.match(
    /^alice is logged in to 2 session\(s\):\n- until \S+Z \(this session\)\n- until \S+Z\n$/,
  );
  expect(await laptop.get("/logout-everywhere")).to.deep.equal({
    status: 200,
    text: "Logged out of 1 other session(s).\n",
  });
  expect((await phone.get("/me")).text).to.equal("nobody\n");
  expect((await laptop.get("/me")).text).to.equal("alice\n");
  expect((await laptop.get("/sessions")).text).to.match(/^alice is logged in to 1 session\(s\):/);
}
