export {
  HonoSessionStore,
  type HonoSessionStoreOptions,
} from "./adapters/hono-session-store";
export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
