export {
  KoaSessionStore,
  type KoaSessionStoreOptions,
} from "./adapters/koa-session-store";
export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
