export {
  FastifySessionStore,
  type FastifySessionStoreOptions,
} from "./adapters/fastify-session-store";
export { CorruptSessionError, SessionTooLargeError } from "./adapters/shared/session-codec";
export type {
  DestroySessionsOptions,
  ListedSession,
  OwnerOf,
} from "./adapters/shared/session-owners";
