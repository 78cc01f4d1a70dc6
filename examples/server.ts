import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import { MemStore } from "../src";
import { createApp } from "./app";

const port = Number(process.env.PORT ?? 4000);
const host = process.env.HOST ?? "127.0.0.1";

let secret = process.env.SESSION_SECRET;
if (!secret) {
  secret = randomBytes(32).toString("hex");
  console.warn(
    "SESSION_SECRET is not set: using a random secret, so sessions end when the server restarts.",
  );
}

const store = new MemStore(300_000);
const server = createApp({ store, secret }).listen(port, host, () => {
  const { address, port: actualPort } = server.address() as AddressInfo;
  console.log(`Listening on http://${address}:${actualPort} (sessions in memory: MemStore)`);
});

server.on("error", (error) => {
  console.error(`Cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});

function shutDown(signal: NodeJS.Signals): void {
  console.log(`${signal} received: closing the server.`);
  server.close(() => {
    store.close();
    process.exit(0);
  });
  server.closeIdleConnections();
}

process.once("SIGINT", shutDown);
process.once("SIGTERM", shutDown);
