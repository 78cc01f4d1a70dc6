import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";
import { expect } from "chai";
import { Client } from "./express-http";

const ROOT = resolve(__dirname, "..");

/** A running example server and everything it printed so far. */
interface Running {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
}

/** Starts `examples/server.ts` as `npm start` does, on a free port, and waits for its address. */
export async function startExampleServer(env: NodeJS.ProcessEnv = {}): Promise<Running> {
  const child = spawn(process.execPath, ["-r", "ts-node/register", "examples/server.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", SESSION_SECRET: "", REDIS_URL: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const baseUrl = await new Promise<string>((found, failed) => {
    const look = () => {
      const address = /Listening on (http:\/\/\S+)/.exec(output);
      if (address) found(address[1] as string);
    };
    child.stdout?.on("data", look);
    child.once("exit", (code) => failed(new Error(`server exited with ${code}:\n${output}`)));
  });
  return { child, baseUrl, output: () => output };
}

/** Sends `signal` and resolves with the exit code. */
export async function stopExampleServer({ child }: Running, signal: NodeJS.Signals = "SIGTERM") {
  const exited = once(child, "exit");
  child.kill(signal);
  const [code] = await exited;
  return code as number | null;
}

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
      expect((await alice.get("/sessions")).text).to.equal("1\n");
      expect((await alice.get("/destroy")).status).to.equal(200);
      expect((await alice.get("/get")).text).to.equal("");
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
