/**
 * The methods by which this package's adapters hand a {@link MemStore} the JSON text of a session
 * in place of its bytes, and read it back as text: symbols, so that they are no part of the
 * store's public API. A module of its own, with no import, so that an adapter can look for them
 * without loading MemStore (and node-cache) where the app never uses it.
 */
export const FIND_TEXT = Symbol("MemStore.findText");
export const SAVE_TEXT = Symbol("MemStore.saveText");

/** MemStore's own `find` and `save`, set when MemStore's module loads. */
export const ownMethods: { find?: unknown; save?: unknown } = {};
