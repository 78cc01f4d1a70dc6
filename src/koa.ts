export {
  KoaSessionStore,
  type KoaSessionStoreOptions,
} from "./adapters/koa-session-store";
export { CorruptSessionError } from "./adapters/shared/session-codec";
