import { describeSentinel } from "./redis-store-on-sentinel";

// The store contract on node-redis 6; the express-session specs run in the ioredis file beside it.
describeSentinel("node-redis", ["contract"]);
