import { describeDeployment } from "./redis-store-on-kind";

describeDeployment("node-redis", true);
