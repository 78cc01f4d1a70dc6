export {
  KoaSessionStore,
  type KoaSessionStoreOptions,
} from "./adapters/koa-session-store";
export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
export type {
  DestroySessionsOptions,
  ListedSession,
  OwnerOf,
} from "./adapters/shared/session-owners";
