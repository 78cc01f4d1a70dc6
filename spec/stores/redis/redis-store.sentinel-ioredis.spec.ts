import { describeSentinel } from "./redis-store-on-sentinel";

// The express-session specs on ioredis 5; the store contract runs in the node-redis file beside it.
describeSentinel("ioredis", ["express"]);
