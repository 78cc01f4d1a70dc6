export {
  ExpressSessionStore,
  type ExpressSessionStoreOptions,
} from "./adapters/express-session-store";
