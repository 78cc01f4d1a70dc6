import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * When `script` is run as a program (`node -r ts-node/register bench/http-<framework>.ts
 * <store>`), serves the store named on its command line, prints `Listening on <url>` (which
 * bench/http.ts waits for), and exits on SIGTERM. Does nothing when `script` is imported.
 */
export function serveFromCommandLine<Name extends string>(
  script: NodeJS.Module,
  stores: readonly Name[],
  serve: (name: Name) => Promise<Server>,
): void {
  if (require.main !== script) return;
  const name = process.argv[2] as Name;
  if (!stores.includes(name)) {
    console.error(`unknown store ${name}: expected one of ${stores.join(", ")}`);
    process.exit(1);
  }
  serve(name).then(
    (server) => {
      const { port } = server.address() as AddressInfo;
      process.once("SIGTERM", () => process.exit(0));
      console.log(`Listening on http://127.0.0.1:${port}`);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
