export { ExpressSessionStore, type ExpressSessionStoreOptions } from "./express-session-store";
