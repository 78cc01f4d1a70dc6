export {
  HonoSessionStore,
  type HonoSessionStoreOptions,
} from "./adapters/hono-session-store";
export { CorruptSessionError } from "./adapters/shared/session-codec";
