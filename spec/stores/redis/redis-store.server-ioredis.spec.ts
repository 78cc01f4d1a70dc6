import { describeDeployment } from "./redis-store-on-kind";

describeDeployment("ioredis", false);
