export {
  type HonoSessionReader,
  HonoSessionStore,
  type HonoSessionStoreOptions,
} from "./adapters/hono-session-store";
export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
export type {
  DestroySessionsOptions,
  ListedSession,
  OwnerOf,
} from "./adapters/shared/session-owners";
