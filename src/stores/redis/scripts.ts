import { createHash } from "node:crypto";

/**
 * A Lua script RedisStore runs with `EVALSHA`, sent again with `EVAL` when the server does not
 * have it yet (after a restart or a failover, and on each node of a cluster once).
 */
export interface Script {
  /** The Lua source. */
  readonly source: string;
  /** Its SHA-1, as `EVALSHA` names it. */
  readonly sha: string;
}

function script(source: string): Script {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

// What a session key holds (a key of its own, so each script below runs on that key's slot):
// - a Redis string: a live session without owner, its bytes as they are;
// - a hash with a `data` field: a live session with an owner (fields `data`, `owner`, `expires`
//   the session's expiry in ms, and `indexed`, the score its owner's index holds for it at least);
// - a hash with the field `deleted`: the marker a delete leaves, until the session's own
//   expiry, and `movedTo`, the token the session was moved to, once a request says it moved it
//   (see MARK_MOVED). It has no `data` field, so no reader can take it for a session, whatever
//   the bytes.
// Each script reads the kind with TYPE first: a command of the wrong type never runs. A key that
// is none of these (written by something else: a hash with neither `data` nor `deleted`, a list)
// is no session and no marker: it reads as unknown, a save writes over it, a delete leaves it
// alone. A hash with `deleted` is a marker whatever else it holds.

/** The session's bytes, or nil (unknown, expired or deleted). */
const READ_ONE = `
local function read(key)
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'string' then return redis.call('GET', key) end
  if kind == 'hash' and redis.call('HEXISTS', key, 'deleted') == 0 then
    return redis.call('HGET', key, 'data')
  end
  return false
end`;

/** `find`: KEYS[1] the session key. */
export const FIND = script(
  `${READ_ONE}
return read(KEYS[1])`,
);

/** `all` on one server: every key of KEYS, each its bytes or nil. */
export const FIND_MANY = script(
  `${READ_ONE}
local found = {}
for i, key in ipairs(KEYS) do found[i] = read(key) end
return found`,
);

/**
 * The kind of a key: 'string' or 'hash' for a live session (a hash with `data`), 'marker', 'none'
 * for no key, 'other' for anything else; and whether it holds a live session.
 */
const LIVE_KIND = `
local function liveKind(key)
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'string' then return kind, true end
  if kind == 'none' then return kind, false end
  if kind == 'hash' then
    if redis.call('HEXISTS', key, 'deleted') == 1 then return 'marker', false end
    if redis.call('HEXISTS', key, 'data') == 1 then return kind, true end
  end
  return 'other', false
end`;

/** Whether KEYS[1] holds a live session: `key`, `kind` and `live` for the script that follows. */
const IS_SESSION = `${LIVE_KIND}
local key = KEYS[1]
local kind, live = liveKind(key)`;

/**
 * Stores a session: its bytes, Redis's expiry in ms ('' to remove the session), then for a
 * session with an owner: the owner, the exact expiry in ms, and the score its owner's index holds
 * for it. Never writes over a marker. 1 when it stored the session.
 */
const SAVE_ONE = `${LIVE_KIND}
local function save(key, bytes, expiry, owner, expires, indexed)
  local kind = liveKind(key)
  if kind == 'marker' then return 0 end
  if expiry == '' then
    redis.call('DEL', key)
    return 0
  end
  if owner == nil then
    redis.call('SET', key, bytes, 'PXAT', expiry)
  else
    redis.call('DEL', key)
    redis.call('HSET', key, 'data', bytes, 'owner', owner, 'expires', expires, 'indexed', indexed)
    redis.call('PEXPIREAT', key, expiry)
  end
  return 1
end`;

/**
 * `save`: KEYS[1] the session key; ARGV: bytes, Redis's expiry in ms ('' to remove the
 * session), then for a session with an owner: the owner, the exact expiry in ms, and the score
 * written to the owner's index. Never writes over a marker. 1 when it stored the session.
 */
export const SAVE = script(
  `${SAVE_ONE}
return save(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])`,
);

/**
 * What the marker under `key` stands for: `{movedTo}` for a session moved to that token, -1 for a
 * session destroyed.
 */
const MARKER_OF = `
local function markerOf(key)
  local movedTo = redis.call('HGET', key, 'movedTo')
  if movedTo then return {movedTo} end
  return -1
end`;

/**
 * `delete`: KEYS[1] the session key; ARGV[1], when given and not empty, an owner the session must
 * have; ARGV[2], when given, the token a request moves the session to ('' when not known yet),
 * which the marker records. Puts a marker in place of a live session, expiring when the session
 * would have. 1 when it did; when the key holds a marker already, what it stands for (-1 for a
 * session destroyed, `{movedTo}` for one moved); else 0.
 */
export const DELETE = script(
  `${IS_SESSION}
${MARKER_OF}
if not live then
  if kind == 'marker' then return markerOf(key) end
  return 0
end
if ARGV[1] ~= nil and ARGV[1] ~= '' and (kind ~= 'hash' or redis.call('HGET', key, 'owner') ~= ARGV[1]) then
  return 0
end
-- The marker expires at the session's own ms: PEXPIRETIME and PEXPIREAT read no clock, where
-- PTTL then PEXPIRE read it twice and can move the expiry by 1 ms. Before Redis 7.0 (no
-- PEXPIRETIME), the time left is the closest there is.
local at = redis.pcall('PEXPIRETIME', key)
local ttl = type(at) == 'table' and redis.call('PTTL', key) or nil
redis.call('DEL', key)
redis.call('HSET', key, 'deleted', '1')
if ARGV[2] ~= nil then redis.call('HSET', key, 'movedTo', ARGV[2]) end
if ttl == nil then
  if at > 0 then redis.call('PEXPIREAT', key, at) end
elseif ttl > 0 then
  redis.call('PEXPIRE', key, ttl)
end
return 1`,
);

/**
 * What KEYS[1] holds, for a delete that follows moves: 0 for no marker (a live session, or
 * nothing), else what the marker stands for (-1 for a session destroyed, `{movedTo}` for one
 * moved).
 */
export const FOLLOW_MOVE = script(
  `${LIVE_KIND}
${MARKER_OF}
if liveKind(KEYS[1]) ~= 'marker' then return 0 end
return markerOf(KEYS[1])`,
);

/**
 * `MARK_MOVED`: KEYS[1] the session key, ARGV[1] the token it moved to. Records the move on the
 * marker KEYS[1] holds, if it holds one that records no move yet, or one to a token not known
 * yet (''). 1 when it did, else 0.
 */
export const MARK_MOVED_TO = script(
  `${LIVE_KIND}
if liveKind(KEYS[1]) ~= 'marker' then return 0 end
local before = redis.call('HGET', KEYS[1], 'movedTo')
if before and before ~= '' then return 0 end
redis.call('HSET', KEYS[1], 'movedTo', ARGV[1])
return 1`,
);

/**
 * `touch`: KEYS[1] the session key; ARGV: Redis's expiry in ms ('' to remove the session), the
 * exact expiry in ms, then, once the caller has indexed the session, its owner and the score
 * written. 1 when the session is live and now expires then; 0 when there is none (or it was
 * removed). A session with an owner is not moved past the score of its index entry: the answer
 * is then `{owner}`, for the caller to raise the score first and call again.
 */
export const TOUCH = script(
  `${IS_SESSION}
if not live then return 0 end
local time = redis.call('TIME')
local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- An expiry that has come by Redis's clock (a touch that reached Redis late) removes the session.
if ARGV[1] == '' or tonumber(ARGV[1]) <= nowMs then
  redis.call('DEL', key)
  return 0
end
local owner = kind == 'hash' and redis.call('HGET', key, 'owner')
if owner then
  local indexed = tonumber(redis.call('HGET', key, 'indexed')) or 0
  if ARGV[3] == owner and tonumber(ARGV[4]) > indexed then
    indexed = tonumber(ARGV[4])
    redis.call('HSET', key, 'indexed', ARGV[4])
  end
  if tonumber(ARGV[2]) > indexed then return {owner} end
end
if kind == 'hash' then redis.call('HSET', key, 'expires', ARGV[2]) end
return redis.call('PEXPIREAT', key, ARGV[1])`,
);

/**
 * The session's expiry in ms when KEYS[1] is a live session of the owner ARGV[1], else nil: how
 * `sessionsOf` checks each entry of an index.
 */
export const EXPIRY_IF_OWNED = script(
  `
if redis.call('TYPE', KEYS[1])['ok'] ~= 'hash' then return false end
local fields = redis.call('HMGET', KEYS[1], 'owner', 'expires', 'data', 'deleted')
if fields[1] ~= ARGV[1] or not fields[3] or fields[4] then return false end
return fields[2]`,
);

/** The body of {@link INDEX}, as a Lua function of its key and arguments. */
const INDEX_ONE = `
local function index(key, token, score, margin)
  local time = redis.call('TIME')
  local nowMs = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  margin = tonumber(margin)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. string.format('%d', nowMs - margin))
  redis.call('ZADD', key, 'GT', score, token)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', key, string.format('%d', tonumber(top[2]) + margin))
  return 1
end`;

/**
 * Adds (or raises) an owner's index entry: KEYS[1] the index, a sorted set of tokens scored by
 * the latest expiry their session may have; ARGV: the token, the score, the margin in ms. Drops
 * entries whose score passed more than the margin ago, by Redis's clock (their session is gone,
 * so the work of each call is bounded by what expired since), and keeps the index itself until
 * its highest score and the margin.
 */
export const INDEX = script(
  `${INDEX_ONE}
return index(KEYS[1], ARGV[1], ARGV[2], ARGV[3])`,
);

/**
 * `save` with an owner on one server, where a script may name keys of any slot: {@link INDEX}
 * then {@link SAVE} in one script, so in one round trip and all or nothing. KEYS: the session
 * key, the owner's index; ARGV: as for SAVE with an owner, then the token and the index's margin
 * in ms. A cluster runs the two scripts one after the other instead.
 */
export const SAVE_INDEXED = script(
  `${INDEX_ONE}
${SAVE_ONE}
index(KEYS[2], ARGV[6], ARGV[5], ARGV[7])
return save(KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5])`,
);

/** The tokens of an owner's index, KEYS[1]. */
export const INDEXED = script(`return redis.call('ZRANGE', KEYS[1], 0, -1)`);
