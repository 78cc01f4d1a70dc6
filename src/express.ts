export {
  ExpressSessionStore,
  type ExpressSessionStoreOptions,
} from "./adapters/express-session-store";
export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
export type {
  DestroySessionsOptions,
  ListedSession,
  OwnerOf,
} from "./adapters/shared/session-owners";
