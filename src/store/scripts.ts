/**
 * The Lua scripts behind the submission store. Each one is a single atomic
 * step, so no crash or Redis failure can leave half of it written.
 *
 * Scripts name keys they build from the prefix, so they assume one Redis (not Cluster).
 *
 * Keys (P = prefix): `P:sub:{id}` hash (record, status, updatedAt, attempts,
 * jobId, outcome, landing, replays, rescues, decision, holdUntil, holdReason, secrecy, sent), `P:sub:{id}:events` list,
 * `P:payload:{id}` encrypted payload (expires after a terminal status),
 * `P:idem:{identity}` → `id|contentHash`, `P:uid:{uniqueId}` → id,
 * `P:open` sorted set of non-terminal ids, `P:outbox` sorted set of ids that
 * reached a terminal status and whose outcome goes back to the sender.
 */

const TERMINAL_TEST = `(s == 'deposited' or s == 'deleted' or s == 'skipped' or s == 'rejected' or s == 'failed' or s == 'cancelled')`;

/**
 * KEYS: idem, sub, events, open, uid, payload, outbox.
 * ARGV: id, contentHash, record, payload, event, nowMs, status, nowIso, retentionSeconds, prefix, then the
 * uniqueIds of the other documents (each indexed like the first).
 * A claimed identity answers `id|hash` (duplicate or conflict), except when its record ended rejected,
 * failed, cancelled or skipped and the content differs: the corrected document then replaces it (answers
 * `created|<old id>`).
 */
export const CREATE = `
local existing = redis.call('GET', KEYS[1])
local supersedes = ''
if existing then
  local id, hash = string.match(existing, '^(.-)|(.*)$')
  if id == ARGV[1] then return 'created' end
  local s = redis.call('HGET', ARGV[10] .. ':sub:' .. id, 'status')
  if hash == ARGV[2] or not (s == 'rejected' or s == 'failed' or s == 'cancelled' or s == 'skipped') then return existing end
  supersedes = id
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2])
redis.call('HSET', KEYS[2], 'record', ARGV[3], 'status', ARGV[7], 'updatedAt', ARGV[8], 'attempts', 0)
redis.call('SET', KEYS[6], ARGV[4])
redis.call('RPUSH', KEYS[3], ARGV[5])
local s = ARGV[7]
if ${TERMINAL_TEST} then
  redis.call('EXPIRE', KEYS[6], ARGV[9])
  redis.call('ZADD', KEYS[7], ARGV[6], ARGV[1])
else
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[1])
end
redis.call('SET', KEYS[5], ARGV[1])
for i = 11, #ARGV do redis.call('SET', ARGV[10] .. ':uid:' .. ARGV[i], ARGV[1]) end
return 'created|' .. supersedes
`;

/**
 * KEYS: sub, events, open, payload, outbox.
 * ARGV: status, nowIso, event, outcome, id, force, nowMs, retentionSeconds.
 * A terminal record only moves when forced (replay): a late event from a stale worker cannot undo an outcome.
 * Leaving `held` drops the hold fields (holdUntil, holdReason). A terminal status clears `landing` (the
 * request that may have reached the DMP is settled), except `failed`: its last request may have landed
 * unanswered, which a deletion, a replacement or a replay must look up (ITI-18) rather than assume.
 * The open set is scored by the time of the last change (reconciliation leaves recent records alone).
 */
export const TRANSITION = `
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return 'missing' end
if ${TERMINAL_TEST} and ARGV[6] ~= '1' then return s end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'updatedAt', ARGV[2])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'outcome', ARGV[4]) end
if ARGV[3] ~= '' then redis.call('RPUSH', KEYS[2], ARGV[3]) end
s = ARGV[1]
if ARGV[1] ~= 'held' then redis.call('HDEL', KEYS[1], 'holdUntil', 'holdReason') end
if ${TERMINAL_TEST} then
  redis.call('ZREM', KEYS[3], ARGV[5])
  if ARGV[1] ~= 'failed' then redis.call('HDEL', KEYS[1], 'landing') end
  redis.call('EXPIRE', KEYS[4], ARGV[8])
  redis.call('ZADD', KEYS[5], ARGV[7], ARGV[5])
else
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[5])
  redis.call('PERSIST', KEYS[4])
end
return 'ok'
`;

/**
 * Compare-and-set of the record's job: succeeds only if the record still has `expectedJobId` (empty = none)
 * and a status among `allowed` (comma-separated). With `counter`, `%n` in the new job id is replaced by the
 * incremented counter field (replays, rescues), so concurrent claims cannot both win.
 * KEYS: sub, events, open, payload. ARGV: expectedJobId, allowed, newJobId, event, nowIso, nowMs, id, counter.
 */
export const CLAIM_JOB = `
local current = redis.call('HGET', KEYS[1], 'jobId') or ''
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return {'missing', ''} end
if current ~= ARGV[1] then return {'conflict', current} end
local allowed = false
for a in string.gmatch(ARGV[2], '[^,]+') do if a == s then allowed = true end end
if not allowed then return {'conflict', s} end
local jobId = ARGV[3]
if ARGV[8] ~= '' then
  local n = redis.call('HINCRBY', KEYS[1], ARGV[8], 1)
  jobId = (string.gsub(jobId, '%%n', tostring(n)))
end
redis.call('HSET', KEYS[1], 'jobId', jobId, 'status', 'queued', 'updatedAt', ARGV[5])
redis.call('RPUSH', KEYS[2], (string.gsub(ARGV[4], '%%JOB%%', jobId)))
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[7])
redis.call('PERSIST', KEYS[4])
return {'ok', jobId}
`;

/**
 * {@link TRANSITION}, only from one of the statuses in ARGV[9] (comma-separated): e.g. a cancellation, which
 * must not overtake a worker that already moved the record to `sending`. Answers 'ok' or the current status.
 */
export const TRANSITION_FROM = `
local current = redis.call('HGET', KEYS[1], 'status')
if not current then return 'missing' end
local allowed = false
for a in string.gmatch(ARGV[9], '[^,]+') do if a == current then allowed = true end end
if not allowed then return current end
${TRANSITION}`;

/**
 * Settles the doubt on a `failed` record whose last request may have landed, only while it is still that
 * record (status `failed`, `landing` set, job ARGV[9]): a replay started meanwhile keeps its own doubt, and
 * of two versions settling it at once one does. ARGV[10] `absent`: the doubt is cleared; `landed`:
 * {@link TRANSITION} (forced, ARGV[6] = '1') to the status given. Answers 'ok' or 'changed'.
 */
export const SETTLE_LANDING = `
local s0 = redis.call('HGET', KEYS[1], 'status')
if s0 ~= 'failed' or redis.call('HGET', KEYS[1], 'landing') ~= '1' then return 'changed' end
if (redis.call('HGET', KEYS[1], 'jobId') or '') ~= ARGV[9] then return 'changed' end
if ARGV[10] == 'absent' then
  redis.call('HDEL', KEYS[1], 'landing')
  return 'ok'
end
${TRANSITION}`;

/**
 * Sets one field of the record only while its status is one of ARGV[3] (comma-separated), so a fact the
 * worker reads once the record is `sending` (e.g. a secrecy request) is either seen or refused.
 * KEYS: sub. ARGV: field, value, allowed. Answers 'ok' or the current status.
 */
export const SET_IF_STATUS = `
local s = redis.call('HGET', KEYS[1], 'status')
if not s then return 'missing' end
for a in string.gmatch(ARGV[3], '[^,]+') do
  if a == s then
    redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
    return 'ok'
  end
end
return s
`;
