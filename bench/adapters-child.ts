// Run by bench/index.ts as `node --expose-gc ... bench/adapters-child.ts`: section 5b in a fresh
// process, printed as JSON ([title, text, body]) on its last line.
import { adaptersInjectSection } from "./adapters-inject";

adaptersInjectSection().then(
  (section) => console.log(JSON.stringify(section)),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
