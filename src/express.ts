export {
  ExpressSessionStore,
  type ExpressSessionStoreOptions,
} from "./adapters/express-session-store";
export { CorruptSessionError } from "./adapters/shared/session-codec";
