// Run by bench/index.ts as `node --expose-gc ... bench/memory-child.ts <peer> <sessions>`.
import { PEERS, type PeerName } from "./peers";
import { newToken } from "./settings";

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --expose-gc");
  collect();
  collect();
}

function heapAndExternalBytes(): number {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

async function main(name: PeerName, sessions: number): Promise<void> {
  const peer = await PEERS[name]("");
  gc();
  const beforeBytes = heapAndExternalBytes();
  // Tokens are made one at a time and dropped: the store keeps whatever key it needs of its own.
  for (let i = 0; i < sessions; i++) {
    if (peer.async) await peer.save(newToken());
    else peer.save(newToken());
  }
  gc();
  const bytesPerSession = (heapAndExternalBytes() - beforeBytes) / sessions;
  await peer.close();
  console.log(JSON.stringify({ bytesPerSession }));
}

main(process.argv[2] as PeerName, Number(process.argv[3])).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
